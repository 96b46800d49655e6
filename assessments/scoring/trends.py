"""Years side by side: a subject's total and field indices and ranks for every year stored,
published (PublishedResult) where imported, computed from the scores where scored, through
the subject's predecessors (units merged into it); and criterion by criterion against the
year before, where both years were scored on comparable frameworks.

A fixed number of queries whatever the number of years: the subject's predecessors (one per
generation of mergers), the published results (1), the assessments of every framework the
lineage was scored on (1) and their roll-up (compute_many: criteria, scores, grade bands).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Assessment, PublishedResult, Subject
from .compare import rank
from .many import compute_many
from .tree import Node, Result

PUBLISHED = "published"
COMPUTED = "computed"
SOURCE_LABELS = {PUBLISHED: "Công bố", COMPUTED: "Tính từ điểm"}
MAX_GENERATIONS = 5


@dataclass(frozen=True)
class Figure:
    """One index of one year: the total (code "") or a field's."""

    code: str
    name: str
    index: Decimal | None
    rank: int | None = None
    ranked_count: int | None = None


@dataclass
class YearFigures:
    """The figures of one subject and one year from one source."""

    year: int
    subject: Subject
    source: str
    total: Figure
    fields: dict[str, Figure] = field(default_factory=dict)
    assessment: Assessment | None = None

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]


@dataclass
class YearRow:
    """One subject's year: published and/or computed figures; the published ones are shown
    (they are the official ones) and the computed ones beside them where both exist."""

    year: int
    subject: Subject
    is_predecessor: bool
    published: YearFigures | None = None
    computed: YearFigures | None = None

    @property
    def shown(self) -> YearFigures:
        return self.published or self.computed  # type: ignore[return-value]

    @property
    def source(self) -> str:
        return self.shown.source

    def field(self, code: str) -> Figure | None:
        return self.shown.fields.get(code)


@dataclass(frozen=True)
class CriterionChange:
    """A leaf matched in both years (same code, same name): points now and the year before."""

    code: str
    name: str
    max: Decimal
    previous_max: Decimal
    score: Decimal | None
    previous_score: Decimal | None
    remark: str
    previous_remark: str

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass(frozen=True)
class FrameworkDifference:
    code: str
    text: str


@dataclass
class CriteriaComparison:
    year: int
    previous_year: int
    subject: Subject
    previous_subject: Subject
    matched: list[CriterionChange]
    differences: list[FrameworkDifference]

    @property
    def comparable(self) -> bool:
        return bool(self.matched)

    def _changes(self) -> list[tuple[Decimal, CriterionChange]]:
        """The matched criteria scored in both years, each with its change."""
        return [(change, c) for c in self.matched if (change := c.change) is not None]

    @property
    def gained(self) -> list[CriterionChange]:
        up = [(change, c) for change, c in self._changes() if change > 0]
        return [c for _change, c in sorted(up, key=lambda item: (-item[0], _code_key(item[1].code)))]

    @property
    def lost(self) -> list[CriterionChange]:
        down = [(change, c) for change, c in self._changes() if change < 0]
        return [c for _change, c in sorted(down, key=lambda item: (item[0], _code_key(item[1].code)))]

    @property
    def unchanged_count(self) -> int:
        return sum(1 for change, _c in self._changes() if change == 0)

    @property
    def total_gained(self) -> Decimal:
        return sum((change for change, _c in self._changes() if change > 0), Decimal(0))

    @property
    def total_lost(self) -> Decimal:
        return sum((change for change, _c in self._changes() if change < 0), Decimal(0))


@dataclass
class Trend:
    subject: Subject
    predecessors: list[Subject]
    rows: list[YearRow]
    field_names: dict[str, str]
    criteria: CriteriaComparison | None

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.rows})

    @property
    def through_predecessors(self) -> bool:
        return any(r.is_predecessor for r in self.rows)

    @property
    def field_codes(self) -> list[str]:
        return sorted(self.field_names, key=_code_key)

    def series(self) -> list[tuple[Subject, list[YearRow]]]:
        """One series per subject of the lineage (the subject first), years ascending."""
        by_subject: dict[int, list[YearRow]] = defaultdict(list)
        for row in self.rows:
            by_subject[row.subject.pk].append(row)
        order = [self.subject, *self.predecessors]
        return [(s, by_subject[s.pk]) for s in order if by_subject.get(s.pk)]


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


def lineage(subject: Subject) -> list[Subject]:
    """The subject's predecessors, generation by generation (one query per generation)."""
    found: list[Subject] = []
    seen = {subject.pk}
    current = [subject.pk]
    for _generation in range(MAX_GENERATIONS):
        previous = [
            s
            for s in Subject.objects.filter(successors__in=current).distinct().order_by("name")
            if s.pk not in seen
        ]
        if not previous:
            break
        found += previous
        seen |= {s.pk for s in previous}
        current = [s.pk for s in previous]
    return found


def computed_ranks(
    results: dict[int, Result], assessments: list[Assessment]
) -> dict[int, dict[str, tuple[int, int]]]:
    """Rank of every assessment among those scored on the same framework (a block: the
    provinces on the ministry's framework, a province's departments on its own), for the total
    ("") and each field, on full precision: {assessment id: {code: (rank, ranked count)}}."""
    by_framework: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        by_framework[assessment.framework_id].append(assessment)
    found: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for peers in by_framework.values():
        indices: dict[str, dict[int, Decimal]] = defaultdict(dict)
        for assessment in peers:
            result = results[assessment.pk]
            if result.index is None:
                continue
            indices[""][assessment.pk] = result.index
            for node in result.fields:
                if node.index is not None:
                    indices[node.code][assessment.pk] = node.index
        for code, values in indices.items():
            for pk, position in rank(values, places=4).items():
                found[pk][code] = (position, len(values))
    return found


def _published_figures(rows: list[PublishedResult], subject: Subject) -> YearFigures:
    total = next((r for r in rows if r.field_code == ""), None)
    fields = {
        r.field_code: Figure(r.field_code, r.field_name, r.index, r.rank, r.ranked_count)
        for r in rows
        if r.field_code
    }
    total_count = total.ranked_count if total is not None else None
    return YearFigures(
        year=rows[0].year,
        subject=subject,
        source=PUBLISHED,
        total=Figure("", "", total.index if total else None, total.rank if total else None, total_count),
        fields=fields,
    )


def _computed_figures(
    assessment: Assessment, result: Result, ranks: dict[str, tuple[int, int]]
) -> YearFigures:
    def figure(code: str, name: str, index: Decimal | None) -> Figure:
        position, count = ranks.get(code, (None, None))
        return Figure(code, name, index, position, count)

    return YearFigures(
        year=assessment.year,
        subject=assessment.subject,
        source=COMPUTED,
        total=figure("", "", result.index),
        fields={node.code: figure(node.code, node.name, node.index) for node in result.fields},
        assessment=assessment,
    )


def subject_trend(subject: Subject, *, year: int | None = None) -> Trend:
    """Every stored year of `subject` and its predecessors; the criteria of `year` (default:
    the latest scored year) against the year before."""
    predecessors = lineage(subject)
    members = {s.pk: s for s in [subject, *predecessors]}
    rows: dict[tuple[int, int], YearRow] = {}

    def row_for(subject_id: int, row_year: int) -> YearRow:
        key = (row_year, subject_id)
        if key not in rows:
            rows[key] = YearRow(row_year, members[subject_id], is_predecessor=subject_id != subject.pk)
        return rows[key]

    published: dict[tuple[int, int], list[PublishedResult]] = defaultdict(list)
    for result in PublishedResult.objects.filter(subject_id__in=list(members)).order_by("year", "field_code"):
        published[(result.year, result.subject_id)].append(result)
    for (row_year, subject_id), items in published.items():
        row_for(subject_id, row_year).published = _published_figures(items, members[subject_id])

    own = Assessment.objects.filter(subject_id__in=list(members)).values_list("framework_id", flat=True)
    peers = list(Assessment.objects.filter(framework_id__in=own).select_related("subject", "framework"))
    results = compute_many(peers)
    ranks = computed_ranks(results, peers)
    scored = {}
    for assessment in peers:
        if assessment.subject_id not in members or results[assessment.pk].index is None:
            continue
        assessment.subject = members[assessment.subject_id]
        scored[(assessment.year, assessment.subject_id)] = assessment
        row_for(assessment.subject_id, assessment.year).computed = _computed_figures(
            assessment, results[assessment.pk], ranks[assessment.pk]
        )

    ordered = sorted(rows.values(), key=lambda r: (r.year, r.is_predecessor, r.subject.name))
    names: dict[str, str] = {}
    for row in ordered:  # the latest year's name of each field code wins
        for figures in (row.published, row.computed):
            if figures is not None:
                names.update({code: f.name for code, f in figures.fields.items() if f.name})
    criteria = _criteria_for(subject, scored, results, year)
    return Trend(subject, predecessors, ordered, names, criteria)


def _criteria_for(
    subject: Subject,
    scored: dict[tuple[int, int], Assessment],
    results: dict[int, Result],
    year: int | None,
) -> CriteriaComparison | None:
    own_years = sorted(y for (y, pk) in scored if pk == subject.pk)
    if year is None:
        year = next((y for y in reversed(own_years) if any(py == y - 1 for (py, _pk) in scored)), None)
    if year is None or (year, subject.pk) not in scored:
        return None
    previous = scored.get((year - 1, subject.pk))
    if previous is None:
        candidates = [a for (py, _pk), a in scored.items() if py == year - 1]
        previous = candidates[0] if len(candidates) == 1 else None
    if previous is None:
        return None
    current = scored[(year, subject.pk)]
    return compare_criteria(current, results[current.pk], previous, results[previous.pk])


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def compare_criteria(
    current: Assessment, result: Result, previous: Assessment, before: Result
) -> CriteriaComparison:
    """Leaf by leaf: matched by code and name; what does not match is listed, not compared."""
    now_leaves = {n.code: n for n in result.leaves()}
    old_leaves = {n.code: n for n in before.leaves()}
    matched, differences = [], []
    for code in sorted(set(now_leaves) | set(old_leaves), key=_code_key):
        now, old = now_leaves.get(code), old_leaves.get(code)
        if old is None:  # then the code is this year's
            differences.append(
                FrameworkDifference(code, f"chỉ có ở năm {current.year}: {now_leaves[code].name}")
            )
            continue
        if now is None:
            differences.append(FrameworkDifference(code, f"chỉ có ở năm {previous.year}: {old.name}"))
            continue
        if not _same_name(now.name, old.name):
            differences.append(
                FrameworkDifference(
                    code, f"đổi nội dung: năm {previous.year} “{old.name}”, năm {current.year} “{now.name}”"
                )
            )
            continue
        if now.max != old.max:
            differences.append(
                FrameworkDifference(
                    code, f"điểm tối đa đổi từ {old.max.normalize():f} thành {now.max.normalize():f}"
                )
            )
        matched.append(_change(now, old))
    return CriteriaComparison(
        year=current.year,
        previous_year=previous.year,
        subject=current.subject,
        previous_subject=previous.subject,
        matched=matched,
        differences=differences,
    )


def _change(now: Node, old: Node) -> CriterionChange:
    return CriterionChange(
        code=now.code,
        name=now.name,
        max=now.applicable_max,
        previous_max=old.applicable_max,
        score=now.appraised,
        previous_score=old.appraised,
        remark=_remark(now),
        previous_remark=_remark(old),
    )


def _remark(node: Node) -> str:
    score = node.score
    if score is None:
        return ""
    return (score.recheck_comment or score.appraisal_comment or "").strip()
