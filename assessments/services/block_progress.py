"""Sở Nội vụ's view of a whole block of units (a province's departments or communes in one
year): each unit's assessment with its phase, the parts its agencies have submitted, how many
criteria are self-assessed and appraised. Read only; a fixed number of queries whatever the
number of units: the framework (1), the assessments (1), their roll-up with agencies
(compute_many: criteria, agency links, scores, grade bands, the subjects' provinces) and the
submissions (1)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import scoring
from ..models import Agency, Assessment, Stage, Subject, Submission
from ..scoring import ranking


@dataclass
class PartStatus:
    agency: Agency
    stage: str
    submitted: bool
    returned: bool


@dataclass
class UnitProgress:
    assessment: Assessment
    self_filled: int
    self_total: int
    appraised: int
    appraisable: int
    parts: list[PartStatus] = field(default_factory=list)

    @property
    def submitted_parts(self) -> int:
        return sum(1 for p in self.parts if p.submitted)

    @property
    def is_appraised(self) -> bool:
        return self.appraisable > 0 and self.appraised == self.appraisable

    @property
    def phase_label(self) -> str:
        return self.assessment.get_phase_display()


@dataclass
class BlockProgress:
    province: Subject
    year: int
    kind: str
    framework: object
    units: list[UnitProgress]

    @property
    def kind_label(self) -> str:
        return ranking.kind_label(self.kind)

    def count(self, predicate) -> int:
        return sum(1 for u in self.units if predicate(u))

    @property
    def submitted_count(self) -> int:
        return self.count(lambda u: u.parts and u.submitted_parts == len(u.parts))

    @property
    def appraised_count(self) -> int:
        return self.count(lambda u: u.is_appraised)


def block_progress(province: Subject, year: int, kind: str) -> BlockProgress:
    """RankingError (Vietnamese) when the province has no framework of that kind and year."""
    framework = ranking.block_framework(province, year, kind)
    if framework is None:
        raise ranking.no_framework(province, year, kind)
    assessments = list(ranking.unit_assessments(province, framework))
    results = scoring.compute_many(assessments, with_agencies=True)
    submissions: dict[tuple[int, int], list[Submission]] = {}
    for submission in Submission.objects.filter(assessment__in=[a.pk for a in assessments]).order_by("stage"):
        submissions.setdefault((submission.assessment_id, submission.agency_id), []).append(submission)
    units = []
    for assessment in assessments:
        result = results[assessment.pk]
        leaves = [leaf for leaf in result.leaves() if leaf.applicable]
        own = [leaf for leaf in leaves if not leaf.is_survey]
        leads = {agency.pk: agency for leaf in own for agency in leaf.leads}
        parts = []
        for agency in sorted(leads.values(), key=lambda a: a.name):
            found = {s.stage: s for s in submissions.get((assessment.pk, agency.pk), [])}
            current = found.get(Stage.EXPLANATION) or found.get(Stage.SELF_ASSESSMENT)
            parts.append(
                PartStatus(
                    agency=agency,
                    stage=current.stage if current else Stage.SELF_ASSESSMENT,
                    submitted=current is not None and current.is_submitted,
                    returned=current is not None and current.status == Submission.Status.RETURNED,
                )
            )
        units.append(
            UnitProgress(
                assessment=assessment,
                self_filled=sum(1 for leaf in own if leaf.self_score is not None),
                self_total=len(own),
                appraised=sum(1 for leaf in leaves if leaf.appraised is not None),
                appraisable=len(leaves),
                parts=parts,
            )
        )
    return BlockProgress(province, year, kind, framework, units)
