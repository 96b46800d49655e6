"""Admin pieces of the Excel exchange: the import mixin (upload → preview → confirm through
django-import-export, in Vietnamese) and the annex export view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from import_export.admin import ImportMixin

from .export import export_annex
from .problems import FileRefused
from .resources import ExchangeConfirmForm, ExchangeImportForm, SpreadsheetFormat

MAX_ERRORS_IN_MESSAGE = 20


class ExchangeImportMixin(ImportMixin):
    import_form_class = ExchangeImportForm
    confirm_form_class = ExchangeConfirmForm
    import_template_name = "admin/assessments/exchange_import.html"
    # Every change is recorded by simple-history (change_source = import).
    skip_admin_log = True

    def get_import_formats(self):
        return [SpreadsheetFormat]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        data = getattr(kwargs.get("form"), "cleaned_data", None) or {}
        return {"subject": data.get("subject"), "year": data.get("year")}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            subject = import_form.cleaned_data.get("subject")
            initial["subject"] = subject.pk if subject is not None else None
            initial["year"] = import_form.cleaned_data.get("year")
        return initial

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileRefused):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file", f"Không đọc được tệp ({type(e).__name__}); hãy gửi tệp .xlsx, .csv hoặc .tsv."
            )

    def process_result(self, result, request):
        outcome = result.outcome
        info = self.get_model_info()
        if outcome.errors:
            shown = "; ".join(str(e) for e in outcome.errors[:MAX_ERRORS_IN_MESSAGE])
            messages.error(request, f"Không nhập: {len(outcome.errors)} lỗi, không có gì được ghi. {shown}")
            return HttpResponseRedirect(
                reverse("admin:{}_{}_import".format(*info), current_app=self.admin_site.name)
            )
        for action in outcome.actions:
            messages.info(request, action)
        for note in outcome.notes:
            messages.warning(request, f"Lưu ý: {note}")
        messages.success(request, f"Đã nhập: {outcome.summary()}.")
        return HttpResponseRedirect(
            reverse("admin:{}_{}_changelist".format(*info), current_app=self.admin_site.name)
        )


class AnnexExportMixin:
    """An "Xuất phụ lục (Excel)" button on the assessment's page."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/xuat-phu-luc/",
                self.admin_site.admin_view(self.export_annex_view),
                name="{}_{}_export_annex".format(*info),
            ),
            *super().get_urls(),
        ]

    def export_annex_view(self, request, object_id):
        assessment = self.get_object(request, unquote(object_id))
        if assessment is None:
            raise Http404("Không có đợt đánh giá này.")
        if not self.has_view_permission(request, assessment):
            raise PermissionDenied
        export = export_annex(assessment)
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
