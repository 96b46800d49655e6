"""Admin pieces of the Excel exchange: the import mixin (upload → preview → confirm through
django-import-export, in Vietnamese) and the annex export view.

The confirm step imports exactly what was previewed, once: the preview signs a token over
the stored file's SHA-256, every parameter (table type, subject, year, format, file, user)
and the rows the preview shows; the confirm refuses a token that does not match what it is
sent (a year changed in the page, another file), a file that changed, a preview already
imported (the stored file is taken by an atomic rename, so two confirms cannot both read
it), and an import that would not do what the preview showed (rolled back).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from import_export.admin import ImportMixin
from import_export.tmp_storages import TempFolderStorage

from ..downloads import attachment
from .export import export_annex
from .problems import FileRefused
from .resources import ExchangeConfirmForm, ExchangeImportForm, SpreadsheetFormat

MAX_ERRORS_IN_MESSAGE = 20
CONFIRM_SALT = "assessments.exchange.admin-import-confirm"
CONFIRM_MAX_AGE = 2 * 60 * 60  # seconds a preview stays valid
PREVIEW_GONE = (
    "Bản xem trước này đã được nhập, hoặc không còn trên máy chủ: không nhập lại. "
    "Nếu cần, hãy tải tệp lên và xem trước lần nữa."
)
PREVIEW_MISMATCH = (
    "Thông tin xác nhận khác với bản xem trước (loại bảng, đối tượng, năm hoặc tệp đã bị thay "
    "đổi): không nhập. Hãy tải tệp lên và xem trước lần nữa."
)
PREVIEW_EXPIRED = "Bản xem trước đã quá 2 giờ: không nhập. Hãy tải tệp lên và xem trước lần nữa."
DATA_CHANGED = (
    "Dữ liệu đã thay đổi từ lúc xem trước (có người vừa sửa hoặc nhập): kết quả nhập sẽ khác bản "
    "xem trước, nên không nhập gì. Hãy tải tệp lên và xem trước lần nữa."
)
FILE_CHANGED = "Tệp đã thay đổi sau khi xem trước: không nhập. Hãy tải tệp lên và xem trước lần nữa."


class PreviewStorage(TempFolderStorage):
    """The uploaded file between preview and confirm, taken at most once."""

    def take(self) -> bytes | None:
        """The stored bytes, removing the file; None if another confirm took it first."""
        path = self.get_full_path()
        taken = f"{path}.{uuid.uuid4().hex}.dang-nhap"
        try:
            os.rename(path, taken)
        except FileNotFoundError:
            return None
        try:
            with open(taken, "rb") as handle:
                return handle.read()
        finally:
            os.remove(taken)


class BoundConfirmForm(ExchangeConfirmForm):
    token = forms.CharField(widget=forms.HiddenInput)


class PreviewOutdated(Exception):
    """The import would not do what the preview showed: rolled back."""


def changes_digest(outcome) -> str:
    """What an import does, row by row: status and old → new values."""
    rows = [[c.row, c.code, c.status, c.details()] for c in outcome.changes]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def _as_text(value) -> str:
    """A form value as the page sends it: "" for none, a model by its pk."""
    return "" if value is None else str(getattr(value, "pk", value))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ExchangeImportMixin(ImportMixin):
    import_form_class = ExchangeImportForm
    confirm_form_class = BoundConfirmForm
    tmp_storage_class = PreviewStorage
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
            stored = PreviewStorage(name=initial["import_file_name"], read_mode="rb")
            payload = self._confirm_parameters(request, initial)
            payload["sha256"] = _sha256(stored.read())
            initial["token"] = signing.dumps(payload, salt=CONFIRM_SALT)
        return initial

    def _confirm_parameters(self, request, values) -> dict:
        """What a confirm must repeat exactly: the preview's parameters, as text."""
        keys = ("import_file_name", "format", "resource", "subject", "year")
        parameters = {key: _as_text(values.get(key)) for key in keys}
        parameters["import_file_name"] = os.path.basename(parameters["import_file_name"])
        parameters["model"] = self.opts.label_lower
        parameters["user"] = str(request.user.pk)
        return parameters

    def process_import(self, request, **kwargs):
        """Import the previewed file with the previewed parameters, once; any other request
        is refused with a message and changes nothing."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return self._refuse_confirm(request, PREVIEW_MISMATCH)
        try:
            signed = signing.loads(form.cleaned_data["token"], salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        except signing.SignatureExpired:
            return self._refuse_confirm(request, PREVIEW_EXPIRED)
        except signing.BadSignature:
            return self._refuse_confirm(request, PREVIEW_MISMATCH)
        expected = self._confirm_parameters(request, form.cleaned_data)
        if {key: signed.get(key) for key in expected} != expected:
            return self._refuse_confirm(request, PREVIEW_MISMATCH)
        data = PreviewStorage(name=form.cleaned_data["import_file_name"], read_mode="rb").take()
        if data is None:
            return self._refuse_confirm(request, PREVIEW_GONE)
        if _sha256(data) != signed.get("sha256"):
            return self._refuse_confirm(request, FILE_CHANGED)
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        dataset = input_format.create_dataset(data)
        try:
            with transaction.atomic():
                result = self.process_dataset(dataset, form, request, **kwargs)
                outcome = getattr(result, "outcome", None)
                if (
                    outcome is not None
                    and not outcome.errors
                    and changes_digest(outcome) != signed.get("changes")
                ):
                    raise PreviewOutdated
        except PreviewOutdated:
            return self._refuse_confirm(request, DATA_CHANGED)
        return self.process_result(result, request)

    def import_action(self, request, **kwargs):
        """The preview; its confirm token also binds the rows it shows (new, changed, unchanged
        with their old → new values), so that a confirm imports exactly those."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form, result = context.get("confirm_form"), context.get("result")
        outcome = getattr(result, "outcome", None)
        if form is not None and outcome is not None and form.initial.get("token"):
            payload = signing.loads(form.initial["token"], salt=CONFIRM_SALT)
            payload["changes"] = changes_digest(outcome)
            form.initial["token"] = signing.dumps(payload, salt=CONFIRM_SALT)
        return response

    def _refuse_confirm(self, request, message: str):
        messages.error(request, message)
        info = self.get_model_info()
        return HttpResponseRedirect(
            reverse("admin:{}_{}_import".format(*info), current_app=self.admin_site.name)
        )

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
        return attachment(export.content, export.content_type, export.filename, export.display_name)
