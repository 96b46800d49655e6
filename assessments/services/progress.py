"""Sở Nội vụ's progress page, per responsible agency: criteria filled / total, submitted or
not, last change, deadline (with its extension) and whether it is overdue. Read only, a
fixed number of queries whatever the size of the tree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .. import scoring
from ..models import Agency, Assessment, DeadlineExtension, Stage, Submission
from .deadlines import Deadlines, format_deadline, is_passed
from .workflow import agencies_of


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
    assessment: Assessment, stage: str, result: scoring.Result, deadlines: Deadlines, now: datetime.datetime
) -> list[AgencyProgress]:
    """One row per agency that has something to answer at this stage. A criterion marked
    "không áp dụng" is not counted: there is nothing to fill in for it."""
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
        if stage == Stage.EXPLANATION:
            leaves = [n for n in leaves if scoring.lost_points(n)]
            filled = sum(1 for n in leaves if n.score and n.score.response)
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
