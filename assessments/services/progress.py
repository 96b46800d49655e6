"""Sở Nội vụ's progress page, per responsible agency: criteria filled / total, submitted or
not, last change, deadline (with its extension) and whether it is overdue. Read only, a
fixed number of queries whatever the size of the tree. What the page counts, and whether it
offers "Trả lại", follows the assessment's phase (progress_view)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .. import scoring
from ..models import Agency, Assessment, DeadlineExtension, Stage, Submission
from .deadlines import Deadlines, format_deadline, is_passed
from .workflow import agencies_of

# What is counted per agency: its self scores, its explanations (giải trình) of the criteria
# the council lowered, or the council's appraised scores of its criteria.
SELF, RESPONSE, APPRAISED = "self", "response", "appraised"


@dataclass(frozen=True)
class ProgressView:
    """The progress page in one phase: its title, whose submissions it shows (stage), what it
    counts, and whether a submitted part may be returned (only while agencies answer)."""

    title: str
    stage: str
    counting: str
    count_label: str
    can_return: bool


def progress_view(assessment: Assessment) -> ProgressView:
    phase = assessment.phase
    if phase == Assessment.Phase.APPRAISAL:
        return ProgressView(
            "Tiến độ thẩm định", Stage.SELF_ASSESSMENT, APPRAISED, "Đã thẩm định / tổng số", False
        )
    if phase == Assessment.Phase.EXPLANATION:
        return ProgressView(
            "Tiến độ giải trình", Stage.EXPLANATION, RESPONSE, "Đã giải trình / cần giải trình", True
        )
    if phase == Assessment.Phase.RECHECK:
        return ProgressView(
            "Tiến độ phúc tra", Stage.EXPLANATION, RESPONSE, "Đã giải trình / cần giải trình", False
        )
    if phase == Assessment.Phase.PUBLISHED:
        return ProgressView(
            "Tiến độ (kết quả đã công bố)", Stage.SELF_ASSESSMENT, APPRAISED, "Đã thẩm định / tổng số", False
        )
    can_return = phase == Assessment.Phase.SELF_ASSESSMENT
    return ProgressView("Tiến độ tự đánh giá", Stage.SELF_ASSESSMENT, SELF, "Đã nhập / tổng số", can_return)


@dataclass
class AgencyProgress:
    agency: Agency
    filled: int
    total: int
    submission: Submission | None
    last_change: datetime.datetime | None
    deadline: datetime.datetime | None
    extension: DeadlineExtension | None
    overdue: bool

    @property
    def submitted(self) -> bool:
        return self.submission is not None and self.submission.is_submitted

    @property
    def deadline_text(self) -> str:
        return format_deadline(self.deadline)


def agency_progress(
    assessment: Assessment,
    stage: str,
    result: scoring.Result,
    deadlines: Deadlines,
    now: datetime.datetime,
    counting: str | None = None,
) -> list[AgencyProgress]:
    """One row per agency that has something to answer at this stage. A criterion marked
    "không áp dụng" is not counted: there is nothing to fill in for it. `counting` (SELF,
    RESPONSE or APPRAISED) defaults to what the stage asks of the agencies."""
    if counting is None:
        counting = RESPONSE if stage == Stage.EXPLANATION else SELF
    submissions = {
        s.agency_id: s
        for s in Submission.objects.filter(assessment=assessment, stage=stage).select_related(
            "submitted_by", "returned_by"
        )
    }
    rows = []
    for agency in agencies_of(assessment):
        leaves = [n for n in scoring.lead_leaves(result, agency.pk) if not n.is_survey and n.applicable]
        if not leaves:
            continue
        if counting == RESPONSE:
            leaves = [n for n in leaves if scoring.lowered_by_council(n)]
            filled = sum(1 for n in leaves if n.score and n.score.response)
            if not leaves:
                continue  # the council lowered none of its scores: nothing to explain
        elif counting == APPRAISED:
            filled = sum(1 for n in leaves if n.score is not None and n.score.appraised_score is not None)
        else:
            filled = sum(1 for n in leaves if n.score is not None and n.score.self_score is not None)
        changes = [n.score.updated_at for n in leaves if n.score is not None]
        submission = submissions.get(agency.pk)
        deadline = deadlines.for_agency(agency.pk)
        submitted = submission is not None and submission.is_submitted
        rows.append(
            AgencyProgress(
                agency=agency,
                filled=filled,
                total=len(leaves),
                submission=submission,
                last_change=max(changes) if changes else None,
                deadline=deadline,
                extension=deadlines.extension_for(agency.pk),
                overdue=not submitted and is_passed(deadline, now),
            )
        )
    return rows
