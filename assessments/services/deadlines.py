"""Which stage is open and until when, for an agency or a criterion: worked out at each
request from the assessment's dates and the extensions. A passed deadline stops entry; it
never submits anything."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ..models import Assessment, DeadlineExtension, Stage, Submission
from .errors import DomainError

PHASE_STAGE: dict[str, str] = {
    Assessment.Phase.SELF_ASSESSMENT: Stage.SELF_ASSESSMENT,
    Assessment.Phase.EXPLANATION: Stage.EXPLANATION,
}


def stage_of(assessment: Assessment) -> str | None:
    """The stage agencies answer in during the assessment's phase (None: they do not)."""
    return PHASE_STAGE.get(assessment.phase)


def base_deadline(assessment: Assessment, stage: str | None) -> datetime.datetime | None:
    if stage == Stage.SELF_ASSESSMENT:
        return assessment.self_assessment_deadline
    if stage == Stage.EXPLANATION:
        return assessment.explanation_deadline
    return None


@dataclass
class Deadlines:
    """The deadlines of one stage: the assessment's date and the latest extension per
    agency and per criterion (one query)."""

    base: datetime.datetime | None
    by_agency: dict[int, DeadlineExtension] = field(default_factory=dict)
    by_criterion: dict[int, DeadlineExtension] = field(default_factory=dict)

    def for_agency(self, agency_id: int) -> datetime.datetime | None:
        if self.base is None:
            return None
        extension = self.by_agency.get(agency_id)
        return max(self.base, extension.until) if extension else self.base

    def for_criterion(self, agency_id: int, criterion_id: int) -> datetime.datetime | None:
        deadline = self.for_agency(agency_id)
        extension = self.by_criterion.get(criterion_id)
        if deadline is None or extension is None:
            return deadline
        return max(deadline, extension.until)

    def extension_for(self, agency_id: int) -> DeadlineExtension | None:
        return self.by_agency.get(agency_id)


def deadlines_for(assessment: Assessment, stage: str | None) -> Deadlines:
    if stage is None:
        return Deadlines(base=None)
    deadlines = Deadlines(base=base_deadline(assessment, stage))
    for extension in DeadlineExtension.objects.filter(assessment=assessment, stage=stage).order_by("until"):
        _add_extension(deadlines, extension)
    return deadlines


def deadlines_for_many(assessments) -> dict[int, Deadlines]:
    """The deadlines of each assessment's current stage, by assessment pk (one query for
    all of them; none when no assessment is in a stage)."""
    stages = {a.pk: stage_of(a) for a in assessments}
    found = {a.pk: Deadlines(base=base_deadline(a, stages[a.pk])) for a in assessments}
    staged = [pk for pk, stage in stages.items() if stage is not None]
    if staged:
        extensions = DeadlineExtension.objects.filter(assessment_id__in=staged).order_by("until")
        for extension in extensions:
            if extension.stage == stages[extension.assessment_id]:
                _add_extension(found[extension.assessment_id], extension)
    return found


def _add_extension(deadlines: Deadlines, extension: DeadlineExtension) -> None:
    """Extensions are added in the order of their date: the latest one wins."""
    if extension.agency_id:
        deadlines.by_agency[extension.agency_id] = extension
    elif extension.criterion_id:
        deadlines.by_criterion[extension.criterion_id] = extension


def is_passed(deadline: datetime.datetime | None, now: datetime.datetime | None = None) -> bool:
    return deadline is not None and (now or timezone.now()) > deadline


def format_deadline(deadline: datetime.datetime | None) -> str:
    """In Vietnam time: "17:00 ngày 15/03/2024"."""
    if deadline is None:
        return "không có thời hạn"
    local = timezone.localtime(deadline)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


@dataclass
class PartState:
    """Whether an agency's part may be written now, and why not."""

    assessment: Assessment
    agency_id: int
    stage: str | None
    submission: Submission | None
    deadlines: Deadlines
    now: datetime.datetime
    # The criteria the agency answers for: an extension of one criterion opens only that
    # criterion, and only for them (None: not known, so no criterion extension counts).
    criterion_ids: frozenset[int] | None = None

    @property
    def deadline(self) -> datetime.datetime | None:
        return self.deadlines.for_agency(self.agency_id)

    @property
    def deadline_passed(self) -> bool:
        return is_passed(self.deadline, self.now)

    @property
    def is_submitted(self) -> bool:
        return self.submission is not None and self.submission.is_submitted

    @property
    def closed_reason(self) -> str:
        """Why nothing of the part may be written ("" when it may, at least in part)."""
        if self.assessment.is_locked:
            return LOCKED_REASON
        if self.stage is None:
            return (
                f"Đợt đánh giá đang ở giai đoạn “{self.assessment.get_phase_display()}”: "
                "cơ quan tham mưu không nhập liệu trong giai đoạn này."
            )
        if self.submission is not None and self.is_submitted:
            sent = format_deadline(self.submission.submitted_at)
            return f"Đã gửi lúc {sent}: chỉ sửa được khi Sở Nội vụ trả lại."
        return ""

    def open_stage(self) -> str:
        """The stage the part is written in now; DomainError saying why when it may not be."""
        closed = self.closed_reason
        if closed or self.stage is None:  # closed_reason names the phase when there is no stage
            raise DomainError(closed)
        return self.stage

    @property
    def reason(self) -> str:
        closed = self.closed_reason
        if closed:
            return closed
        if self.deadline_passed and not self.open_criteria():
            return f"Đã quá hạn ({format_deadline(self.deadline)}): cần Sở Nội vụ gia hạn để tiếp tục nhập."
        return ""

    def open_criteria(self) -> set[int]:
        """The agency's own criteria with their own extension still running."""
        own = self.criterion_ids or frozenset()
        return {
            cid
            for cid, extension in self.deadlines.by_criterion.items()
            if cid in own and not is_passed(max(extension.until, self.deadline or extension.until), self.now)
        }

    def can_write_criterion(self, criterion_id: int) -> bool:
        if self.closed_reason:
            return False
        if self.criterion_ids is not None and criterion_id not in self.criterion_ids:
            return False
        deadline = self.deadlines.for_criterion(self.agency_id, criterion_id)
        return not is_passed(deadline, self.now)

    @property
    def can_submit(self) -> bool:
        return not self.closed_reason and (not self.deadline_passed or bool(self.open_criteria()))


# The council's fields, by the phase in which it writes them: appraisal, then re-check.
APPRAISAL_FIELDS: dict[str, tuple[str, ...]] = {
    Assessment.Phase.APPRAISAL: (
        "appraised_score",
        "appraisal_comment",
        "appraised_figures",
        "appraised_override_reason",
    ),
    Assessment.Phase.RECHECK: ("rechecked_score", "recheck_comment"),
}

LOCKED_REASON = "Đợt đánh giá đã khóa: chỉ xem, không sửa được."


@dataclass
class AppraisalState:
    """Whether the council's scores (appraised, then re-checked) may be written now, and why
    not: the appraisal's counterpart of PartState."""

    assessment: Assessment

    @property
    def fields(self) -> tuple[str, ...] | None:
        """The fields written in the current phase, the score first (None: none)."""
        return APPRAISAL_FIELDS.get(self.assessment.phase)

    def open_fields(self) -> tuple[str, ...]:
        """The fields the council writes now; DomainError saying why when it may not."""
        closed = self.closed_reason
        fields = self.fields
        if closed or fields is None:  # closed_reason names the phase when there are no fields
            raise DomainError(closed)
        return fields

    @property
    def is_recheck(self) -> bool:
        return self.assessment.phase == Assessment.Phase.RECHECK

    @property
    def closed_reason(self) -> str:
        """Why nothing may be written ("" when it may)."""
        if self.assessment.is_locked:
            return LOCKED_REASON
        if self.fields is None:
            return (
                f"Đợt đánh giá đang ở giai đoạn “{self.assessment.get_phase_display()}”: "
                "chỉ nhập điểm thẩm định trong giai đoạn thẩm định hoặc phúc tra."
            )
        return ""

    @property
    def is_open(self) -> bool:
        return not self.closed_reason


def appraisal_state(assessment: Assessment) -> AppraisalState:
    return AppraisalState(assessment=assessment)


def part_state(
    assessment: Assessment, agency_id: int, *, now=None, for_update: bool = False, criterion_ids=None
) -> PartState:
    """`criterion_ids`: the criteria the agency answers for (see PartState.criterion_ids)."""
    stage = stage_of(assessment)
    submission = None
    if stage is not None:
        queryset = Submission.objects.filter(assessment=assessment, agency_id=agency_id, stage=stage)
        if for_update:
            queryset = queryset.select_for_update()
        submission = queryset.first()
    return PartState(
        assessment=assessment,
        agency_id=agency_id,
        stage=stage,
        submission=submission,
        deadlines=deadlines_for(assessment, stage),
        now=now or timezone.now(),
        criterion_ids=frozenset(criterion_ids) if criterion_ids is not None else None,
    )
