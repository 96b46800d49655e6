"""An assessment (one subject against one framework), its leaf scores and published results."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from .framework import Criterion, Framework, score_field
from .history import ChangeSource, HistorySource, SourcedHistory  # noqa: F401 - migrations name them here
from .reference import Subject


class HistoryStamps:
    """What a writer sets on an instance before save() so that its historical record says who
    changed it, why and from where (django-simple-history reads the last two, signals.py the
    first). Declared for the type checker only: Django ignores bare annotations."""

    _change_source: str
    _history_user: Any
    _change_reason: str


class AssessmentPhase(models.TextChoices):
    PREPARATION = "preparation", "Chuẩn bị"
    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
    APPRAISAL = "appraisal", "Thẩm định"
    EXPLANATION = "explanation", "Giải trình"
    RECHECK = "recheck", "Phúc tra"
    PUBLISHED = "published", "Đã công bố"


class Assessment(HistoryStamps, models.Model):
    Phase = AssessmentPhase

    subject = models.ForeignKey(
        Subject, verbose_name="đối tượng", on_delete=models.PROTECT, related_name="assessments"
    )
    framework = models.ForeignKey(
        Framework, verbose_name="bộ tiêu chí", on_delete=models.PROTECT, related_name="assessments"
    )
    phase = models.CharField("giai đoạn", max_length=20, choices=Phase.choices, default=Phase.SELF_ASSESSMENT)
    is_locked = models.BooleanField("đã khóa", default=False)
    self_assessment_deadline = models.DateTimeField("hạn tự đánh giá", null=True, blank=True)
    explanation_deadline = models.DateTimeField("hạn giải trình", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    history = SourcedHistory(verbose_name="lịch sử đợt đánh giá")

    class Meta:
        verbose_name = "đợt đánh giá"
        verbose_name_plural = "đợt đánh giá"
        ordering = ["-framework__year", "subject__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "framework"], name="assessment_unique_subject_framework"
            ),
            models.CheckConstraint(
                condition=Q(phase__in=AssessmentPhase.values), name="assessment_phase_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} – {self.framework.year}"

    @property
    def year(self) -> int:
        return self.framework.year


class Score(HistoryStamps, models.Model):
    """What was entered for one leaf criterion of one assessment."""

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="scores"
    )
    applicable = models.BooleanField(
        "áp dụng",
        default=True,
        help_text="Bỏ chọn nếu tiêu chí không áp dụng cho đối tượng này: điểm tối đa được trừ ra.",
    )
    self_score = score_field("điểm tự đánh giá", null=True, blank=True)
    self_figures = models.CharField(
        "số liệu tự đánh giá",
        max_length=100,
        blank=True,
        help_text="Số liệu cơ quan khai (“40/41”, “98,49%”), dạng chuẩn; điểm tính từ đây theo cách tính "
        "điểm của tiêu chí.",
    )
    explanation = models.TextField("giải trình điểm tự đánh giá", blank=True)
    appraised_score = score_field("điểm thẩm định", null=True, blank=True)
    appraised_figures = models.CharField(
        "số liệu thẩm định",
        max_length=100,
        blank=True,
        help_text="Số liệu theo kết quả thẩm định, dạng chuẩn.",
    )
    appraised_override_reason = models.TextField(
        "lý do điều chỉnh điểm thẩm định",
        blank=True,
        help_text="Bắt buộc khi điểm thẩm định khác điểm tính từ số liệu thẩm định.",
    )
    appraisal_comment = models.TextField("ý kiến hội đồng thẩm định", blank=True)
    response = models.TextField(
        "giải trình ý kiến thẩm định",
        blank=True,
        help_text="Ý kiến của cơ quan tham mưu trong thời gian giải trình.",
    )
    rechecked_score = score_field("điểm phúc tra", null=True, blank=True)
    recheck_comment = models.TextField("ý kiến phúc tra", blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = SourcedHistory(verbose_name="lịch sử điểm")

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        ordering = ["assessment", "criterion__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="score_unique_assessment_criterion"
            ),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0),
                name="score_self_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(appraised_score__isnull=True) | Q(appraised_score__gte=0),
                name="score_appraised_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(rechecked_score__isnull=True) | Q(rechecked_score__gte=0),
                name="score_rechecked_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} / {self.criterion.code}"

    @property
    def final_score(self):
        """The appraised score that counts: the re-check's when there was one."""
        return self.rechecked_score if self.rechecked_score is not None else self.appraised_score


class PublishedResult(HistoryStamps, models.Model):
    """An index and rank as published by the ministry, for a subject, a year and either the
    total (field_code "") or one field. Kept as published, even where it differs from what
    the scores give; the difference is reported, not hidden."""

    subject = models.ForeignKey(
        Subject, verbose_name="đối tượng", on_delete=models.PROTECT, related_name="published_results"
    )
    year = models.PositiveIntegerField("năm")
    field_code = models.CharField("mã lĩnh vực", max_length=30, blank=True)
    field_name = models.CharField("tên lĩnh vực", max_length=300, blank=True)
    score = score_field("điểm", null=True, blank=True)
    index = models.DecimalField(
        "chỉ số (%)",
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Trống khi nguồn chỉ công bố thứ hạng.",
    )
    rank = models.PositiveIntegerField("thứ hạng", null=True, blank=True)
    ranked_count = models.PositiveIntegerField(
        "số đơn vị được xếp hạng", null=True, blank=True, help_text="63 đến năm 2024, 34 sau sáp nhập."
    )
    source = models.CharField("nguồn", max_length=300, blank=True)
    imported_at = models.DateTimeField("nhập lúc", auto_now=True)

    history = SourcedHistory(verbose_name="lịch sử kết quả công bố")

    class Meta:
        verbose_name = "kết quả công bố"
        verbose_name_plural = "kết quả công bố"
        ordering = ["-year", "subject", "field_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "year", "field_code"], name="published_unique_subject_year_field"
            ),
            models.CheckConstraint(
                condition=Q(index__isnull=True) | (Q(index__gte=0) & Q(index__lte=100)),
                name="published_index_in_range",
            ),
            models.CheckConstraint(
                condition=Q(index__isnull=False) | Q(rank__isnull=False), name="published_index_or_rank"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="published_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        scope = f"lĩnh vực {self.field_code}" if self.field_code else "tổng"
        shown = f"{self.index}%" if self.index is not None else f"hạng {self.rank}"
        return f"{self.subject} {self.year} ({scope}): {shown}"


class CriterionRemark(HistoryStamps, models.Model):
    """A contributing agency's (cơ quan phối hợp) remark on a criterion that another agency
    leads: shown to the lead and to Sở Nội vụ, kept with its history; never the score."""

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="remarks"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="remarks"
    )
    agency = models.ForeignKey(
        "assessments.Agency",
        verbose_name="cơ quan phối hợp",
        on_delete=models.PROTECT,
        related_name="remarks",
    )
    text = models.TextField("ý kiến", blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = SourcedHistory(verbose_name="lịch sử ý kiến phối hợp")

    class Meta:
        verbose_name = "ý kiến của cơ quan phối hợp"
        verbose_name_plural = "ý kiến của cơ quan phối hợp"
        ordering = ["criterion", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion", "agency"], name="criterion_remark_unique_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} – {self.agency}"
