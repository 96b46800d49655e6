"""A user's role in the PAR INDEX process, the province the account works for and the agency
a department editor works for."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q

from .reference import Agency, Subject, SubjectKind


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
    province = models.ForeignKey(
        Subject,
        verbose_name="tỉnh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
        limit_choices_to={"kind": SubjectKind.PROVINCE},
        help_text="Tài khoản chỉ thấy các đợt đánh giá của tỉnh này. Bắt buộc, trừ quản trị hệ thống.",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
        help_text="Bắt buộc với cán bộ cơ quan tham mưu.",
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
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(province__isnull=False),
                name="profile_agency_has_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    def clean(self) -> None:
        """Every account but a superuser's works for one province; an agency is one of that
        province's."""
        errors = {}
        try:
            is_superuser = self.user.is_superuser
        except ObjectDoesNotExist:
            is_superuser = False
        province = self.province  # None, without a query, when no province is chosen
        agency = self.agency
        if province is None and not is_superuser:
            errors["province"] = "Phải chọn tỉnh của tài khoản (chỉ quản trị hệ thống được để trống)."
        if province is not None and province.kind != SubjectKind.PROVINCE:
            errors["province"] = "Phải chọn một tỉnh, thành phố trực thuộc Trung ương."
        if self.role == Role.DEPARTMENT_EDITOR and agency is None:
            errors["agency"] = "Cán bộ cơ quan tham mưu phải thuộc một cơ quan."
        if agency is not None and province is not None and province.pk != agency.province_id:
            errors["agency"] = f"Cơ quan “{agency}” không thuộc {province.title}."
        if errors:
            raise ValidationError(errors)
