"""A department's part: save a draft, submit it ("Gửi", frozen as it stood), have it
returned by Sở Nội vụ with a comment."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .. import scoring
from ..models import (
    Assessment,
    ChangeSource,
    Stage,
    Submission,
    SubmittedAnswer,
    WorkflowEvent,
)
from .contributions import refuse_frozen
from .deadlines import PartState, format_deadline, part_state
from .errors import DomainError
from .figures import resolve_figures
from .history import stamp
from .rows import RowInput
from .scores import write_scores

STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    Stage.SELF_ASSESSMENT: ("self_score", "explanation", "self_figures"),
    Stage.EXPLANATION: ("response",),
}


def _locked_assessment(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("subject", "framework").get(pk=assessment.pk)


def agency_state(assessment, agency_id: int, result, **kwargs) -> PartState:
    """The part's state, knowing which criteria the agency leads (so that an extension of
    one criterion opens it for its lead agency only)."""
    own = {leaf.criterion.pk for leaf in scoring.lead_leaves(result, agency_id)}
    return part_state(assessment, agency_id, criterion_ids=own, **kwargs)


def stage_leaves(result, state, agency_id: int) -> dict[int, scoring.Node]:
    """The leaves the agency leads (cơ quan chủ trì) that the current stage asks about,
    applicable or not: its part, which it scores and submits."""
    leaves = {}
    for node in scoring.lead_leaves(result, agency_id):
        self_stage = state.stage == Stage.SELF_ASSESSMENT and not node.is_survey
        explanation_stage = state.stage == Stage.EXPLANATION and scoring.lost_points(node)
        if self_stage or explanation_stage:
            leaves[node.criterion.pk] = node
    return leaves


def writable_leaves(result, state, agency_id: int) -> dict[int, scoring.Node]:
    """The agency's leaves that the current stage lets it write (deadline aside): a
    criterion Sở Nội vụ marked "không áp dụng" takes no score."""
    return {cid: node for cid, node in stage_leaves(result, state, agency_id).items() if node.applicable}


def _not_writable(node: scoring.Node | None, agency_id: int) -> DomainError:
    if node is not None and not node.applicable:
        return DomainError(
            f"{node.code}: tiêu chí không áp dụng (Sở Nội vụ đã đánh dấu), không nhập điểm được."
        )
    if node is not None and not node.is_led_by(agency_id) and node.lead is not None:
        return DomainError(
            f"{node.code}: {node.lead.name} là cơ quan chủ trì chấm điểm; cơ quan phối hợp chỉ bổ sung "
            "tài liệu và ý kiến, không sửa điểm."
        )
    return DomainError("Tiêu chí này không thuộc phần việc của cơ quan trong bước hiện tại.")


def save_part(
    *, user, assessment, agency, rows: dict[int, RowInput], source=ChangeSource.FORM, now=None
) -> list:
    """Save an agency's draft: only its own criteria, only the current stage's fields,
    only while the part is open. Returns the scores written."""
    with transaction.atomic():
        assessment = _locked_assessment(assessment)
        result = scoring.compute(assessment)
        state = agency_state(assessment, agency.pk, result, now=now, for_update=True)
        stage = state.open_stage()
        asked = stage_leaves(result, state, agency.pk)
        leaves = {cid: node for cid, node in asked.items() if node.applicable}
        allowed = set(STAGE_FIELDS[stage])
        for criterion_id, row in rows.items():
            node = leaves.get(criterion_id)
            if node is None:
                every = {leaf.criterion.pk: leaf for leaf in result.leaves()}
                raise _not_writable(asked.get(criterion_id) or every.get(criterion_id), agency.pk)
            extra = set(row.values) - allowed
            if extra:
                raise DomainError(f"{node.code}: không được sửa {', '.join(sorted(extra))} ở bước này.")
            if not state.can_write_criterion(criterion_id):
                deadline = state.deadlines.for_criterion(agency.pk, criterion_id)
                raise DomainError(f"{node.code}: đã quá hạn ({format_deadline(deadline)}).")
            resolve_figures({criterion_id: node}, {criterion_id: row})
        refuse_frozen(assessment, stage, {cid: leaves[cid] for cid in rows})
        return write_scores(
            user=user,
            assessment=assessment,
            rows=rows,
            source=source,
            fields=allowed,
            result=result,
            agency=agency,
            stage=stage,
        )


def submit_part(
    *, user, assessment, agency, rows: dict[int, RowInput] | None = None, source=ChangeSource.FORM, now=None
) -> Submission:
    """Send the agency's part. What is on the page (`rows`) is saved first, in the same
    transaction: if the save or the submit is refused, nothing is written. The answers are
    then copied as they stand (with the criterion's code, name and max) and the part becomes
    read-only until it is returned."""
    now = now or timezone.now()
    with transaction.atomic():
        assessment = _locked_assessment(assessment)
        if rows:
            save_part(user=user, assessment=assessment, agency=agency, rows=rows, source=source, now=now)
        result = scoring.compute(assessment)
        state = agency_state(assessment, agency.pk, result, now=now, for_update=True)
        stage = state.open_stage()
        if not state.can_submit:
            raise DomainError(
                f"Đã quá hạn ({format_deadline(state.deadline)}): cần Sở Nội vụ gia hạn trước khi gửi."
            )
        # Frozen as they stand, the criteria marked "không áp dụng" included (applicable=False).
        leaves = stage_leaves(result, state, agency.pk)
        if not leaves:
            raise DomainError("Cơ quan không có tiêu chí nào phải trả lời ở bước này.")
        if stage == Stage.SELF_ASSESSMENT:
            missing = [n.code for n in leaves.values() if n.applicable and n.self_score is None]
            if missing:
                raise DomainError(
                    f"Còn {len(missing)} tiêu chí chưa có điểm tự đánh giá: {', '.join(missing[:10])}"
                    + ("…" if len(missing) > 10 else "")
                )
        submission = state.submission or Submission(assessment=assessment, agency=agency, stage=stage)
        submission.status = Submission.Status.SUBMITTED
        submission.submitted_at = now
        submission.submitted_by = user
        stamp(submission, user=user, source=ChangeSource.FORM, reason="Gửi")
        submission.save()
        answers = []
        for node in leaves.values():
            score = node.score
            answers.append(
                SubmittedAnswer(
                    submission=submission,
                    submitted_at=now,
                    criterion=node.criterion,
                    criterion_code=node.code,
                    criterion_name=node.name,
                    max_score=node.max,
                    applicable=node.applicable,
                    self_score=score.self_score if score else None,
                    self_figures=score.self_figures if score else "",
                    explanation=score.explanation if score else "",
                    response=score.response if score else "",
                    score_version=score.version if score else 0,
                )
            )
        SubmittedAnswer.objects.bulk_create(answers)
        WorkflowEvent.objects.create(
            assessment=assessment,
            action=WorkflowEvent.Action.SUBMIT,
            stage=stage,
            agency=agency,
            user=user,
            detail=f"{len(answers)} tiêu chí",
        )
        return submission


def return_part(*, user, assessment, agency, comment: str, stage: str | None = None, now=None) -> Submission:
    """Send a submitted part back (reopen it), with a written comment kept in the history."""
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("Phải ghi ý kiến (lý do) khi trả lại.")
    now = now or timezone.now()
    with transaction.atomic():
        assessment = _locked_assessment(assessment)
        if assessment.is_locked:
            raise DomainError("Đợt đánh giá đã khóa: mở khóa trước khi trả lại.")
        stage = stage or part_state(assessment, agency.pk).stage or Stage.SELF_ASSESSMENT
        submission = (
            Submission.objects.select_for_update()
            .filter(assessment=assessment, agency=agency, stage=stage)
            .first()
        )
        if submission is None or not submission.is_submitted:
            raise DomainError(f"{agency.name} chưa gửi phần việc này nên không có gì để trả lại.")
        submission.status = Submission.Status.RETURNED
        submission.returned_at = now
        submission.returned_by = user
        submission.return_comment = comment
        stamp(submission, user=user, source=ChangeSource.FORM, reason=comment)
        submission.save()
        WorkflowEvent.objects.create(
            assessment=assessment,
            action=WorkflowEvent.Action.RETURN,
            stage=stage,
            agency=agency,
            user=user,
            reason=comment,
        )
        return submission
