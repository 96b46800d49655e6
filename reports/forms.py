"""The narrative form: one text area per field plus sections III, IV, signer, number, date."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from assessments.decimals import format_index, format_score

from .facts import ReportFacts
from .services import NARRATIVE_MAX_CHARS, too_long_message

digits = RegexValidator(r"^\d{0,6}$", "Số văn bản chỉ gồm chữ số, ví dụ 15 (ký hiệu /BC-SNV tự thêm).")


def within_limit(value: str) -> None:
    """A narrative block is at most NARRATIVE_MAX_CHARS long (the service checks it too)."""
    if len(value) > NARRATIVE_MAX_CHARS:
        raise ValidationError(too_long_message(len(value)), code="max_length")


def narrative_field(label: str, rows: int, **extra) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        validators=[within_limit],
        widget=forms.Textarea(attrs={"rows": rows}),
        **extra,
    )


class NarrativeForm(forms.Form):
    document_number = forms.CharField(
        label="Số văn bản",
        required=False,
        max_length=6,
        validators=[digits],
        help_text="Ví dụ: 15 → Số: 15/BC-SNV",
    )
    issue_date = forms.DateField(
        label="Ngày ban hành",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Ngày không hợp lệ (ví dụ 05/03/2024)."},
        help_text="Để trống thì báo cáo in chỗ trống để ghi tay.",
    )
    place = forms.CharField(label="Địa danh", required=False, max_length=100)
    signer_authority = forms.CharField(
        label="Quyền hạn ký",
        required=False,
        max_length=50,
        help_text="Ví dụ: KT. GIÁM ĐỐC (để trống nếu Giám đốc ký).",
    )
    signer_title = forms.CharField(label="Chức vụ người ký", required=False, max_length=100)
    signer_name = forms.CharField(label="Họ tên người ký", required=False, max_length=100)
    recipients = narrative_field("Nơi nhận", 6, help_text="Mỗi nơi một dòng.")
    assessment_text = narrative_field("III. Đánh giá chung", 8)
    proposals_text = narrative_field("IV. Đề xuất giải pháp nâng cao Chỉ số", 10)

    def __init__(self, *args, facts: ReportFacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_rows = []
        for f in facts.fields:
            name = f"field_{f.code}"
            self.fields[name] = narrative_field(f"Lĩnh vực {f.code}. {f.name}", 5)
            figures = (
                f"Đạt {format_score(f.node.appraised)}/{format_score(f.node.applicable_max)} điểm, "
                f"Chỉ số {format_index(f.index)}%"
            )
            if f.comparison.rank:
                figures += f", thứ hạng {f.comparison.rank}"
            figures += f"; {len(f.below_max)} tiêu chí chưa đạt điểm tối đa"
            self.field_rows.append((name, figures))

    def field_blocks(self):
        return [(self[name], figures) for name, figures in self.field_rows]
