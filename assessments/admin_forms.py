"""The admin's score form: it writes through services.scores.write_scores, like the entry
page, the appraisal page and the import. What the service refuses (a locked assessment, a
score above the maximum, a stale version) is shown on the form, in Vietnamese, and nothing
is written."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from . import scoring
from .admin_rules import ScoreFiguresForm
from .models import ChangeSource, Score
from .services.errors import DomainError
from .services.rows import RowInput
from .services.scores import ALL_FIELDS, check_rows, write_scores


class ScoreAdminForm(ScoreFiguresForm):
    user = None  # the admin's user, set by ScoreAdmin.get_form

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Lý do sửa",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc: sửa điểm qua trang quản trị nằm ngoài quy trình, lý do được ghi vào lịch sử.",
        error_messages={"required": "Phải ghi lý do sửa điểm."},
    )

    class Meta:
        model = Score
        fields = ["assessment", "criterion", *ALL_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version if self.instance.pk else 0

    def _target(self):
        if self.instance.pk:
            return self.instance.assessment, self.instance.criterion
        return self.cleaned_data.get("assessment"), self.cleaned_data.get("criterion")

    def row(self) -> RowInput:
        """What was changed on the form (a score worked out from declared figures included),
        at the version the page was opened with."""
        values = {name: self.cleaned_data[name] for name in self.changed_data if name in ALL_FIELDS}
        if self.instance.pk:
            for name in ALL_FIELDS:
                if name in self.cleaned_data and self.cleaned_data[name] != getattr(self.instance, name):
                    values.setdefault(name, self.cleaned_data[name])
        version = self.cleaned_data.get("opened_version")
        if version is None:
            version = self.instance.version if self.instance.pk else 0
        return RowInput(version=version, values=values)

    def clean(self):
        cleaned = super().clean()
        assessment, criterion = self._target()
        if self.errors or assessment is None or criterion is None:
            return cleaned
        row = self.row()
        if not row.values and not self.instance.pk:
            raise ValidationError("Chưa nhập điểm hay ý kiến nào cho tiêu chí.")
        if row.values:
            try:
                check_rows(
                    assessment, {criterion.pk: row}, fields=ALL_FIELDS, result=scoring.compute(assessment)
                )
            except DomainError as error:
                raise ValidationError(error.message) from error
        return cleaned

    def write(self) -> Score | None:
        """Write the changes through the score service (it checks again, under the lock)."""
        assessment, criterion = self._target()
        saved = write_scores(
            user=self.user,
            assessment=assessment,
            rows={criterion.pk: self.row()},
            source=ChangeSource.ADMIN,
            reason=self.cleaned_data["reason"].strip(),
        )
        return saved[0] if saved else None
