"""Evidence files (tài liệu kiểm chứng): private, stored under generated names, served only
through a view that checks who may see the criterion."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .assessment import Assessment
from .framework import Criterion
from .reference import Agency


def evidence_path(instance, filename: str) -> str:
    """A generated name: nothing of what the user called the file reaches the disk."""
    extension = instance.extension or "bin"
    return f"evidence/{instance.assessment_id}/{uuid.uuid4().hex}.{extension}"


class EvidenceKind(models.TextChoices):
    PDF = "pdf", "PDF"
    WORD = "word", "Word"
    EXCEL = "excel", "Excel"
    IMAGE = "image", "Ảnh"


class Evidence(models.Model):
    Kind = EvidenceKind

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="evidence"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField("tệp", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    extension = models.CharField("phần mở rộng", max_length=10)
    content_type = models.CharField("kiểu nội dung", max_length=120)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["assessment", "criterion__sort_key", "uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.original_name
