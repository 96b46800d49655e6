"""What is due, for the home page notice, and the e-mail reminders 7, 3 and 1 days before
a deadline to the agencies that have not submitted, each sent once (ReminderLog)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import permissions, scoring
from ..models import Assessment, ReminderLog, Role, Stage, Submission
from .deadlines import deadlines_for, format_deadline, is_passed, stage_of
from .workflow import agencies_of

REMINDER_DAYS = (7, 3, 1)


@dataclass
class DueItem:
    assessment: Assessment
    agency: object
    stage: str
    deadline: datetime.datetime | None
    submitted: bool
    overdue: bool

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def deadline_text(self) -> str:
        return format_deadline(self.deadline)

    @property
    def days_left(self) -> int | None:
        if self.deadline is None:
            return None
        return (timezone.localdate(self.deadline) - timezone.localdate()).days


def open_parts(assessment: Assessment, *, now=None) -> list[DueItem]:
    """Every responsible agency's part in the current stage (a fixed number of queries)."""
    stage = stage_of(assessment)
    if stage is None or assessment.is_locked:
        return []
    now = now or timezone.now()
    deadlines = deadlines_for(assessment, stage)
    result = scoring.compute(assessment)
    responsible = {a.pk for leaf in result.leaves() for a in leaf.responsible}
    submitted = set(
        Submission.objects.filter(
            assessment=assessment, stage=stage, status=Submission.Status.SUBMITTED
        ).values_list("agency_id", flat=True)
    )
    items = []
    for agency in agencies_of(assessment):
        if agency.pk not in responsible:
            continue
        deadline = deadlines.for_agency(agency.pk)
        items.append(
            DueItem(
                assessment=assessment,
                agency=agency,
                stage=stage,
                deadline=deadline,
                submitted=agency.pk in submitted,
                overdue=agency.pk not in submitted and is_passed(deadline, now),
            )
        )
    return items


def due_for_user(user, assessments) -> list[DueItem]:
    """The home page notice: an editor sees its agency's open part; Sở Nội vụ sees the
    agencies that have not submitted yet."""
    items = []
    role = permissions.role_of(user)
    own = permissions.agency_of(user)
    for assessment in assessments:
        if not permissions.is_open(assessment):
            continue
        for item in open_parts(assessment):
            if item.submitted:
                continue
            if role == Role.DEPARTMENT_EDITOR and (own is None or own.pk != item.agency.pk):
                continue
            if role in (Role.DEPARTMENT_EDITOR, Role.PROCESS_OWNER):
                items.append(item)
    return items


def recipients_for(agency) -> list[str]:
    emails = set()
    if agency.email:
        emails.add(agency.email)
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            parindex_profile__agency=agency,
            parindex_profile__role=Role.DEPARTMENT_EDITOR,
        )
        .exclude(email="")
    )
    emails.update(users.values_list("email", flat=True))
    return sorted(emails)


@dataclass
class ReminderReport:
    sent: int = 0
    skipped_no_recipient: int = 0
    already_sent: int = 0


def send_reminders(*, now=None, stdout=None) -> ReminderReport:
    """For a daily timer: one e-mail per (agency, stage, deadline, 7/3/1 days)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = ReminderReport()
    assessments = Assessment.objects.select_related("subject", "framework").filter(is_locked=False)
    for assessment in assessments:
        for item in open_parts(assessment, now=now):
            if item.submitted or item.deadline is None or is_passed(item.deadline, now):
                continue
            days_left = (timezone.localdate(item.deadline) - today).days
            due = [d for d in REMINDER_DAYS if days_left <= d]
            if not due:
                continue
            days_before = min(due)
            recipients = recipients_for(item.agency)
            if not recipients:
                report.skipped_no_recipient += 1
                continue
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        assessment=assessment,
                        agency=item.agency,
                        stage=item.stage,
                        deadline=item.deadline,
                        days_before=days_before,
                        recipients=", ".join(recipients),
                    )
                    _send(item, days_left, recipients)
            except IntegrityError:
                report.already_sent += 1
                continue
            report.sent += 1
            if stdout is not None:
                stdout.write(f"Đã nhắc {item.agency.name} ({', '.join(recipients)})")
    return report


def _send(item: DueItem, days_left: int, recipients: list[str]) -> None:
    assessment = item.assessment
    when = "hôm nay" if days_left <= 0 else f"còn {days_left} ngày"
    subject = f"[ParIndex] Nhắc hạn {item.stage_label.lower()} Chỉ số CCHC {assessment.year} – {when}"
    body = (
        f"Kính gửi {item.agency.name},\n\n"
        f"Phần {item.stage_label.lower()} Chỉ số cải cách hành chính năm {assessment.year} của "
        f"{assessment.subject.title} do quý cơ quan tham mưu chưa được gửi.\n"
        f"Thời hạn: {item.deadline_text} (giờ Việt Nam), {when}.\n\n"
        "Xin vui lòng đăng nhập ParIndex để hoàn thành và bấm “Gửi”.\n\n"
        "Sở Nội vụ"
    )
    send_mail(subject, body, None, recipients)
