"""Sở Nội vụ's actions on the whole assessment: phases and deadlines, extensions, lock and
unlock, which criteria apply ("không áp dụng"); and the council's appraisal and re-check
(phúc tra) entry."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .. import permissions, scoring
from ..models import (
    Agency,
    Assessment,
    ChangeSource,
    Criterion,
    DeadlineExtension,
    Score,
    Stage,
    WorkflowEvent,
)
from .deadlines import appraisal_state, format_deadline
from .errors import DomainError
from .figures import resolve_figures
from .history import stamp
from .rows import RowInput
from .scores import write_scores


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("subject", "framework").get(pk=assessment.pk)


def _save_assessment(assessment: Assessment, user, reason: str) -> None:
    stamp(assessment, user=user, source=ChangeSource.FORM, reason=reason)
    assessment.save()


def _require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(f"Phải ghi lý do khi {what}.")
    return reason


def lock(*, user, assessment, reason: str) -> Assessment:
    """Make the whole assessment read-only, with a written reason (as unlocking needs one)."""
    reason = _require_reason(reason, "khóa đợt đánh giá")
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.is_locked:
            raise DomainError("Đợt đánh giá đã khóa rồi.")
        assessment.is_locked = True
        _save_assessment(assessment, user, reason)
        WorkflowEvent.objects.create(
            assessment=assessment, action=WorkflowEvent.Action.LOCK, user=user, reason=reason
        )
        return assessment


def unlock(*, user, assessment, reason: str) -> Assessment:
    reason = _require_reason(reason, "mở khóa")
    with transaction.atomic():
        assessment = _locked(assessment)
        if not assessment.is_locked:
            raise DomainError("Đợt đánh giá đang mở, không cần mở khóa.")
        assessment.is_locked = False
        _save_assessment(assessment, user, reason)
        WorkflowEvent.objects.create(
            assessment=assessment, action=WorkflowEvent.Action.UNLOCK, user=user, reason=reason
        )
        return assessment


KEEP = object()  # a deadline argument left out: the assessment's date stays as it is

PHASE_ORDER = list(Assessment.Phase.values)


def is_backwards(before: str, after: str) -> bool:
    """A move to an earlier phase (e.g. from appraisal back to self-assessment)."""
    return PHASE_ORDER.index(after) < PHASE_ORDER.index(before)


def set_phase(
    *,
    user,
    assessment,
    phase: str,
    self_assessment_deadline=KEEP,
    explanation_deadline=KEEP,
    reason: str = "",
) -> Assessment:
    """Move the assessment to a phase and set its deadlines (both are data on it). A deadline
    left out is kept; None clears it. Going back to an earlier phase needs a written reason."""
    if phase not in Assessment.Phase.values:
        raise DomainError("Giai đoạn không hợp lệ.")
    reason = (reason or "").strip()
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.is_locked:
            raise DomainError("Đợt đánh giá đã khóa: mở khóa trước khi chuyển giai đoạn.")
        if is_backwards(assessment.phase, phase) and not reason:
            raise DomainError(
                f"Phải ghi lý do khi chuyển ngược từ giai đoạn “{assessment.get_phase_display()}” "
                f"về “{Assessment.Phase(phase).label}”."
            )
        before = assessment.get_phase_display()
        assessment.phase = phase
        if self_assessment_deadline is not KEEP:
            assessment.self_assessment_deadline = self_assessment_deadline
        if explanation_deadline is not KEEP:
            assessment.explanation_deadline = explanation_deadline
        detail = (
            f"{before} → {assessment.get_phase_display()}; hạn tự đánh giá "
            f"{format_deadline(assessment.self_assessment_deadline)}; "
            f"hạn giải trình {format_deadline(assessment.explanation_deadline)}"
        )
        _save_assessment(assessment, user, reason or detail)
        WorkflowEvent.objects.create(
            assessment=assessment,
            action=WorkflowEvent.Action.PHASE,
            user=user,
            reason=reason,
            detail=detail[:300],
        )
        return assessment


def extend_deadline(
    *, user, assessment, until, reason: str, stage: str = Stage.SELF_ASSESSMENT, agency=None, criterion=None
) -> DeadlineExtension:
    """More time for one agency or for one criterion, with a written reason."""
    reason = _require_reason(reason, "gia hạn")
    if (agency is None) == (criterion is None):
        raise DomainError("Chọn gia hạn cho một cơ quan hoặc cho một tiêu chí.")
    if until is None or until <= timezone.now():
        raise DomainError("Thời hạn mới phải ở sau thời điểm hiện tại.")
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.is_locked:
            raise DomainError("Đợt đánh giá đã khóa: mở khóa trước khi gia hạn.")
        if agency is not None and agency.province_id != permissions.province_id_of(assessment):
            raise DomainError("Cơ quan không thuộc tỉnh của đợt đánh giá.")
        if criterion is not None and criterion.framework_id != assessment.framework_id:
            raise DomainError("Tiêu chí không thuộc bộ tiêu chí của đợt đánh giá.")
        extension = DeadlineExtension.objects.create(
            assessment=assessment,
            stage=stage,
            agency=agency,
            criterion=criterion,
            until=until,
            reason=reason,
            created_by=user,
        )
        target = agency.name if agency else f"tiêu chí {criterion.code}"
        WorkflowEvent.objects.create(
            assessment=assessment,
            action=WorkflowEvent.Action.EXTEND,
            stage=stage,
            agency=agency,
            criterion=criterion,
            user=user,
            reason=reason,
            detail=f"{target} đến {format_deadline(until)}",
        )
        return extension


def save_appraisal(*, user, assessment, rows: dict[int, RowInput], source=ChangeSource.FORM) -> list:
    """The council's appraised score and comment (appraisal phase) or the re-check score,
    which is final, and its comment (phúc tra phase), for any leaf, survey leaves included."""
    with transaction.atomic():
        assessment = _locked(assessment)
        fields = appraisal_state(assessment).open_fields()
        result = scoring.compute(assessment)
        leaves = {n.criterion.pk: n for n in result.leaves()}
        for criterion_id, row in rows.items():
            node = leaves.get(criterion_id)
            if node is None:
                raise DomainError("Tiêu chí không thuộc bộ tiêu chí của đợt đánh giá.")
            if not node.applicable:
                raise DomainError(f"{node.code}: tiêu chí không áp dụng, không chấm điểm.")
            if set(row.values) - set(fields):
                raise DomainError(f"{node.code}: không được sửa trường này ở giai đoạn hiện tại.")
            resolve_figures({criterion_id: node}, {criterion_id: row})
        return write_scores(
            user=user, assessment=assessment, rows=rows, source=source, fields=fields, result=result
        )


def set_applicable(
    *, user, assessment, criterion: Criterion, applicable: bool, reason: str, source=ChangeSource.FORM
) -> Score:
    """Mark a leaf criterion applicable, or not ("không áp dụng"), for this assessment, with a
    written reason kept in the score's history. A non-applicable leaf's max leaves the
    applicable max (assessments.scoring); its scores are kept but not counted, and no one
    enters a score for it until it is applicable again."""
    what = "áp dụng lại tiêu chí" if applicable else "đánh dấu tiêu chí không áp dụng"
    reason = _require_reason(reason, what)
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.is_locked:
            raise DomainError("Đợt đánh giá đã khóa: mở khóa trước khi đổi tiêu chí áp dụng.")
        if criterion.framework_id != assessment.framework_id:
            raise DomainError("Tiêu chí không thuộc bộ tiêu chí của đợt đánh giá.")
        if Criterion.objects.filter(parent=criterion).exists():
            raise DomainError(f"{criterion.code}: chỉ đánh dấu được tiêu chí không có tiêu chí con.")
        score = Score.objects.select_for_update().filter(assessment=assessment, criterion=criterion).first()
        if (score.applicable if score is not None else True) == applicable:
            state = "đang được áp dụng" if applicable else "đã được đánh dấu không áp dụng"
            raise DomainError(f"{criterion.code}: tiêu chí {state}, không có gì thay đổi.")
        row = RowInput(version=score.version if score is not None else 0, values={"applicable": applicable})
        saved = write_scores(
            user=user,
            assessment=assessment,
            rows={criterion.pk: row},
            source=source,
            reason=reason,
            fields=("applicable",),
        )
        return saved[0]


def agencies_of(assessment: Assessment) -> list[Agency]:
    """The agencies of the assessment's province (permissions.province_of: the subject's
    province, whether the subject is the province, a department or a commune) valid in its
    year (one query once the subject's parents are loaded)."""
    return list(
        Agency.objects.filter(province_id=permissions.province_id_of(assessment))
        .valid_in_year(assessment.framework.year)
        .order_by("-is_process_owner", "name")
    )
