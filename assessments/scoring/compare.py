"""Ranks, grades, comparisons with last year and with published figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from ..decimals import round_index
from ..models import (
    PublishedResult,
    Subject,
)
from .tree import Result

PUBLISHED_TOLERANCE = Decimal("0.01")
Key = TypeVar("Key")

# --- ranks, grades, comparisons -----------------------------------------------------------


def rank(indices: Mapping[Key, Decimal | None], *, places: int = 2) -> dict[Key, int]:
    """Competition ranking ("1224"): equal indices share a rank, the next rank skips.

    Indices are compared at their published precision (2 decimals by default), so two
    units at 95,70 % are both 3rd and the next is 5th.
    """
    quantised = {
        key: (round_index(value) if places == 2 else value)
        for key, value in indices.items()
        if value is not None
    }
    ordered = sorted(quantised.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {key: first_position[value] for key, value in quantised.items()}


@dataclass
class Comparison:
    """This year against last: change in percentage points, rank change (up is positive)."""

    index: Decimal | None
    previous_index: Decimal | None
    rank: int | None = None
    previous_rank: int | None = None

    @property
    def change(self) -> Decimal | None:
        if self.index is None or self.previous_index is None:
            return None
        return round_index(self.index) - round_index(self.previous_index)

    @property
    def rank_change(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


def compare(
    index: Decimal | None,
    previous_index: Decimal | None,
    rank: int | None = None,
    previous_rank: int | None = None,
) -> Comparison:
    return Comparison(index, previous_index, rank, previous_rank)


@dataclass
class PublishedGap:
    field_code: str
    published: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.published - self.computed


def published_results(subject: Subject, year: int) -> dict[str, PublishedResult]:
    """Published total ("") and field indices of one subject and year, by field code."""
    return {p.field_code: p for p in PublishedResult.objects.filter(subject=subject, year=year)}


def published_gaps(result: Result, published: Mapping[str, PublishedResult]) -> list[PublishedGap]:
    """Where a published index differs from the computed one by more than 0,01."""
    gaps: list[PublishedGap] = []
    computed = {f.code: f.index for f in result.fields}
    computed[""] = result.index
    for code, pub in sorted(published.items()):
        value = computed.get(code)
        if value is None or pub.index is None:  # nothing computed, or only a rank published
            continue
        if abs(round_index(value) - pub.index) > PUBLISHED_TOLERANCE:
            gaps.append(PublishedGap(code, pub.index, round_index(value)))
    return gaps


@dataclass
class RegionRank:
    """ "thứ 02 trong khu vực Đông Nam Bộ (sau tỉnh Bà Rịa - Vũng Tàu)"."""

    rank: int
    count: int
    region: str
    ahead: list[Subject] = field(default_factory=list)  # subjects ranked before, best first


def region_rank(subject: Subject, year: int, field_code: str = "") -> RegionRank | None:
    """The subject's rank among the units of its region, from stored national results.

    The region's units are those of the same kind valid at the end of the year. None when
    the subject has no region, or when any unit of the region has no published result (or
    has only a rank where others lack one).
    Ranks follow the published national ranks; where some are missing, the indices
    (competition ranking at 2 decimals).
    """
    import datetime

    if not subject.region:
        return None
    peers = list(
        Subject.objects.filter(kind=subject.kind, region=subject.region).valid_on(datetime.date(year, 12, 31))
    )
    if subject.pk not in {p.pk for p in peers}:
        peers.append(subject)
    published = {
        p.subject_id: p
        for p in PublishedResult.objects.filter(
            subject__in=peers, year=year, field_code=field_code
        ).select_related("subject")
    }
    if any(p.pk not in published for p in peers):
        return None
    if all(published[p.pk].rank is not None for p in peers):
        key = {p.pk: published[p.pk].rank or 0 for p in peers}  # every rank is set here
        ranks = {pk: 1 + sum(1 for other in key.values() if other < value) for pk, value in key.items()}
    elif all(published[p.pk].index is not None for p in peers):
        ranks = rank({p.pk: published[p.pk].index for p in peers})
    else:
        return None  # neither every rank nor every index is known
    own = ranks[subject.pk]
    ahead = sorted((p for p in peers if ranks[p.pk] < own), key=lambda p: (ranks[p.pk], p.name))
    return RegionRank(rank=own, count=len(peers), region=subject.region, ahead=ahead)
