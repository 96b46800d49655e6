"""Last year's figures, by one rule for the text, the tables and the charts.

The rule: for the total ("") and each field, last year's index and rank are the figures the
ministry published, when they were imported (what was announced, and what comparisons in
the reference report use); otherwise the index computed from last year's appraised scores
(no rank then). Last year's assessment of the same subject on the same kind of framework is
computed too, when there is one: its per-criterion scores tell what changed, and where the
published index differs from it, the difference is said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..decimals import round_index
from ..models import Assessment, PublishedResult
from .compare import PUBLISHED_TOLERANCE, published_results
from .tree import Node, Result, compute

PUBLISHED = "published"
COMPUTED = "computed"


@dataclass(frozen=True)
class PreviousFigure:
    """Last year's figure of the total ("") or one field, and where it comes from."""

    code: str
    index: Decimal | None  # None: the ministry published only a rank
    rank: int | None
    source: str  # PUBLISHED or COMPUTED
    computed_index: Decimal | None = None  # from last year's appraised scores, when known

    @property
    def is_published(self) -> bool:
        return self.source == PUBLISHED

    @property
    def differs_from_computed(self) -> bool:
        """A published figure that is not what last year's scores give (beyond 0,01)."""
        return (
            self.is_published
            and self.index is not None
            and self.computed_index is not None
            and abs(round_index(self.computed_index) - self.index) > PUBLISHED_TOLERANCE
        )


@dataclass
class PreviousYear:
    year: int
    figures: dict[str, PreviousFigure] = field(default_factory=dict)
    result: Result | None = None  # last year's computed assessment, when there is one
    published: dict[str, PublishedResult] = field(default_factory=dict)

    def get(self, code: str) -> PreviousFigure | None:
        return self.figures.get(code)

    @property
    def sources(self) -> set[str]:
        return {f.source for f in self.figures.values()}

    def leaf(self, code: str) -> Node | None:
        """Last year's node of a criterion code, when last year's assessment is known."""
        return self.result.by_code.get(code) if self.result is not None else None


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The same subject's assessment of the year before, on the same kind of framework."""
    framework = assessment.framework
    return (
        Assessment.objects.select_related("subject", "framework")
        .filter(
            subject_id=assessment.subject_id,
            framework__year=framework.year - 1,
            framework__subject_kind=framework.subject_kind,
            framework__owner_id=framework.owner_id,
        )
        .first()
    )


def previous_year(assessment: Assessment) -> PreviousYear:
    """Last year's figures of an assessment's subject by the rule above (a fixed number of
    queries: the published results, last year's assessment and its computation)."""
    year = assessment.year - 1
    published = published_results(assessment.subject, year)
    before = previous_assessment(assessment)
    result = compute(before) if before is not None else None
    computed: dict[str, Decimal | None] = {}
    if result is not None:
        computed = {f.code: f.index for f in result.fields}
        computed[""] = result.index
    figures: dict[str, PreviousFigure] = {}
    for code in set(published) | {c for c, v in computed.items() if v is not None}:
        pub = published.get(code)
        if pub is not None:
            figures[code] = PreviousFigure(code, pub.index, pub.rank, PUBLISHED, computed.get(code))
        else:
            value = computed[code]
            assert value is not None  # only computed figures that exist are in the loop
            figures[code] = PreviousFigure(code, value, None, COMPUTED, value)
    return PreviousYear(year=year, figures=figures, result=result, published=published)
