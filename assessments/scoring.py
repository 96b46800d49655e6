"""The one module that computes roll-ups, indices, parts, counts, ranks and comparisons.

Every page, export, report and admin screen reads from here; nothing else adds scores up.
A computation issues a fixed number of queries whatever the size of the tree:
criteria (1), their agencies (1), the assessment's scores (1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .decimals import HUNDRED, ZERO, format_score, round_index, round_score, to_plain
from .models import (
    Assessment,
    Criterion,
    Framework,
    GradeBand,
    PublishedResult,
    Score,
    ScoringMethod,
    criterion_label,
    sort_key_for,
)

PUBLISHED_TOLERANCE = Decimal("0.01")


def index_of(score: Decimal | None, maximum: Decimal | None) -> Decimal | None:
    """Index (%) = score / applicable max × 100, kept to 4 decimals."""
    if score is None or not maximum:
        return None
    return round_score(score * HUNDRED / maximum)


@dataclass
class Node:
    """One criterion with its roll-up for one assessment (or for the framework alone)."""

    criterion: Criterion
    children: list[Node] = field(default_factory=list)
    score: Score | None = None
    max: Decimal = ZERO
    applicable_max: Decimal = ZERO
    self: Decimal | None = None
    appraised: Decimal | None = None
    applicable: bool = True
    leaf_count: int = 0
    scored_leaves: int = 0
    responsible: list = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def name(self) -> str:
        return self.criterion.name

    @property
    def level(self) -> int:
        return self.criterion.level

    @property
    def label(self) -> str:
        return criterion_label(self.code)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def method(self) -> str:
        return self.criterion.method

    @property
    def is_survey(self) -> bool:
        return self.criterion.method != ScoringMethod.SELF_ASSESSED

    @property
    def index(self) -> Decimal | None:
        return index_of(self.appraised, self.applicable_max)

    @property
    def self_index(self) -> Decimal | None:
        return index_of(self.self, self.applicable_max)

    @property
    def comment(self) -> str:
        return self.score.appraisal_comment if self.score else ""

    @property
    def agencies(self) -> list:
        """Agencies named on this criterion itself (may be empty)."""
        return list(self.criterion.agencies.all())

    @property
    def responsible_agency_names(self) -> list[str]:
        return [a.name for a in self.responsible]

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterable[Node]:
        for node in self.walk():
            if node.is_leaf:
                yield node


@dataclass
class Part:
    score: Decimal
    max: Decimal

    @property
    def index(self) -> Decimal | None:
        return index_of(self.score, self.max)


@dataclass
class TreeIssue:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Result:
    """Everything computed for one assessment."""

    framework: Framework
    fields: list[Node]
    by_code: dict[str, Node]
    assessment: Assessment | None = None
    grade_bands: list[GradeBand] = field(default_factory=list)

    @property
    def max(self) -> Decimal:
        return sum((f.max for f in self.fields), ZERO)

    @property
    def applicable_max(self) -> Decimal:
        return sum((f.applicable_max for f in self.fields), ZERO)

    @property
    def self(self) -> Decimal | None:
        return _sum_present(f.self for f in self.fields)

    @property
    def appraised(self) -> Decimal | None:
        return _sum_present(f.appraised for f in self.fields)

    @property
    def index(self) -> Decimal | None:
        return index_of(self.appraised, self.applicable_max)

    @property
    def grade(self) -> str | None:
        return grade_for(self.index, self.grade_bands)

    def nodes(self) -> Iterable[Node]:
        for f in self.fields:
            yield from f.walk()

    def leaves(self) -> Iterable[Node]:
        for f in self.fields:
            yield from f.leaves()

    def part(self, method: str) -> Part:
        score, maximum = ZERO, ZERO
        for leaf in self.leaves():
            if leaf.method == method and leaf.applicable:
                maximum += leaf.max
                if leaf.appraised is not None:
                    score += leaf.appraised
        return Part(round_score(score), maximum)

    @property
    def parts(self) -> dict[str, Part]:
        return {
            "self_assessed": self.part(ScoringMethod.SELF_ASSESSED),
            "leader_survey": self.part(ScoringMethod.LEADER_SURVEY),
            "people_survey": self.part(ScoringMethod.PEOPLE_SURVEY),
        }

    def self_assessed_leaves(self) -> list[Node]:
        """Applicable self-assessed leaves that have an appraised score."""
        return [
            leaf
            for leaf in self.leaves()
            if leaf.method == ScoringMethod.SELF_ASSESSED and leaf.applicable and leaf.appraised is not None
        ]

    @property
    def at_max_criteria(self) -> list[Node]:
        return [n for n in self.self_assessed_leaves() if n.appraised >= n.max]

    @property
    def below_max_criteria(self) -> list[Node]:
        return [n for n in self.self_assessed_leaves() if n.appraised < n.max]

    @property
    def zero_criteria(self) -> list[Node]:
        return [n for n in self.self_assessed_leaves() if n.appraised == 0]

    def issues(self) -> list[TreeIssue]:
        return validate_nodes(self.fields)

    def as_dict(self) -> dict:
        """The JSON contract of score_summary: numbers as decimal-point strings."""
        parts = self.parts
        return {
            "subject": self.assessment.subject.name if self.assessment else None,
            "year": self.framework.year,
            "max": to_plain(self.applicable_max),
            "self": to_plain(self.self),
            "appraised": to_plain(self.appraised),
            "index": to_plain(self.index),
            "parts": {
                key: {"score": to_plain(part.score), "max": to_plain(part.max)} for key, part in parts.items()
            },
            "fields": [
                {
                    "code": f.code,
                    "name": f.name,
                    "max": to_plain(f.applicable_max),
                    "self": to_plain(f.self),
                    "appraised": to_plain(f.appraised),
                    "index": to_plain(f.index),
                }
                for f in self.fields
            ],
            "at_max": len(self.at_max_criteria),
            "below_max": len(self.below_max_criteria),
            "zero": len(self.zero_criteria),
        }


def _sum_present(values: Iterable[Decimal | None]) -> Decimal | None:
    total, seen = ZERO, False
    for value in values:
        if value is not None:
            total += value
            seen = True
    return round_score(total) if seen else None


def build_tree(criteria: Iterable[Criterion], scores: Mapping[int, Score] | None = None):
    """Link criteria into nodes by code and roll scores up from the leaves.

    Returns (fields, by_code). Parent links follow the codes ("1.3.2" under "1.3"), so a
    tree imported without parent ids still rolls up correctly.
    """
    scores = scores or {}
    fields, by_code = _link(criteria, lambda criterion: scores.get(criterion.pk))
    for f in fields:
        _roll_up(f)
        _inherit_agencies(f, [])
    return fields, by_code


def _link(criteria: Iterable[Criterion], score_of) -> tuple[list[Node], dict[str, Node]]:
    """Nodes in code order, each under the node of its parent code; roots are the fields."""
    by_code: dict[str, Node] = {}
    fields: list[Node] = []
    for criterion in sorted(criteria, key=lambda c: sort_key_for(c.code)):
        node = Node(criterion=criterion, score=score_of(criterion))
        by_code[criterion.code] = node
        parent_code = criterion.code.rpartition(".")[0]
        if parent_code and parent_code in by_code:
            by_code[parent_code].children.append(node)
        else:
            fields.append(node)
    return fields, by_code


def _inherit_agencies(node: Node, inherited: list) -> None:
    """A criterion answers to its own agencies, or else to its nearest ancestor's."""
    own = list(node.criterion.agencies.all())
    node.responsible = own or inherited
    for child in node.children:
        _inherit_agencies(child, node.responsible)


def _roll_up(node: Node) -> None:
    if node.is_leaf:
        node.max = node.criterion.max_score
        score = node.score
        node.applicable = score.applicable if score is not None else True
        node.applicable_max = node.max if node.applicable else ZERO
        node.leaf_count = 1
        if score is not None and node.applicable:
            node.self = score.self_score
            node.appraised = score.final_score
            node.scored_leaves = 1 if node.appraised is not None else 0
        return
    for child in node.children:
        _roll_up(child)
    node.max = sum((c.max for c in node.children), ZERO)
    node.applicable_max = sum((c.applicable_max for c in node.children), ZERO)
    node.applicable = any(c.applicable for c in node.children)
    node.self = _sum_present(c.self for c in node.children)
    node.appraised = _sum_present(c.appraised for c in node.children)
    node.leaf_count = sum(c.leaf_count for c in node.children)
    node.scored_leaves = sum(c.scored_leaves for c in node.children)


def framework_criteria(framework: Framework) -> list[Criterion]:
    return list(
        Criterion.objects.filter(framework=framework).prefetch_related("agencies").order_by("sort_key")
    )


def compute(assessment: Assessment, criteria: list[Criterion] | None = None) -> Result:
    """Roll up one assessment: 3 queries (criteria, agencies, scores) plus grade bands."""
    framework = assessment.framework
    criteria = criteria if criteria is not None else framework_criteria(framework)
    scores = {s.criterion_id: s for s in Score.objects.filter(assessment=assessment)}
    fields, by_code = build_tree(criteria, scores)
    return Result(
        framework=framework,
        fields=fields,
        by_code=by_code,
        assessment=assessment,
        grade_bands=list(framework.grade_bands.all()),
    )


def compute_framework(framework: Framework) -> Result:
    """The tree alone, for describing a framework (counts, maxima), with no scores."""
    fields, by_code = build_tree(framework_criteria(framework))
    return Result(framework=framework, fields=fields, by_code=by_code)


# --- validation ---------------------------------------------------------------------------


def validate_nodes(fields: list[Node]) -> list[TreeIssue]:
    """Check a rolled-up tree. Each issue names the code, in Vietnamese."""
    issues: list[TreeIssue] = []
    for f in fields:
        for node in f.walk():
            issues.extend(_node_issues(node))
    return issues


def _node_issues(node: Node) -> list[TreeIssue]:
    code = node.code
    found: list[TreeIssue] = []
    if node.criterion.max_score is not None and node.criterion.max_score < 0:
        found.append(TreeIssue(code, f"{code}: điểm tối đa {format_score(node.criterion.max_score)} âm"))
    if not node.is_leaf:
        stated = node.criterion.max_score
        if stated is not None and stated != node.max:
            found.append(
                TreeIssue(
                    code,
                    f"{code}: điểm tối đa {format_score(stated)} khác tổng điểm tối đa các "
                    f"tiêu chí con ({format_score(node.max)})",
                )
            )
        return found
    score = node.score
    if score is None:
        return found
    for label, value in (
        ("điểm tự đánh giá", score.self_score),
        ("điểm thẩm định", score.appraised_score),
        ("điểm phúc tra", score.rechecked_score),
    ):
        if value is None:
            continue
        if value < 0:
            found.append(TreeIssue(code, f"{code}: {label} {format_score(value)} nhỏ hơn 0"))
        elif value > node.max:
            found.append(
                TreeIssue(
                    code,
                    f"{code}: {label} {format_score(value)} lớn hơn điểm tối đa {format_score(node.max)}",
                )
            )
    if node.is_survey and score.self_score is not None:
        found.append(
            TreeIssue(
                code,
                f"{code}: tiêu chí chấm qua điều tra xã hội học không có điểm tự đánh giá "
                f"(đang có {format_score(score.self_score)})",
            )
        )
    return found


def validate_framework(framework: Framework) -> list[TreeIssue]:
    criteria = framework_criteria(framework)
    issues = []
    codes = {c.code for c in criteria}
    for c in criteria:
        parent_code = c.code.rpartition(".")[0]
        if parent_code and parent_code not in codes:
            issues.append(TreeIssue(c.code, f"{c.code}: không có tiêu chí cha {parent_code}"))
    fields, _ = build_tree(criteria)
    return issues + validate_nodes(fields)


# --- ranks, grades, comparisons -----------------------------------------------------------


def rank(indices: Mapping, *, places: int = 2) -> dict:
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


def grade_for(index: Decimal | None, bands: Iterable[GradeBand]) -> str | None:
    if index is None:
        return None
    for band in sorted(bands, key=lambda b: b.min_index, reverse=True):
        if index >= band.min_index:
            return band.label
    return None


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


def compare(index, previous_index, rank=None, previous_rank=None) -> Comparison:
    return Comparison(index, previous_index, rank, previous_rank)


@dataclass
class PublishedGap:
    field_code: str
    published: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.published - self.computed


def published_results(subject, year: int) -> dict[str, PublishedResult]:
    """Published total ("") and field indices of one subject and year, by field code."""
    return {p.field_code: p for p in PublishedResult.objects.filter(subject=subject, year=year)}


def published_gaps(result: Result, published: Mapping[str, PublishedResult]) -> list[PublishedGap]:
    """Where a published index differs from the computed one by more than 0,01."""
    gaps = []
    computed = {f.code: f.index for f in result.fields}
    computed[""] = result.index
    for code, pub in sorted(published.items()):
        value = computed.get(code)
        if value is None:
            continue
        if abs(round_index(value) - pub.index) > PUBLISHED_TOLERANCE:
            gaps.append(PublishedGap(code, pub.index, round_index(value)))
    return gaps


# --- read helpers for the entry pages -----------------------------------------------------


def responsible_leaves(result: Result, agency_id: int) -> list[Node]:
    """The leaves an agency answers for (its own or inherited from the nearest ancestor)."""
    return [leaf for leaf in result.leaves() if any(a.pk == agency_id for a in leaf.responsible)]


def subtotal(nodes: Iterable[Node]) -> Part:
    """Self score and applicable max of a set of leaves (one agency's part of a field)."""
    nodes = list(nodes)
    score = _sum_present(n.self for n in nodes)
    return Part(score if score is not None else ZERO, sum((n.applicable_max for n in nodes), ZERO))


def lost_points(node: Node) -> bool:
    """A self-assessed leaf whose appraised score is below its max: the agency may explain."""
    score = node.score
    return (
        not node.is_survey
        and node.applicable
        and score is not None
        and score.appraised_score is not None
        and score.appraised_score < node.max
    )


# --- tables being imported, and ranks within a region (used by assessments.exchange) -------


def roll_up_table(criteria: Iterable[Criterion], scores_by_code: Mapping[str, Score]):
    """Roll up criteria and scores that are not saved yet (a table being imported).

    Like build_tree, but scores are matched by code and agencies are not read, so it runs
    on unsaved objects without a query. Returns (fields, by_code).
    """
    fields, by_code = _link(criteria, lambda criterion: scores_by_code.get(criterion.code))
    for f in fields:
        _roll_up(f)
    return fields, by_code


@dataclass
class RegionRank:
    """ "thứ 02 trong khu vực Đông Nam Bộ (sau tỉnh Bà Rịa - Vũng Tàu)"."""

    rank: int
    count: int
    region: str
    ahead: list = field(default_factory=list)  # subjects ranked before, best first


def region_rank(subject, year: int, field_code: str = "") -> RegionRank | None:
    """The subject's rank among the units of its region, from stored national results.

    The region's units are those of the same kind valid at the end of the year. None when
    the subject has no region, or when any unit of the region has no published result.
    Ranks follow the published national ranks; where some are missing, the indices
    (competition ranking at 2 decimals).
    """
    import datetime

    from .models import Subject

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
        key = {p.pk: published[p.pk].rank for p in peers}
        ranks = {pk: 1 + sum(1 for other in key.values() if other < value) for pk, value in key.items()}
    else:
        ranks = rank({p.pk: published[p.pk].index for p in peers})
    own = ranks[subject.pk]
    ahead = sorted((p for p in peers if ranks[p.pk] < own), key=lambda p: (ranks[p.pk], p.name))
    return RegionRank(rank=own, count=len(peers), region=subject.region, ahead=ahead)
