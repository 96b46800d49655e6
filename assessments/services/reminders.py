"""What is due, for the home page notice, and the e-mail reminders 7, 3 and 1 days before
a deadline to the agencies that have not submitted, each sent once (ReminderLog)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import permissions, scoring
from ..models import Agency, Assessment, ReminderLog, Stage, Submission
from .deadlines import PHASE_STAGE, deadlines_for_many, format_deadline, is_passed, stage_of

REMINDER_DAYS = (7, 3, 1)
REMINDER_CHUNK = 500


@dataclass
class DueItem:
    assessment: Assessment
    agency: Agency
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
    return open_parts_many([assessment], now=now)[assessment.pk]


def open_parts_many(assessments, *, now=None) -> dict[int, list[DueItem]]:
    """open_parts of several assessments, by assessment pk, with a fixed number of queries
    whatever their number: deadline extensions (1), the frameworks' criteria and their
    agencies (2), submissions (1), the provinces' agencies (1). The assessments should come
    with their subject and framework (select_related)."""
    assessments = list(assessments)
    found: dict[int, list[DueItem]] = {a.pk: [] for a in assessments}
    stages = {a.pk: stage for a in assessments if (stage := stage_of(a)) is not None and not a.is_locked}
    answering = [a for a in assessments if a.pk in stages]
    if not answering:
        return found
    now = now or timezone.now()
    deadlines = deadlines_for_many(answering)
    responsible = scoring.responsible_agency_ids({a.framework_id for a in answering})
    submitted = {
        (assessment_id, agency_id, stage)
        for assessment_id, agency_id, stage in Submission.objects.filter(
            assessment_id__in=[a.pk for a in answering], status=Submission.Status.SUBMITTED
        )
        .order_by()
        .values_list("assessment_id", "agency_id", "stage")
    }
    provinces = permissions.province_ids_of(answering)
    by_province: defaultdict[int, list[Agency]] = defaultdict(list)
    for agency in Agency.objects.filter(province_id__in=set(provinces.values())).order_by(
        "-is_process_owner", "name"
    ):
        by_province[agency.province_id].append(agency)
    for assessment in answering:
        stage = stages[assessment.pk]
        province_id = provinces[assessment.pk]
        if province_id is None:  # no province, so no agency answers for it
            continue
        for agency in by_province[province_id]:
            if agency.pk not in responsible[assessment.framework_id]:
                continue
            if not agency.is_valid_in_year(assessment.framework.year):  # as agencies_of
                continue
            deadline = deadlines[assessment.pk].for_agency(agency.pk)
            is_submitted = (assessment.pk, agency.pk, stage) in submitted
            found[assessment.pk].append(
                DueItem(
                    assessment=assessment,
                    agency=agency,
                    stage=stage,
                    deadline=deadline,
                    submitted=is_submitted,
                    overdue=not is_submitted and is_passed(deadline, now),
                )
            )
    return found


def due_for_user(user, assessments, *, parts: dict[int, list[DueItem]] | None = None) -> list[DueItem]:
    """The home page notice: the parts not sent yet that permissions.reminded_parts shows the
    user (an editor its agency's, Sở Nội vụ its province's agencies'). A fixed number of
    queries (open_parts_many) whatever the number of assessments; none when their `parts`
    are given."""
    if not permissions.sees_due_parts(user):
        return []
    assessments = [a for a in assessments if permissions.is_open(a)]
    if parts is None:
        parts = open_parts_many(assessments)
    pending = [item for a in assessments for item in parts[a.pk] if not item.submitted]
    return permissions.reminded_parts(user, pending)


def recipients_for(agency) -> list[str]:
    emails = set()
    if agency.email:
        emails.add(agency.email)
    users = permissions.reminded_users(agency).exclude(email="")
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
    assessments = list(
        Assessment.objects.select_related("subject", "framework").filter(
            is_locked=False, phase__in=list(PHASE_STAGE)
        )
    )
    for assessment, items in _open_parts_in_chunks(assessments, now=now):
        for item in items:
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


def _open_parts_in_chunks(assessments, *, now, size: int = REMINDER_CHUNK):
    """(assessment, its open parts), computed a chunk at a time (bounded IN lists)."""
    for start in range(0, len(assessments), size):
        chunk = assessments[start : start + size]
        parts = open_parts_many(chunk, now=now)
        for assessment in chunk:
            yield assessment, parts[assessment.pk]


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
