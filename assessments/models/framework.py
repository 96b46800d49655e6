"""The criteria set (bộ tiêu chí) of one year and one kind of subject, as a tree of codes."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from .history import SourcedHistory
from .reference import SubjectKind

if TYPE_CHECKING:
    from ..scoring.rules import ScoringRule

SCORE_DIGITS = 8
SCORE_PLACES = 4


def score_field(verbose_name: str, **kwargs):
    return models.DecimalField(verbose_name, max_digits=SCORE_DIGITS, decimal_places=SCORE_PLACES, **kwargs)


class FrameworkQuerySet(models.QuerySet):
    def for_subject(self, subject, year: int):
        """The framework that scores `subject` in `year`.

        Provinces are scored on the ministry's national framework (no owner). A province
        scores its own departments and communes on a framework it issues itself (owner = the
        province); where it has none, the national one of that kind applies, if any.
        """
        frameworks = self.filter(year=year, subject_kind=subject.kind)
        province = subject.province
        if province is not None and province.pk != subject.pk:
            own = frameworks.filter(owner=province).first()
            if own is not None:
                return own
        return frameworks.filter(owner__isnull=True).first()


class Framework(models.Model):
    year = models.PositiveIntegerField("năm đánh giá")
    subject_kind = models.CharField(
        "loại đối tượng", max_length=20, choices=SubjectKind.choices, default=SubjectKind.PROVINCE
    )
    owner = models.ForeignKey(
        "assessments.Subject",
        verbose_name="tỉnh ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_frameworks",
        help_text="Để trống với bộ tiêu chí của Bộ Nội vụ; chọn tỉnh với bộ tiêu chí tỉnh tự ban hành "
        "để đánh giá các sở, ban, ngành và UBND cấp xã của mình.",
    )
    name = models.CharField("tên bộ tiêu chí", max_length=300)
    legal_basis = models.TextField(
        "văn bản ban hành",
        blank=True,
        help_text="Ví dụ: Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ.",
    )
    decision = models.CharField(
        "quyết định ban hành",
        max_length=300,
        blank=True,
        help_text="Số, ký hiệu quyết định ban hành bộ tiêu chí, ví dụ: Quyết định số 123/QĐ-UBND.",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()
    history = SourcedHistory(verbose_name="lịch sử bộ tiêu chí")

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["-year", "subject_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "subject_kind"],
                condition=Q(owner__isnull=True),
                name="framework_unique_national_year_kind",
            ),
            models.UniqueConstraint(
                fields=["year", "subject_kind", "owner"],
                condition=Q(owner__isnull=False),
                name="framework_unique_owner_year_kind",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind__in=SubjectKind.values),
                name="framework_subject_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Section(models.TextChoices):
    """Where a field's points count. The 100 points are the main fields; a province's own
    index may add a bonus section (điểm thưởng) and a deduction section (điểm trừ) outside
    them, each capped by its rule ("tối đa N"): points = main + bonus − deduction, and the
    index is points over the main fields' applicable maximum."""

    MAIN = "main", "Điểm chính (trong thang điểm)"
    BONUS = "bonus", "Điểm thưởng"
    DEDUCTION = "deduction", "Điểm trừ"


class ScoringMethod(models.TextChoices):
    SELF_ASSESSED = "self", "Tự đánh giá, thẩm định"
    LEADER_SURVEY = "leader_survey", "Khảo sát lãnh đạo, quản lý"
    PEOPLE_SURVEY = "people_survey", "Khảo sát sự hài lòng của người dân (SIPAS)"


class RuleKind(models.TextChoices):
    """How a criterion's score follows from the figures a department declares
    (docs/scoring-rules.md; computed in assessments.scoring.rules)."""

    NONE = "none", "Nhập điểm trực tiếp"
    RATIO = "ratio", "Tỷ lệ (điểm tối đa × a/b)"
    PERCENTAGE = "percentage", "Phần trăm (điểm tối đa × p%)"
    AFFINE = "affine", "Điểm nền cộng tỷ lệ (điểm tối đa × (k + (1 − k) × tỷ lệ))"
    WEIGHTED = "weighted", "Đếm có trọng số (điểm tối đa × số có trọng số / tổng số)"
    THRESHOLDS = "thresholds", "Theo ngưỡng"
    DEDUCTION = "deduction", "Trừ điểm theo mục, có mức sàn"
    CAP = "cap", "Giới hạn tổng điểm của nhóm (điểm thưởng, điểm trừ)"


@lru_cache(maxsize=65536)
def sort_key_for(code: str) -> str:
    """ "1.10.2" -> "0001.0010.0002" so that text order is code order. Kept per code: every
    roll-up sorts its tree by it (an import of 63 sheets, 126 times the same 133 codes)."""
    return ".".join(part.zfill(4) for part in code.split("."))


class Criterion(models.Model):
    """A node of the tree: a field (level 1), a criterion (2), a sub-criterion (3) or deeper.

    Only leaves hold scores; a parent's max, self and appraised scores are sums of its
    children's, computed in assessments.scoring.
    """

    framework = models.ForeignKey(
        Framework, verbose_name="bộ tiêu chí", on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="thuộc",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField("mã", max_length=30)
    name = models.TextField("tên")
    level = models.PositiveSmallIntegerField("cấp", editable=False)
    sort_key = models.CharField(max_length=100, editable=False, db_index=True)
    max_score = score_field("điểm tối đa")
    method = models.CharField(
        "cách chấm",
        max_length=20,
        choices=ScoringMethod.choices,
        default=ScoringMethod.SELF_ASSESSED,
    )
    guidance = models.TextField("hướng dẫn chấm điểm", blank=True)
    may_not_apply = models.BooleanField(
        "có thể không áp dụng",
        default=False,
        help_text="Bộ tiêu chí đánh dấu tiêu chí này có thể không áp dụng với một số đơn vị "
        "(điểm tối đa của đơn vị được trừ ra).",
    )
    section = models.CharField(
        "phần điểm",
        max_length=20,
        choices=Section.choices,
        default=Section.MAIN,
        help_text="Chỉ đặt ở lĩnh vực (cấp 1): điểm thưởng và điểm trừ nằm ngoài thang điểm.",
    )
    rule_kind = models.CharField(
        "cách tính điểm", max_length=20, choices=RuleKind.choices, default=RuleKind.NONE
    )
    rule_parameters = models.JSONField(
        "tham số cách tính điểm",
        default=dict,
        blank=True,
        help_text="Số viết dạng chuỗi có dấu chấm thập phân; đọc và kiểm tra bởi assessments.scoring.rules.",
    )
    figure_labels = models.CharField(
        "tên các số liệu",
        max_length=300,
        blank=True,
        help_text="Ví dụ: “số nhiệm vụ hoàn thành / tổng số nhiệm vụ” (tử số / mẫu số).",
    )
    agencies = models.ManyToManyField(
        "assessments.Agency",
        verbose_name="cơ quan tham mưu",
        blank=True,
        related_name="criteria",
        through="CriterionAgency",
    )
    history = SourcedHistory(verbose_name="lịch sử tiêu chí")

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["framework", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="criterion_unique_code"),
            models.CheckConstraint(condition=Q(max_score__gte=0), name="criterion_max_nonnegative"),
            models.CheckConstraint(
                condition=Q(method__in=ScoringMethod.values),
                name="criterion_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(rule_kind__in=[k.value for k in RuleKind]),
                name="criterion_rule_kind_valid",
            ),
            models.CheckConstraint(condition=Q(section__in=Section.values), name="criterion_section_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.level = self.code.count(".") + 1
        self.sort_key = sort_key_for(self.code)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """How the report names it: "Lĩnh vực 1", "TC 1.1", "TCTP 1.3.2"."""
        return criterion_label(self.code)

    @property
    def is_survey(self) -> bool:
        return self.method != ScoringMethod.SELF_ASSESSED

    # The rule is read by assessments.scoring.rules (imported here lazily: scoring imports models).

    @property
    def rule(self) -> ScoringRule:
        """The scoring rule as an object (assessments.scoring.rules.ScoringRule)."""
        from ..scoring.rules import ScoringRule

        return ScoringRule.from_criterion(self)

    @property
    def rule_notation(self) -> str:
        """The rule in the notation of the "Cách tính điểm" column: "tỷ lệ", "affine 0,5"…"""
        return self.rule.to_notation()

    @property
    def rule_description(self) -> str:
        """The rule in Vietnamese, for the criterion's guidance ("" for a typed score)."""
        return self.rule.describe(self.max_score)

    def rule_as_js_dict(self) -> dict[str, object]:
        """The rule as data for the entry page's script (data attributes, JSON)."""
        return self.rule.as_js_dict(self.max_score)


class CriterionAgency(models.Model):
    """An agency that answers for a criterion. Where several do, one leads (cơ quan chủ trì):
    it scores the criterion; the others (cơ quan phối hợp) see it, add evidence and a remark,
    and cannot change the score. Leads are per province (a national framework's criteria
    name the agencies of every province); where a province's links name no lead, the first
    linked leads (assessments.scoring)."""

    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.CASCADE, related_name="agency_links"
    )
    agency = models.ForeignKey(
        "assessments.Agency",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="criterion_links",
    )
    is_lead = models.BooleanField(
        "chủ trì",
        default=False,
        help_text="Cơ quan chủ trì chấm điểm tiêu chí; các cơ quan khác phối hợp (xem, bổ sung tài "
        "liệu và ý kiến, không sửa điểm).",
    )

    class Meta:
        db_table = "assessments_criterion_agencies"
        verbose_name = "cơ quan tham mưu tiêu chí"
        verbose_name_plural = "cơ quan tham mưu tiêu chí"
        ordering = ["id"]
        unique_together = [("criterion", "agency")]

    def __str__(self) -> str:
        role = "chủ trì" if self.is_lead else "phối hợp"
        return f"{self.criterion.code}: {self.agency} ({role})"


def criterion_label(code: str) -> str:
    level = code.count(".") + 1
    if level == 1:
        return f"Lĩnh vực {code}"
    if level == 2:
        return f"TC {code}"
    return f"TCTP {code}"


class GradeBand(models.Model):
    """A grade defined by the framework: "Nhóm A" from 90 %, "Nhóm B" from 80 %…"""

    framework = models.ForeignKey(
        Framework, verbose_name="bộ tiêu chí", on_delete=models.CASCADE, related_name="grade_bands"
    )
    label = models.CharField("xếp loại", max_length=100)
    min_index = models.DecimalField(
        "từ chỉ số (%)", max_digits=6, decimal_places=2, help_text="Chỉ số tối thiểu, tính cả mốc."
    )

    class Meta:
        verbose_name = "mức xếp loại"
        verbose_name_plural = "mức xếp loại"
        ordering = ["framework", "-min_index"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "label"], name="gradeband_unique_label"),
            models.CheckConstraint(
                condition=Q(min_index__gte=0) & Q(min_index__lte=100), name="gradeband_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (≥ {self.min_index}%)"
