"""A province's own index: the units of one block (province, year, kind of unit) ranked.

Rules (docs/ranking.md): units are ranked by index on full precision — the index is
recomputed unrounded from the points and the applicable maximum, so two units published as
90,02 and 90,02 can be 2nd and 3rd; exactly equal indices share a rank and the next rank skips
(1, 2, 2, 4). The grade comes from the framework's bands, on the same exact index. A unit
without appraised points is listed, unranked. Year-on-year change compares each unit with
last year's result of the same unit or, where it did not exist, of its predecessors (units
merged into it), saying so.

A fixed number of queries whatever the number of units: the framework (1), the block's
assessments (1), their roll-up (compute_many: criteria, scores, grade bands), and for last
year the same again plus the units' predecessors (1).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import TypeVar

from django.db.models import Q, QuerySet

from ..decimals import HUNDRED, round_index
from ..models import Assessment, Framework, GradeBand, Subject, SubjectKind
from .many import compute_many
from .tree import Result, grade_for

Key = TypeVar("Key", bound=Hashable)
EXACT_PRECISION = 50  # significant digits of the unrounded index

# What `--kind` and the page accept besides the SubjectKind values and labels.
KIND_ALIASES = {
    "sở": SubjectKind.DEPARTMENT,
    "sở, ban, ngành": SubjectKind.DEPARTMENT,
    "sở ban ngành": SubjectKind.DEPARTMENT,
    "xã": SubjectKind.COMMUNE,
    "cấp xã": SubjectKind.COMMUNE,
    "xã, phường, đặc khu": SubjectKind.COMMUNE,
    "huyện": SubjectKind.DISTRICT,
    "cấp huyện": SubjectKind.DISTRICT,
}
UNIT_KINDS = [SubjectKind.DEPARTMENT, SubjectKind.COMMUNE, SubjectKind.DISTRICT]


class RankingError(LookupError):
    """A block that cannot be ranked, with a Vietnamese message."""


def parse_kind(text: str) -> str:
    """The SubjectKind value from its value ("department"), its label ("Sở, ban, ngành") or a
    usual short name ("xã"), case and spacing ignored. RankingError otherwise."""
    folded = " ".join((text or "").split()).casefold()
    for kind in SubjectKind:
        if folded in (kind.value, str(kind.label).casefold()):
            return kind.value
    if folded in KIND_ALIASES:
        return KIND_ALIASES[folded].value
    known = "; ".join(f"{k.value} ({k.label})" for k in UNIT_KINDS)
    raise RankingError(f"Không rõ khối đơn vị “{text}”. Dùng một trong: {known}.")


def kind_label(kind: str) -> str:
    return str(SubjectKind(kind).label)


def exact_index(points: Decimal | None, maximum: Decimal | None) -> Decimal | None:
    """points / maximum × 100, unrounded (50 significant digits): what ranks compare."""
    if points is None or not maximum:
        return None
    with localcontext() as context:
        context.prec = EXACT_PRECISION
        return points * HUNDRED / maximum


def competition_rank(values: Mapping[Key, Decimal | None]) -> dict[Key, int]:
    """Competition ranking ("1224") on the values as given, highest first: a key's rank is one
    more than the number of values strictly above its own. None values are not ranked."""
    present = sorted((v for v in values.values() if v is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(present, start=1):
        first.setdefault(value, position)
    return {key: first[value] for key, value in values.items() if value is not None}


@dataclass(frozen=True)
class PreviousFigures:
    """Last year's result a unit is compared with: its own, or its predecessors'."""

    year: int
    subjects: tuple[Subject, ...]
    indices: tuple[Decimal, ...]  # exact, one per subject
    rank: int | None  # only when one unit is compared
    through_predecessors: bool

    @property
    def index(self) -> Decimal:
        """The index compared with: the unit's own, or the mean of its predecessors'."""
        if len(self.indices) == 1:
            return self.indices[0]
        with localcontext() as context:
            context.prec = EXACT_PRECISION
            return sum(self.indices, Decimal(0)) / len(self.indices)

    @property
    def note(self) -> str:
        if not self.through_predecessors:
            return ""
        names = ", ".join(s.name for s in self.subjects)
        if len(self.subjects) == 1:
            return f"so với đơn vị tiền thân {names}"
        return f"so với bình quân chỉ số các đơn vị tiền thân: {names}"


@dataclass
class RankedUnit:
    assessment: Assessment
    result: Result
    exact_index: Decimal | None
    rank: int | None = None
    grade: str | None = None
    previous: PreviousFigures | None = None

    @property
    def subject(self) -> Subject:
        return self.assessment.subject

    @property
    def points(self) -> Decimal | None:
        return self.result.appraised

    @property
    def max(self) -> Decimal:
        return self.result.applicable_max

    @property
    def index(self) -> Decimal | None:
        """The index kept to 4 decimals (the stored, published precision)."""
        return self.result.index

    @property
    def bonus(self) -> Decimal | None:
        return self.result.bonus

    @property
    def deduction(self) -> Decimal | None:
        return self.result.deduction

    @property
    def is_ranked(self) -> bool:
        return self.rank is not None

    @property
    def change(self) -> Decimal | None:
        """Change of the index against last year, in percentage points, between the indices as
        published (2 decimals: "tăng 3,54%" is 88,01 − 84,47)."""
        if self.exact_index is None or self.previous is None:
            return None
        return round_index(self.exact_index) - round_index(self.previous.index)

    @property
    def rank_change(self) -> int | None:
        """Previous rank − rank (up is positive); only against one unit of last year."""
        if self.rank is None or self.previous is None or self.previous.rank is None:
            return None
        return self.previous.rank - self.rank


@dataclass
class Block:
    """The units of one province, year and kind, best first; the unranked at the end."""

    province: Subject
    year: int
    kind: str
    framework: Framework
    units: list[RankedUnit]
    grade_bands: list[GradeBand] = field(default_factory=list)
    previous_year_scored: bool = False

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def ranked(self) -> list[RankedUnit]:
        return [u for u in self.units if u.is_ranked]

    @property
    def unranked(self) -> list[RankedUnit]:
        return [u for u in self.units if not u.is_ranked]

    @property
    def grade_labels(self) -> list[str]:
        """The framework's grades, best first."""
        return [b.label for b in sorted(self.grade_bands, key=lambda b: b.min_index, reverse=True)]

    def grade_counts(self) -> list[tuple[str, int]]:
        """(grade, number of ranked units) for every grade of the framework, best first; units
        below the lowest band are counted as "Chưa xếp loại"."""
        counts = Counter(u.grade or "" for u in self.ranked)
        found = [(label, counts.get(label, 0)) for label in self.grade_labels]
        if counts.get(""):
            found.append(("Chưa xếp loại", counts[""]))
        return found


def no_framework(province: Subject, year: int, kind: str) -> RankingError:
    where = f"{province.title.capitalize()} chưa có bộ tiêu chí năm {year}"
    return RankingError(f"{where} cho khối {kind_label(kind).lower()}.")


def block_framework(province: Subject, year: int, kind: str) -> Framework | None:
    """The framework the province's units of this kind are scored on in that year: its own,
    else the ministry's of that kind (Framework.objects.for_subject's rule)."""
    frameworks = Framework.objects.filter(year=year, subject_kind=kind).filter(
        Q(owner=province) | Q(owner__isnull=True)
    )
    found = sorted(frameworks, key=lambda f: f.owner_id is None)
    return found[0] if found else None


def unit_assessments(province: Subject, framework: Framework) -> QuerySet[Assessment]:
    """The assessments of the province's units on the framework, by unit name (1 query)."""
    return (
        Assessment.objects.filter(framework=framework)
        .filter(
            Q(subject__parent_id=province.pk)
            | Q(subject__parent__parent_id=province.pk)
            | Q(subject__parent__isnull=True, framework__owner_id=province.pk)
        )
        .exclude(subject__kind=SubjectKind.PROVINCE)
        .select_related("subject", "framework")
        .order_by("subject__name", "pk")
    )


def _rank_units(assessments: list[Assessment], results: dict[int, Result]) -> list[RankedUnit]:
    units = []
    for assessment in assessments:
        result = results[assessment.pk]
        units.append(RankedUnit(assessment, result, exact_index(result.appraised, result.applicable_max)))
    ranks = competition_rank({u.assessment.pk: u.exact_index for u in units})
    for unit in units:
        unit.rank = ranks.get(unit.assessment.pk)
        unit.grade = grade_for(unit.exact_index, unit.result.grade_bands) if unit.is_ranked else None
    return sorted(units, key=_order)


def _order(unit: RankedUnit) -> tuple[bool, int, str, str, int]:
    # Rank first; equal ranks and the unranked by name, then code.
    return (unit.rank is None, unit.rank or 0, unit.subject.name, unit.subject.code, unit.assessment.pk)


def rank_block(province: Subject, year: int, kind: str, *, compare_previous: bool = True) -> Block:
    """Rank the province's units of `kind` in `year`. RankingError (Vietnamese) when the
    province has no framework of that kind and year."""
    framework = block_framework(province, year, kind)
    if framework is None:
        raise no_framework(province, year, kind)
    assessments = list(unit_assessments(province, framework))
    results = compute_many(assessments)
    units = _rank_units(assessments, results)
    bands = results[assessments[0].pk].grade_bands if assessments else list(framework.grade_bands.all())
    block = Block(province, year, kind, framework, units, grade_bands=list(bands))
    if compare_previous and units:
        attach_previous(block)
    return block


def attach_previous(block: Block) -> None:
    """Last year's figures of each unit: its own, else its direct predecessors' (merged units)."""
    framework = block_framework(block.province, block.year - 1, block.kind)
    if framework is None:
        return
    previous_assessments = list(unit_assessments(block.province, framework))
    if not previous_assessments:
        return
    previous_units = _rank_units(previous_assessments, compute_many(previous_assessments))
    by_subject = {u.subject.pk: u for u in previous_units if u.exact_index is not None}
    block.previous_year_scored = bool(by_subject)
    links = Subject.predecessors.through.objects.filter(
        from_subject_id__in=[u.subject.pk for u in block.units]
    ).values_list("from_subject_id", "to_subject_id")
    predecessors: dict[int, list[int]] = defaultdict(list)
    for successor_id, predecessor_id in links:
        predecessors[successor_id].append(predecessor_id)
    for unit in block.units:
        own = by_subject.get(unit.subject.pk)
        if own is not None:
            unit.previous = PreviousFigures(
                block.year - 1, (own.subject,), _indices([own]), own.rank, through_predecessors=False
            )
            continue
        found = [by_subject[pk] for pk in predecessors.get(unit.subject.pk, []) if pk in by_subject]
        if found:
            found.sort(key=lambda u: u.subject.name)
            unit.previous = PreviousFigures(
                block.year - 1,
                tuple(u.subject for u in found),
                _indices(found),
                found[0].rank if len(found) == 1 else None,
                through_predecessors=True,
            )


def _indices(units: list[RankedUnit]) -> tuple[Decimal, ...]:
    return tuple(u.exact_index for u in units if u.exact_index is not None)


def block_kinds(province: Subject, year: int) -> list[str]:
    """The kinds of unit the province has a framework for in that year (its own or the
    ministry's), in SubjectKind order."""
    kinds = set(
        Framework.objects.filter(year=year, subject_kind__in=[k.value for k in UNIT_KINDS])
        .filter(Q(owner=province) | Q(owner__isnull=True))
        .values_list("subject_kind", flat=True)
    )
    return [k.value for k in UNIT_KINDS if k.value in kinds]
