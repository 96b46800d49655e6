"""What a report stores: the people's narrative, and the rendered files kept until stale.

Figures are never stored here: they are computed by assessments.scoring each time.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from assessments.models import Assessment
from assessments.models.assessment import HistoryStamps


class ReportNarrative(HistoryStamps, models.Model):
    """The parts of the BC-SNV report only people can write. An empty text means
    "use the generated draft", so a report is complete without any typing and the draft
    follows the data until someone edits it."""

    assessment = models.OneToOneField(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="report_narrative"
    )
    document_number = models.CharField(
        "số văn bản", max_length=20, blank=True, help_text="Chỉ ghi số, ví dụ 15 (ký hiệu /BC-SNV tự thêm)."
    )
    issue_date = models.DateField("ngày ban hành", null=True, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    signer_authority = models.CharField(
        "quyền hạn ký", max_length=50, blank=True, help_text="Ví dụ: KT. GIÁM ĐỐC (để trống nếu Giám đốc ký)."
    )
    signer_title = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=100, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi nơi một dòng.")
    assessment_text = models.TextField("III. Đánh giá chung", blank=True)
    proposals_text = models.TextField("IV. Đề xuất giải pháp", blank=True)
    field_texts = models.JSONField("nhận xét từng lĩnh vực", default=dict, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(verbose_name="lịch sử nội dung báo cáo")

    class Meta:
        verbose_name = "nội dung báo cáo"
        verbose_name_plural = "nội dung báo cáo"

    def __str__(self) -> str:
        return f"Báo cáo {self.assessment}"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"


class RenderedReport(models.Model):
    """A rendered PDF or .docx, valid while its fingerprint matches the data behind it."""

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="rendered_reports"
    )
    format = models.CharField("định dạng", max_length=10, choices=ReportFormat.choices)
    fingerprint = models.CharField("dấu vân tay dữ liệu", max_length=64)
    content = models.BinaryField("nội dung")
    rendered_at = models.DateTimeField("tạo lúc", auto_now=True)
    render_seconds = models.FloatField("thời gian tạo (giây)", default=0)

    class Meta:
        verbose_name = "tệp báo cáo đã tạo"
        verbose_name_plural = "tệp báo cáo đã tạo"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "format"], name="rendered_unique_assessment_format"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=[f.value for f in ReportFormat]), name="rendered_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} ({self.format})"
