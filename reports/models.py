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


class RenderState(models.TextChoices):
    IDLE = "", "không có"
    QUEUED = "queued", "đang chờ tạo"
    RUNNING = "running", "đang tạo"


class RenderedReport(models.Model):
    """The newest rendered PDF or .docx of a report, and its one background rendering.

    One row per report and format (unique): the row is locked (select_for_update) to queue a
    rendering, so at most one is queued or running at a time. The file lives in the "reports"
    storage (local disk or object store); the row says which data it shows (`fingerprint`,
    `data_as_of`) so that a download can serve it at once, labelled, while a fresh one renders.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="rendered_reports"
    )
    format = models.CharField("định dạng", max_length=10, choices=ReportFormat.choices)
    file_name = models.CharField("tệp trong kho lưu trữ", max_length=255, blank=True)
    fingerprint = models.CharField("dấu vân tay dữ liệu", max_length=64, blank=True)
    data_as_of = models.DateTimeField("số liệu tính đến", null=True, blank=True)
    rendered_at = models.DateTimeField("tạo lúc", null=True, blank=True)
    render_seconds = models.FloatField("thời gian tạo (giây)", default=0)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    state = models.CharField(
        "tạo bản mới", max_length=10, choices=RenderState.choices, default=RenderState.IDLE, blank=True
    )
    queued_at = models.DateTimeField("xếp hàng lúc", null=True, blank=True)
    run_after = models.DateTimeField("tạo sau", null=True, blank=True)
    started_at = models.DateTimeField("bắt đầu tạo lúc", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    last_error = models.TextField("lỗi lần tạo gần nhất", blank=True)
    last_error_at = models.DateTimeField("lỗi lúc", null=True, blank=True)

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
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in RenderState]), name="rendered_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} ({self.format})"

    @property
    def pending(self) -> bool:
        return self.state != RenderState.IDLE


class ChartKind(models.TextChoices):
    INDEX = "index", "chỉ số các lĩnh vực"
    RANK = "rank", "thứ hạng các lĩnh vực"


class ChartDrawing(models.Model):
    """The newest drawing of one of a report's charts, kept in the database so that every web
    server shows it without drawing it (reports/drawings.py).

    One row per report and chart (unique). `key` names what was drawn (the chart's data and the
    drawing code, reports.drawings.spec_key): the report page shows the drawing as current when
    its key is the key of the data it shows. `asked_key` is the drawing a page asked the task
    worker for and is still waiting for; the same drawing is not queued twice.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="chart_drawings"
    )
    kind = models.CharField("biểu đồ", max_length=10, choices=ChartKind.choices)
    key = models.CharField("dấu vân tay hình vẽ", max_length=64, blank=True)
    svg = models.TextField("hình vẽ (SVG)", blank=True)
    data_as_of = models.DateTimeField("số liệu tính đến", null=True, blank=True)
    drawn_at = models.DateTimeField("vẽ lúc", null=True, blank=True)
    draw_seconds = models.FloatField("thời gian vẽ (giây)", default=0)
    asked_key = models.CharField("đang chờ vẽ", max_length=64, blank=True)
    asked_at = models.DateTimeField("yêu cầu vẽ lúc", null=True, blank=True)
    last_error = models.TextField("lỗi lần vẽ gần nhất", blank=True)

    class Meta:
        verbose_name = "biểu đồ báo cáo đã vẽ"
        verbose_name_plural = "biểu đồ báo cáo đã vẽ"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="chart_unique_assessment_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ChartKind]), name="chart_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} ({self.get_kind_display()})"
