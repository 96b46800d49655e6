"""The self-assessment workflow around an assessment: each agency's submission of its part
(per stage: self-assessment, explanation), the answers frozen at submission, deadline
extensions, and a log of the workflow's actions with their written reasons.

Nothing here moves by itself: a passed deadline locks entry (worked out at each request
from the dates and the extensions), it never submits anyone's part.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .assessment import Assessment, HistoryStamps, SourcedHistory
from .framework import Criterion, score_field
from .reference import Agency


class Stage(models.TextChoices):
    """The two moments when an agency answers: its self-assessment, then its explanation
    (giải trình) of the council's appraisal."""

    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
    EXPLANATION = "explanation", "Giải trình"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    SUBMITTED = "submitted", "Đã gửi"
    RETURNED = "returned", "Bị trả lại"


class Submission(HistoryStamps, models.Model):
    """One agency's part of one assessment at one stage: a draft until it is sent ("Gửi"),
    then read-only until Sở Nội vụ returns it with a comment."""

    Status = SubmissionStatus

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="submissions"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="submissions"
    )
    stage = models.CharField("bước", max_length=20, choices=Stage.choices, default=Stage.SELF_ASSESSMENT)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người gửi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_at = models.DateTimeField("trả lại lúc", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người trả lại",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_comment = models.TextField("ý kiến khi trả lại", blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    history = SourcedHistory(verbose_name="lịch sử gửi, trả lại")

    class Meta:
        verbose_name = "phần việc của cơ quan"
        verbose_name_plural = "phần việc của các cơ quan"
        ordering = ["assessment", "agency__name", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "agency", "stage"], name="submission_unique_agency_stage"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="submission_stage_valid"),
            models.CheckConstraint(
                condition=~Q(status=SubmissionStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="submission_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.agency} ({self.get_stage_display()}: {self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class SubmittedAnswer(models.Model):
    """A criterion's answer as it stood when the agency sent its part, with the criterion's
    code, name and max copied, so a later edit of the framework cannot change it."""

    submission = models.ForeignKey(
        Submission, verbose_name="lần gửi", on_delete=models.CASCADE, related_name="answers"
    )
    submitted_at = models.DateTimeField("gửi lúc")
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    criterion_code = models.CharField("mã tiêu chí", max_length=30)
    criterion_name = models.TextField("tên tiêu chí")
    max_score = score_field("điểm tối đa")
    applicable = models.BooleanField("áp dụng", default=True)
    self_score = score_field("điểm tự đánh giá", null=True, blank=True)
    self_figures = models.CharField("số liệu tự đánh giá", max_length=100, blank=True)
    explanation = models.TextField("giải trình điểm tự đánh giá", blank=True)
    response = models.TextField("giải trình ý kiến thẩm định", blank=True)
    score_version = models.PositiveIntegerField("phiên bản điểm", default=0)

    class Meta:
        verbose_name = "câu trả lời đã gửi"
        verbose_name_plural = "câu trả lời đã gửi"
        ordering = ["-submitted_at", "criterion_code"]
        indexes = [models.Index(fields=["submission", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.criterion_code} ({self.submitted_at:%d/%m/%Y %H:%M})"


class DeadlineExtension(models.Model):
    """More time for one agency, or for one criterion, at one stage."""

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="extensions"
    )
    stage = models.CharField("bước", max_length=20, choices=Stage.choices, default=Stage.SELF_ASSESSMENT)
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateTimeField("gia hạn đến")
    reason = models.TextField("lý do")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người gia hạn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "gia hạn"
        verbose_name_plural = "gia hạn"
        ordering = ["assessment", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, criterion__isnull=True)
                | Q(agency__isnull=True, criterion__isnull=False),
                name="extension_agency_xor_criterion",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="extension_stage_valid"),
        ]

    def __str__(self) -> str:
        target = self.agency or (self.criterion and self.criterion.code)
        return f"Gia hạn {target} đến {self.until:%d/%m/%Y %H:%M}"


class WorkflowAction(models.TextChoices):
    SUBMIT = "submit", "Gửi"
    RETURN = "return", "Trả lại"
    EXTEND = "extend", "Gia hạn"
    LOCK = "lock", "Khóa"
    UNLOCK = "unlock", "Mở khóa"
    PHASE = "phase", "Chuyển giai đoạn"
    EVIDENCE_ADD = "evidence_add", "Tải lên tài liệu kiểm chứng"
    EVIDENCE_DELETE = "evidence_delete", "Xóa tài liệu kiểm chứng"
    SCORE = "score", "Ghi điểm"


class WorkflowEvent(models.Model):
    """What was done to the workflow, by whom, when and why (a written reason for unlock,
    return, extension)."""

    Action = WorkflowAction

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("thao tác", max_length=20, choices=Action.choices)
    stage = models.CharField("bước", max_length=20, choices=Stage.choices, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("lý do, ý kiến", blank=True)
    detail = models.CharField("chi tiết", max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        verbose_name = "nhật ký quy trình"
        verbose_name_plural = "nhật ký quy trình"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=[WorkflowAction.RETURN, WorkflowAction.EXTEND, WorkflowAction.UNLOCK])
                | ~Q(reason=""),
                name="event_reason_required",
            ),
            models.CheckConstraint(condition=Q(action__in=WorkflowAction.values), name="event_action_valid"),
            models.CheckConstraint(condition=Q(stage__in=[*Stage.values, ""]), name="event_stage_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.assessment} ({self.created_at:%d/%m/%Y %H:%M})"


class ReminderLog(models.Model):
    """One reminder e-mail sent: never the same one twice (same agency, stage, deadline and
    number of days before it)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="reminders"
    )
    agency = models.ForeignKey(Agency, verbose_name="cơ quan", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField("bước", max_length=20, choices=Stage.choices)
    deadline = models.DateTimeField("thời hạn")
    days_before = models.PositiveSmallIntegerField("số ngày trước hạn")
    recipients = models.TextField("người nhận", blank=True)
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "nhắc hạn đã gửi"
        verbose_name_plural = "nhắc hạn đã gửi"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "agency", "stage", "deadline", "days_before"],
                name="reminder_sent_once",
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="reminder_stage_valid"),
        ]

    def __str__(self) -> str:
        return f"Nhắc {self.agency} {self.days_before} ngày trước hạn {self.deadline:%d/%m/%Y}"
