"""In-app notifications: one row per person and workflow event (a part returned or
submitted, a phase change, an explanation requested, a deadline extended, an assessment
reopened), read or not. The e-mail copy follows the person's preference
(Profile.email_notifications); services/notifications.py writes both."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .assessment import Assessment
from .workflow import WorkflowEvent


class NotificationKind(models.TextChoices):
    RETURNED = "returned", "Phần việc bị trả lại"
    SUBMITTED = "submitted", "Phần việc đã được gửi"
    PHASE = "phase", "Chuyển giai đoạn"
    EXPLANATION = "explanation", "Đề nghị giải trình"
    EXTENDED = "extended", "Gia hạn"
    REOPENED = "reopened", "Mở lại"


class Notification(models.Model):
    Kind = NotificationKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhận",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        WorkflowEvent,
        verbose_name="thao tác",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    kind = models.CharField("loại", max_length=20, choices=NotificationKind.choices)
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("trang liên quan", max_length=300, blank=True)
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed = models.BooleanField("đã gửi thư", default=False)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
