"""Notifications of the workflow's events, in ParIndex (the bell) and by e-mail.

One place decides who is told what: `notify_for_event`, run once a WorkflowEvent has been
committed (assessments/signals.py, transaction.on_commit), so that an action refused or
rolled back tells no one. Recipients come from the accounts' profiles (role, agency,
province); the person who acted is not told of their own action. The e-mail copy goes to
those who have an address and have not turned e-mail off (Profile.email_notifications).

| event                         | who                                                       |
|-------------------------------|-----------------------------------------------------------|
| a part returned               | the agency's editors, with the comment                     |
| a part submitted              | Sở Nội vụ's accounts of the province                       |
| a phase change                | every account of the province, but department editors only |
|                               | of agencies with a part in the assessment (for a unit's    |
|                               | own assessment, the unit's own agency); in the explanation |
|                               | phase, the agencies whose score the council lowered are    |
|                               | asked to explain (their editors get that notice instead)   |
| a deadline extended           | the agency concerned (for a criterion: its agencies)       |
| the assessment reopened       | the agency concerned, or as for a phase change             |

Lock and the evidence actions tell no one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .. import permissions, scoring
from ..models import Assessment, Notification, Role, Stage, WorkflowEvent
from ..models.notifications import NotificationKind
from .deadlines import format_deadline
from .errors import DomainError

logger = logging.getLogger(__name__)

Kind = NotificationKind
Action = WorkflowEvent.Action


@dataclass
class Message:
    kind: str
    title: str
    body: str


def province_of(assessment: Assessment):
    """The province an assessment belongs to: its subject's (the subject itself for a
    province)."""
    return assessment.subject.province


def _active_users():
    return get_user_model().objects.filter(is_active=True).select_related("parindex_profile__agency")


def _accounts_of_province(province):
    """Every active account of the province: by its profile's province, or by its agency's."""
    if province is None:
        return _active_users().none()
    return _active_users().filter(
        Q(parindex_profile__province=province) | Q(parindex_profile__agency__province=province)
    )


def _process_owners_of(province):
    return _accounts_of_province(province).filter(parindex_profile__role=Role.PROCESS_OWNER)


def _editors_of(agency_ids):
    return _active_users().filter(
        parindex_profile__role=Role.DEPARTMENT_EDITOR, parindex_profile__agency_id__in=list(agency_ids)
    )


def lowered_agencies(result: scoring.Result) -> dict[int, list[scoring.Node]]:
    """Agency id → the self-assessed leaves it answers for whose score the council lowered
    (appraised below the self score): where an explanation is asked for."""
    found: dict[int, list[scoring.Node]] = {}
    for leaf in result.leaves():
        if not scoring.lowered_by_council(leaf):  # the one rule of the explanation phase
            continue
        for agency in leaf.responsible:
            found.setdefault(agency.pk, []).append(leaf)
    return found


def _concerned(users, result: scoring.Result) -> list:
    """Of a province's accounts, those an assessment's phases concern: every account but the
    department editors of agencies without a part in it (an agency leads or contributes to a
    criterion of its tree; in a department's or a commune's own assessment only that unit's own
    agency does, scoring.answers_for_unit)."""
    agency_ids = {a.pk for leaf in result.leaves() for a in leaf.responsible}
    return [
        u
        for u in users
        if u.parindex_profile.role != Role.DEPARTMENT_EDITOR or u.parindex_profile.agency_id in agency_ids
    ]


def _what(assessment: Assessment) -> str:
    return f"Chỉ số CCHC năm {assessment.year} của {assessment.subject.title}"


def _stage_label(event: WorkflowEvent) -> str:
    return Stage(event.stage).label.lower() if event.stage else "tự đánh giá"


def _part_url(assessment, agency) -> str:
    return reverse("assessments:entry", kwargs={"pk": assessment.pk, "agency_pk": agency.pk})


def _user_url(user, assessment) -> str:
    """The page of the assessment a person would open: an editor its part, the others the
    progress page; the home page when the assessment is closed to editors."""
    if permissions.is_department_editor(user) and not permissions.is_open(assessment):
        return reverse("assessments:home")
    return reverse("assessments:my_entry", kwargs={"pk": assessment.pk})


def _recipients(event: WorkflowEvent) -> list[tuple[Any, Message, str]]:
    """(user, message, url) for each person to tell."""
    assessment = event.assessment
    what = _what(assessment)
    who = (event.user.get_full_name() or event.user.username) if event.user else "Hệ thống"
    agency = event.agency
    found = []
    if event.action == Action.RETURN and agency is not None:
        message = Message(
            Kind.RETURNED,
            f"Phần {_stage_label(event)} của {agency.name} bị trả lại",
            f"Sở Nội vụ đã trả lại phần {_stage_label(event)} của {agency.name} ({what}).\n"
            f"Ý kiến: {event.reason}\n"
            "Xin vui lòng sửa theo ý kiến trên rồi bấm “Gửi” lại.",
        )
        found = [(u, message, _part_url(assessment, agency)) for u in _editors_of([agency.pk])]
    elif event.action == Action.SUBMIT and agency is not None:
        message = Message(
            Kind.SUBMITTED,
            f"{agency.name} đã gửi phần {_stage_label(event)}",
            f"{agency.name} đã gửi phần {_stage_label(event)} ({what}; {event.detail}), người gửi: {who}.",
        )
        url = _part_url(assessment, agency)
        found = [(u, message, url) for u in _process_owners_of(province_of(assessment))]
    elif event.action == Action.PHASE:
        found = _phase_recipients(event, what)
    elif event.action == Action.EXTEND:
        agency_ids = [agency.pk] if agency is not None else []
        if event.criterion is not None:
            node = scoring.compute(assessment).by_code.get(event.criterion.code)
            agency_ids = [a.pk for a in node.responsible] if node is not None else []
        message = Message(
            Kind.EXTENDED,
            f"Gia hạn {_stage_label(event)}: {event.detail}",
            f"Sở Nội vụ đã gia hạn phần {_stage_label(event)} ({what}): {event.detail}.\n"
            f"Lý do: {event.reason}",
        )
        found = [
            (u, message, _part_url(assessment, u.parindex_profile.agency)) for u in _editors_of(agency_ids)
        ]
    elif event.action == Action.UNLOCK:
        message = Message(
            Kind.REOPENED,
            f"{what} được mở lại",
            f"Sở Nội vụ đã mở khóa {what}.\nLý do: {event.reason}",
        )
        users = (
            _editors_of([agency.pk])
            if agency is not None
            else _concerned(_accounts_of_province(province_of(assessment)), scoring.compute(assessment))
        )
        found = [(u, message, _user_url(u, assessment)) for u in users]
    return [(u, m, url) for u, m, url in found if event.user_id is None or u.pk != event.user_id]


def _phase_recipients(event: WorkflowEvent, what: str):
    assessment = event.assessment
    phase = assessment.get_phase_display()
    deadline = ""
    if assessment.phase == Assessment.Phase.SELF_ASSESSMENT:
        deadline = f"\nHạn tự đánh giá: {format_deadline(assessment.self_assessment_deadline)}."
    elif assessment.phase == Assessment.Phase.EXPLANATION:
        deadline = f"\nHạn giải trình: {format_deadline(assessment.explanation_deadline)}."
    general = Message(
        Kind.PHASE,
        f"{what} chuyển sang giai đoạn “{phase}”",
        f"Sở Nội vụ đã chuyển {what} sang giai đoạn “{phase}” ({event.detail}).{deadline}",
    )
    result = scoring.compute(assessment)
    lowered = {}
    if assessment.phase == Assessment.Phase.EXPLANATION:
        lowered = lowered_agencies(result)
    found = []
    for user in _concerned(_accounts_of_province(province_of(assessment)), result):
        profile = user.parindex_profile
        nodes = lowered.get(profile.agency_id) if profile.role == Role.DEPARTMENT_EDITOR else None
        if nodes:
            codes = ", ".join(n.label for n in nodes[:10]) + ("…" if len(nodes) > 10 else "")
            message = Message(
                Kind.EXPLANATION,
                f"Đề nghị giải trình {len(nodes)} tiêu chí bị hội đồng thẩm định hạ điểm",
                f"Hội đồng thẩm định đã chấm thấp hơn điểm tự đánh giá ở {len(nodes)} tiêu chí do "
                f"{profile.agency.name} tham mưu ({what}): {codes}.\n"
                f"Xin vui lòng giải trình ý kiến thẩm định và bấm “Gửi”.{deadline}",
            )
            found.append((user, message, _part_url(assessment, profile.agency)))
        else:
            found.append((user, general, _user_url(user, assessment)))
    return found


def notify_for_event(event: WorkflowEvent) -> list[Notification]:
    """Write the notifications of one committed workflow event and send their e-mails."""
    event = WorkflowEvent.objects.select_related(
        "assessment__subject__parent", "assessment__framework", "agency", "criterion", "user"
    ).get(pk=event.pk)
    recipients = _recipients(event)
    if not recipients:
        return []
    with transaction.atomic():
        made = Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    assessment=event.assessment,
                    event=event,
                    kind=message.kind,
                    title=message.title[:300],
                    body=message.body,
                    url=url,
                )
                for user, message, url in recipients
            ]
        )
    _send_emails(made, [user for user, _m, _u in recipients])
    return made


def _send_emails(notifications: list[Notification], users) -> None:
    emails = []
    sent = []
    for notification, user in zip(notifications, users, strict=True):
        profile = user.parindex_profile
        if not user.email or not profile.email_notifications:
            continue
        link = settings.SITE_URL.rstrip("/") + notification.url
        body = (
            f"Kính gửi {user.get_full_name() or user.username},\n\n"
            f"{notification.body}\n\n"
            f"Xem tại: {link}\n\n"
            "Sở Nội vụ\n\n"
            "Thư này do ParIndex gửi tự động. Muốn thôi nhận thư, vào “Tài khoản” trong ParIndex "
            "và bỏ chọn “Nhận thông báo qua thư điện tử”."
        )
        emails.append(EmailMessage(f"[ParIndex] {notification.title}", body, None, [user.email]))
        sent.append(notification.pk)
    if not emails:
        return
    try:
        get_connection().send_messages(emails)
    except Exception:  # a mail server down must not undo what was committed
        logger.exception("Không gửi được thư thông báo")
        return
    Notification.objects.filter(pk__in=sent).update(emailed=True)


# --- the reader's actions ---------------------------------------------------------------


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (the view scopes it to the user)."""
    if notification.user_id != user.pk:
        raise DomainError("Không tìm thấy thông báo.")
    if notification.read_at is None:
        with transaction.atomic():
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    with transaction.atomic():
        return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def set_email_notifications(*, user, enabled: bool):
    """The person's own choice to receive the notifications by e-mail, or not."""
    profile = permissions.profile_of(user)
    if profile is None:
        raise DomainError("Tài khoản chưa được phân vai trò nên không có thông báo.")
    with transaction.atomic():
        profile.email_notifications = enabled
        profile.save(update_fields=["email_notifications"])
    return profile
