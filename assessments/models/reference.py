"""Who is assessed and who answers: subjects (provinces, departments, communes) and agencies.

Both are valid for a range of dates, because provinces and departments were merged in 2025.
"""

import datetime

from django.db import models
from django.db.models import Q

from .history import SourcedHistory


class ValidityQuerySet(models.QuerySet):
    def valid_in_year(self, year: int):
        """Objects that existed at some time during the given year."""
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_until__isnull=True) | Q(valid_until__gte=start),
        )

    def valid_on(self, day: datetime.date):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class Validity(models.Model):
    valid_from = models.DateField("hiệu lực từ ngày", null=True, blank=True)
    valid_until = models.DateField("hiệu lực đến ngày", null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_in_year(self, year: int) -> bool:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_until is None or self.valid_until >= start
        )


class SubjectKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh, thành phố trực thuộc Trung ương"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "UBND cấp huyện"
    COMMUNE = "commune", "UBND cấp xã"
    CENTRAL_AGENCY = "central_agency", "Cơ quan Trung ương đóng trên địa bàn"
    PUBLIC_SERVICE_UNIT = "public_service_unit", "Đơn vị sự nghiệp"


# The kinds that sit under a province (its own index ranks them, each kind as a block).
UNIT_KINDS = (
    SubjectKind.DEPARTMENT,
    SubjectKind.DISTRICT,
    SubjectKind.COMMUNE,
    SubjectKind.CENTRAL_AGENCY,
    SubjectKind.PUBLIC_SERVICE_UNIT,
)


class Subject(Validity):
    """A unit whose PAR INDEX is determined: a province, or (for a province's own index)
    one of its departments or communes."""

    kind = models.CharField("loại đối tượng", max_length=20, choices=SubjectKind.choices)
    name = models.CharField("tên", max_length=200)
    code = models.CharField("mã hành chính", max_length=20, blank=True)
    region = models.CharField("vùng", max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="thuộc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    predecessors = models.ManyToManyField(
        "self",
        verbose_name="hợp nhất từ",
        symmetrical=False,
        blank=True,
        related_name="successors",
    )

    objects = ValidityQuerySet.as_manager()
    history = SourcedHistory(verbose_name="lịch sử đối tượng đánh giá")

    class Meta:
        verbose_name = "đối tượng đánh giá"
        verbose_name_plural = "đối tượng đánh giá"
        ordering = ["kind", "code", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SubjectKind.values), name="subject_kind_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="subject_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def province(self):
        """The province this subject belongs to (itself for a province), following parents."""
        subject, seen = self, set()
        while subject is not None and subject.pk not in seen:
            if subject.kind == SubjectKind.PROVINCE:
                return subject
            seen.add(subject.pk)
            subject = subject.parent
        return None

    @property
    def title(self) -> str:
        """How a report names it: "tỉnh Bình Phước", "thành phố Hà Nội"."""
        if self.kind == SubjectKind.PROVINCE:
            lowered = self.name.lower()
            if lowered.startswith(("thành phố", "tp")):
                return self.name
            if self.name in CENTRAL_CITIES:
                return f"thành phố {self.name}"
            return f"tỉnh {self.name}"
        return self.name


class SubjectName(Validity):
    """A name a subject had for a time, other than its current one: "Thừa Thiên Huế" until
    31/12/2024, "Huế" since. Tables of those years name the unit this way."""

    subject = models.ForeignKey(
        Subject, verbose_name="đối tượng", on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField("tên", max_length=200)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "tên trước đây"
        verbose_name_plural = "tên trước đây"
        ordering = ["subject", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "name"], name="subject_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


# Provinces whose official name is "Thành phố …" (trực thuộc Trung ương).
CENTRAL_CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ", "Huế"}


class Agency(Validity):
    """A department that advises on (tham mưu) fields or criteria: Sở Nội vụ, Sở Tư pháp…"""

    name = models.CharField("tên cơ quan", max_length=200)
    short_name = models.CharField("tên viết tắt", max_length=50, blank=True)
    province = models.ForeignKey(
        Subject,
        verbose_name="thuộc tỉnh",
        on_delete=models.PROTECT,
        related_name="agencies",
        limit_choices_to={"kind": SubjectKind.PROVINCE},
    )
    is_process_owner = models.BooleanField(
        "cơ quan thường trực CCHC (Sở Nội vụ)",
        default=False,
        help_text="Cơ quan chủ trì quy trình và báo cáo Chỉ số CCHC của tỉnh.",
    )
    email = models.EmailField("thư điện tử", blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="sáp nhập vào",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "cơ quan tham mưu"
        verbose_name_plural = "cơ quan tham mưu"
        ordering = ["province", "name"]
        # One agency of a name per province and start date, an empty start date included: two
        # partial unique indexes, because SQLite ignores UniqueConstraint(nulls_distinct=False).
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name", "valid_from"],
                condition=Q(valid_from__isnull=False),
                name="agency_unique_name_per_province",
                violation_error_message="Tỉnh đã có cơ quan cùng tên, hiệu lực từ cùng ngày.",
            ),
            models.UniqueConstraint(
                fields=["province", "name"],
                condition=Q(valid_from__isnull=True),
                name="agency_unique_name_per_province_undated",
                violation_error_message="Tỉnh đã có cơ quan cùng tên không ghi ngày bắt đầu hiệu lực.",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="agency_validity_ordered",
                violation_error_message="Ngày hết hiệu lực phải từ ngày bắt đầu hiệu lực trở đi.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
