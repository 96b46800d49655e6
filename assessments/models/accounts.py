"""A user's role in the PAR INDEX process, and the agency a department editor works for."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .reference import Agency


class Role(models.TextChoices):
    PROCESS_OWNER = "process_owner", "Sở Nội vụ (chủ trì)"
    DEPARTMENT_EDITOR = "department_editor", "Cán bộ cơ quan tham mưu"
    APPRAISER = "appraiser", "Thành viên hội đồng thẩm định"
    VIEWER = "viewer", "Lãnh đạo (chỉ xem)"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản",
        on_delete=models.CASCADE,
        related_name="parindex_profile",
    )
    role = models.CharField("vai trò", max_length=30, choices=Role.choices, default=Role.VIEWER)
    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
        help_text="Bắt buộc với cán bộ cơ quan tham mưu.",
    )
    province = models.ForeignKey(
        "assessments.Subject",
        verbose_name="tỉnh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
        limit_choices_to={"kind": "province"},
    )
    email_notifications = models.BooleanField(
        "nhận thông báo qua thư điện tử",
        default=True,
        help_text="Bỏ chọn để chỉ nhận thông báo trong ParIndex (biểu tượng chuông).",
    )

    class Meta:
        verbose_name = "vai trò người dùng"
        verbose_name_plural = "vai trò người dùng"
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="profile_role_valid"),
            models.CheckConstraint(
                condition=~Q(role=Role.DEPARTMENT_EDITOR) | Q(agency__isnull=False),
                name="profile_editor_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
