"""The admin's import of a province's units: the same upload → preview → confirm as the
annex (exchange.admin_mixins.ExchangeImportMixin, its signed token and one-time file), with
the province in place of the subject and no year, running exchange.units."""

from __future__ import annotations

from django import forms

from assessments import permissions
from assessments.models import Subject, SubjectKind

from .admin_mixins import BoundConfirmForm, ExchangeImportMixin
from .resources import ExchangeImportForm, ExchangeResource
from .units import choose_units_sheet, import_units_sheet


class UnitsResource(ExchangeResource):
    title = "Danh sách đơn vị của tỉnh (Mã | Tên đơn vị | Khối | Hiệu lực từ | Hiệu lực đến | Hợp nhất từ)"

    def run(self, sheets, outcome, *, dry_run, user):
        if self.subject is None:
            outcome.error("Cần chọn tỉnh, thành phố của các đơn vị.")
            return
        sheet = choose_units_sheet(sheets)
        if sheet is None:
            outcome.error("Tệp không có trang tính nào.")
            return
        import_units_sheet(sheet, self.subject, dry_run=dry_run, user=user, outcome=outcome)


class UnitsImportForm(ExchangeImportForm):
    """The province whose units the sheet lists; no year (each unit carries its dates)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        subject = self.fields["subject"]
        subject.label = "Tỉnh, thành phố"
        subject.required = True
        subject.queryset = Subject.objects.filter(kind=SubjectKind.PROVINCE).order_by("name", "valid_from")
        subject.help_text = "Các đơn vị trong tệp thuộc tỉnh, thành phố này."
        del self.fields["year"]


class UnitsConfirmForm(BoundConfirmForm):
    year = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UnitsImportMixin(ExchangeImportMixin):
    """Mix into the Subject admin: an account other than the superuser imports only into its
    own province (the choice offers no other; the signed confirm repeats it)."""

    resource_classes = [UnitsResource]
    import_form_class = UnitsImportForm
    confirm_form_class = UnitsConfirmForm

    def create_import_form(self, request):
        form = super().create_import_form(request)
        if not permissions.is_superuser(request.user):
            province = permissions.user_province(request.user)
            field = form.fields["subject"]
            field.queryset = field.queryset.filter(pk=province.pk) if province else field.queryset.none()
        return form

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            context["change_heading"] = "Cũ → mới"
        return response
