"""django-import-export glue for the admin: one format that reads .xlsx/.csv/.tsv through
assessments.exchange.tables (with the file safety checks), and resources whose import_data
runs the exchange services and turns their outcome into an import_export Result, so the
admin's upload → preview (with per-row errors) → confirm flow shows exactly what the
commands do.
"""

from __future__ import annotations

import tablib
from django import forms
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.formats.base_formats import Format
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import Error, Result, RowResult

from assessments.models import Subject

from .annex import choose_sheet, import_annex_table, parse_annex
from .national import find_national_header, import_national_sheet
from .problems import CHANGED, NEW, STATUS_LABELS, FileRefused, ImportOutcome
from .published import find_summary_header, import_field_summary_sheet
from .safety import MAX_BYTES, check_size
from .tables import Sheet, read_tables


class TableDataset(tablib.Dataset):
    """A tablib Dataset that also carries the sheets as read by assessments.exchange.tables."""

    def __init__(self, sheets: list[Sheet]):
        super().__init__()
        self.sheets = sheets
        first = next((s for s in sheets if s.rows), None)
        if first is not None:
            width = max(len(values) for _, values in first.rows)
            for _, values in first.rows:
                self.append([("" if v is None else str(v)) for v in values] + [""] * (width - len(values)))

    def __bool__(self) -> bool:
        # An empty table is reported by the import service, in Vietnamese.
        return True


class SpreadsheetFormat(Format):
    """.xlsx, .csv or .tsv, recognised from the content; refused with a Vietnamese message."""

    def __init__(self, encoding=None):
        self.encoding = encoding  # text files are decoded by assessments.exchange.safety

    def get_title(self):
        return "Bảng tính (.xlsx, .csv, .tsv)"

    def create_dataset(self, in_stream):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        return TableDataset(read_tables(data))

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def get_extension(self):
        return "xlsx"

    def get_content_type(self):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def can_import(self):
        return True


IMPORT_TYPES = {NEW: RowResult.IMPORT_TYPE_NEW, CHANGED: RowResult.IMPORT_TYPE_UPDATE}


def outcome_to_result(outcome: ImportOutcome) -> Result:
    """The services' outcome as an import_export Result: row errors as invalid rows, the
    others as base errors, each change as a row result (new, update, skip)."""
    result = Result()
    result.outcome = outcome
    result.diff_headers = ["Dòng", "Mã", "Trạng thái", "Thay đổi"]
    for problem in outcome.errors:
        if problem.row is not None:
            result.append_invalid_row(problem.row, {"Mã": problem.code}, ValidationError(str(problem)))
        else:
            result.append_base_error(Error(str(problem)))
    for change in outcome.changes:
        row = RowResult()
        row.import_type = IMPORT_TYPES.get(change.status, RowResult.IMPORT_TYPE_SKIP)
        row.number = change.row
        row.diff = [change.row, change.code, STATUS_LABELS[change.status], change.details()]
        row.object_repr = change.code
        result.append_row_result(row)
        result.increment_row_result_total(row)
    return result


class ExchangeResource(resources.Resource):
    """Base: subject and year come from the admin form; import_data runs a service."""

    title = ""

    def __init__(self, subject: Subject | None = None, year: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.subject = subject
        self.year = year

    @classmethod
    def get_display_name(cls):
        return cls.title

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        outcome = ImportOutcome(dry_run=dry_run)
        sheets = getattr(dataset, "sheets", None)
        if sheets is None:
            outcome.error("Không đọc được bảng từ tệp.")
        else:
            self.run(sheets, outcome, dry_run=dry_run, user=kwargs.get("user"))
        return outcome_to_result(outcome)

    def run(self, sheets, outcome, *, dry_run, user):  # pragma: no cover - abstract
        raise NotImplementedError


class AnnexResource(ExchangeResource):
    title = "Bảng phụ lục điểm từng tiêu chí"

    def run(self, sheets, outcome, *, dry_run, user):
        if self.subject is None or self.year is None:
            outcome.error("Cần chọn đối tượng và năm đánh giá.")
            return
        sheet = choose_sheet(sheets, None, outcome)
        if sheet is None:
            return
        table = parse_annex(sheet, outcome, label=sheet.name if len(sheets) > 1 else "")
        import_annex_table(table, self.subject, self.year, dry_run=dry_run, user=user, outcome=outcome)


class FieldSummaryResource(ExchangeResource):
    title = "Bảng tổng hợp Chỉ số, thứ hạng từng lĩnh vực"

    def run(self, sheets, outcome, *, dry_run, user):
        if self.subject is None or self.year is None:
            outcome.error("Cần chọn đối tượng và năm đánh giá.")
            return
        sheet = next((s for s in sheets if find_summary_header(s) is not None), sheets[0])
        import_field_summary_sheet(sheet, self.subject, self.year, dry_run=dry_run, outcome=outcome)


class NationalResultsResource(ExchangeResource):
    title = "Bảng kết quả Chỉ số CCHC toàn quốc"

    def run(self, sheets, outcome, *, dry_run, user):
        if self.year is None:
            outcome.error("Cần chọn năm đánh giá.")
            return
        sheet = next((s for s in sheets if find_national_header(s) is not None), sheets[0])
        kind = self.subject.kind if self.subject is not None else "province"
        import_national_sheet(sheet, self.year, kind=kind, dry_run=dry_run, outcome=outcome)


# --- forms --------------------------------------------------------------------------------


class SubjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        until = f", đến {obj.valid_until:%d/%m/%Y}" if obj.valid_until else ""
        since = f", từ {obj.valid_from:%d/%m/%Y}" if obj.valid_from else ""
        return f"{obj.name} ({obj.code}{since}{until})"


class ExchangeImportForm(ImportForm):
    subject = SubjectChoiceField(
        queryset=Subject.objects.order_by("kind", "name", "valid_from"),
        label="Đối tượng đánh giá",
        required=False,
        help_text="Bắt buộc với bảng phụ lục và bảng tổng hợp lĩnh vực.",
    )
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100)

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = "Tệp cần nhập"
        self.fields[
            "import_file"
        ].help_text = f"Tệp .xlsx, .csv hoặc .tsv, tối đa {MAX_BYTES // 1024 // 1024} MB và 20.000 dòng."
        self.fields["format"].label = "Định dạng"
        if "resource" in self.fields:
            self.fields["resource"].label = "Loại bảng"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except FileRefused as exc:
            raise ValidationError(str(exc)) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        subject, year = cleaned.get("subject"), cleaned.get("year")
        if subject is not None and year is not None and not subject.is_valid_in_year(year):
            self.add_error("subject", f"{subject.name} không tồn tại trong năm {year}.")
        return cleaned


class ExchangeConfirmForm(ConfirmImportForm):
    subject = forms.ModelChoiceField(queryset=Subject.objects.all(), required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)
