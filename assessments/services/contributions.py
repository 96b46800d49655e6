"""Shared criteria: the lead agency (cơ quan chủ trì) scores a criterion; the contributing
agencies (cơ quan phối hợp) see it, add evidence and a remark of their own, and never write
its score. A submitted answer changes only through a return."""

from __future__ import annotations

import datetime

from django.db import transaction

from .. import scoring
from ..models import Assessment, ChangeSource, Criterion, CriterionRemark, Submission, SubmittedAnswer
from .deadlines import PartState, format_deadline, is_passed, part_state, stage_of
from .errors import DomainError

REMARK_MAX = 2000


def contributed_leaves(result, agency_id: int) -> dict[int, scoring.Node]:
    """The leaves an agency answers for without leading them."""
    return {
        leaf.criterion.pk: leaf
        for leaf in scoring.responsible_leaves(result, agency_id)
        if not leaf.is_led_by(agency_id)
    }


def frozen_answers(assessment: Assessment, stage: str, criterion_ids) -> dict[int, Submission]:
    """The criteria among `criterion_ids` whose answer stands in a submitted part (by any
    agency) at this stage, with that submission (one query)."""
    answers = (
        SubmittedAnswer.objects.filter(
            submission__assessment=assessment,
            submission__stage=stage,
            submission__status=Submission.Status.SUBMITTED,
            criterion_id__in=list(criterion_ids),
        )
        .select_related("submission__agency")
        .order_by()
    )
    # criterion_id__in leaves out the answers whose criterion was deleted (criterion_id NULL).
    return {answer.criterion_id: answer.submission for answer in answers if answer.criterion_id is not None}


def refuse_frozen(assessment: Assessment, stage: str, nodes: dict[int, scoring.Node]) -> None:
    """A submitted answer is never written over: refuse (naming the criteria and who sent
    them) any row whose criterion stands in a submitted part."""
    frozen = frozen_answers(assessment, stage, nodes)
    if frozen:
        named = "; ".join(
            f"{nodes[cid].code} ({submission.agency.name} đã gửi)"
            for cid, submission in sorted(frozen.items())
        )
        raise DomainError(f"Không sửa được câu trả lời đã gửi: {named}. Chỉ sửa được khi Sở Nội vụ trả lại.")


def contribution_refusals(
    assessment: Assessment, contributed: dict[int, scoring.Node], now: datetime.datetime | None = None
) -> dict[int, str]:
    """For each criterion an agency contributes to (`contributed`, from contributed_leaves):
    why it may not add a remark or evidence now ("" when it may). It may while the lead's
    answer is open: the assessment not locked, a stage open, the lead's part not submitted
    and the lead's deadline for that criterion (with its extensions) not passed. Two queries
    per lead agency."""
    if not contributed:
        return {}
    closed = ""
    if assessment.is_locked:
        closed = "Đợt đánh giá đã khóa: chỉ xem, không sửa được."
    elif stage_of(assessment) is None:
        closed = f"Đợt đánh giá đang ở giai đoạn “{assessment.get_phase_display()}”: không nhập liệu được."
    if closed:
        return dict.fromkeys(contributed, closed)
    states: dict[int, PartState] = {}
    refusals: dict[int, str] = {}
    for cid, node in contributed.items():
        lead = node.lead
        if lead is None:  # a leaf with agencies has a lead among them; refuse rather than guess
            refusals[cid] = f"{node.code}: tiêu chí chưa có cơ quan chủ trì, chưa bổ sung được."
            continue
        if lead.pk not in states:
            states[lead.pk] = part_state(assessment, lead.pk, now=now)
        state = states[lead.pk]
        deadline = state.deadlines.for_criterion(lead.pk, cid)
        if state.is_submitted:
            refusals[cid] = (
                f"{node.code}: {lead.name} (cơ quan chủ trì) đã gửi; chỉ bổ sung được khi Sở Nội vụ trả lại."
            )
        elif is_passed(deadline, state.now):
            refusals[cid] = f"{node.code}: đã quá hạn ({format_deadline(deadline)})."
        else:
            refusals[cid] = ""
    return refusals


def check_can_contribute(assessment: Assessment, agency, criterion_id: int, result=None, now=None):
    """Raise DomainError unless the agency may add a remark or evidence to this criterion it
    contributes to now (see contribution_refusals)."""
    result = result if result is not None else scoring.compute(assessment)
    node = contributed_leaves(result, agency.pk).get(criterion_id)
    if node is None:
        raise DomainError("Cơ quan không phải cơ quan phối hợp của tiêu chí này.")
    refusal = contribution_refusals(assessment, {criterion_id: node}, now=now)[criterion_id]
    if refusal:
        raise DomainError(refusal)
    return node


def save_remark(*, user, assessment, agency, criterion: Criterion, text: str, source=ChangeSource.FORM):
    """The contributing agency's remark on a criterion another agency leads, kept with its
    history. Returns the remark, or None when nothing changed."""
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > REMARK_MAX:
        raise DomainError(f"{criterion.code}: ý kiến dài quá {REMARK_MAX} ký tự.")
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .select_related("subject", "framework")
            .get(pk=assessment.pk)
        )
        check_can_contribute(assessment, agency, criterion.pk)
        remark = (
            CriterionRemark.objects.select_for_update()
            .filter(assessment=assessment, criterion=criterion, agency=agency)
            .first()
        )
        if remark is None:
            if not text:
                return None
            remark = CriterionRemark(assessment=assessment, criterion=criterion, agency=agency)
        elif remark.text == text:
            return None
        remark.text = text
        remark.updated_by = user
        remark._change_source = source
        remark._history_user = user
        remark._change_reason = "Ý kiến của cơ quan phối hợp"
        remark.save()
        return remark


def remarks_by_criterion(assessment: Assessment, criterion_ids) -> dict[int, list[CriterionRemark]]:
    """The contributing agencies' remarks on these criteria (one query)."""
    found: dict[int, list[CriterionRemark]] = {}
    remarks = CriterionRemark.objects.filter(
        assessment=assessment, criterion_id__in=list(criterion_ids)
    ).select_related("agency", "updated_by")
    for remark in remarks.exclude(text=""):
        found.setdefault(remark.criterion_id, []).append(remark)
    return found
