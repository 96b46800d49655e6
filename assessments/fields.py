"""Form fields shared by every form that takes a score: "0,9388" and "0.9388" alike."""

from django import forms
from django.core.exceptions import ValidationError

from .decimals import NotANumber, format_score, parse_decimal


class ScoreFormField(forms.DecimalField):
    """A score as people type it. Errors are Vietnamese and say what was typed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value, max_places=self.decimal_places)
        except NotANumber as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def validate(self, value):
        super(forms.DecimalField, self).validate(value)
        if value is not None and value < 0:
            raise ValidationError(f"Điểm {format_score(value)} không được nhỏ hơn 0.", code="min_value")

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return format_score(value)
