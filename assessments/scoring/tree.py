"""Roll-ups of one criteria tree: nodes, results, parts, counts; one assessment at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from ..decimals import HUNDRED, ZERO, round_score, to_plain
from ..models import (
    Agency,
    Assessment,
    Criterion,
    CriterionAgency,
    Framework,
    GradeBand,
    Score,
    ScoringMethod,
    Section,
    Subject,
    SubjectKind,
    criterion_label,
    sort_key_for,
)
from .rules import cap_section


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
    self_score: Decimal | None = None
    appraised: Decimal | None = None  # the score that counts: re-checked (phúc tra) where there was one
    council_appraised: Decimal | None = None  # the appraisal council's score, before any re-check
    applicable: bool = True
    leaf_count: int = 0
    scored_leaves: int = 0
    responsible: list[Agency] = field(default_factory=list)
    # The lead agency (cơ quan chủ trì) of each province among `responsible` (one when the
    # tree was built for one province): it scores the criterion, the others contribute.
    leads: list[Agency] = field(default_factory=list)

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
        return index_of(self.self_score, self.applicable_max)

    @property
    def comment(self) -> str:
        return self.score.appraisal_comment if self.score else ""

    @property
    def agencies(self) -> list[Agency]:
        """Agencies named on this criterion itself (may be empty)."""
        return [link.agency for link in self.criterion.agency_links.all()]

    @property
    def lead(self) -> Agency | None:
        """The lead agency (of the one province the tree was built for), or None."""
        return self.leads[0] if self.leads else None

    def is_led_by(self, agency_id: int) -> bool:
        return any(a.pk == agency_id for a in self.leads)

    @property
    def contributors(self) -> list[Agency]:
        """The agencies that contribute (cơ quan phối hợp): responsible, not leading."""
        lead_ids = {a.pk for a in self.leads}
        return [a for a in self.responsible if a.pk not in lead_ids]

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
    def main_fields(self) -> list[Node]:
        """The fields inside the scale (all of them in the ministry's framework)."""
        return [f for f in self.fields if f.criterion.section == Section.MAIN]

    def section_fields(self, section: str) -> list[Node]:
        return [f for f in self.fields if f.criterion.section == section]

    @property
    def max(self) -> Decimal:
        return sum((f.max for f in self.main_fields), ZERO)

    @property
    def applicable_max(self) -> Decimal:
        return sum((f.applicable_max for f in self.main_fields), ZERO)

    @property
    def bonus(self) -> Decimal | None:
        """Bonus points (điểm thưởng) after each section's cap; None when there is none."""
        return _sum_present(f.appraised for f in self.section_fields(Section.BONUS))

    @property
    def deduction(self) -> Decimal | None:
        """Points deducted (điểm trừ) after each section's cap; None when there is none."""
        return _sum_present(f.appraised for f in self.section_fields(Section.DEDUCTION))

    @property
    def self_score(self) -> Decimal | None:
        return _with_sections(
            _sum_present(f.self_score for f in self.main_fields),
            _sum_present(f.self_score for f in self.section_fields(Section.BONUS)),
            _sum_present(f.self_score for f in self.section_fields(Section.DEDUCTION)),
        )

    @property
    def main_appraised(self) -> Decimal | None:
        """The appraised points inside the scale, before bonus and deduction."""
        return _sum_present(f.appraised for f in self.main_fields)

    @property
    def appraised(self) -> Decimal | None:
        """The points that count: inside the scale, plus bonus, less deduction (never below 0)."""
        return _with_sections(self.main_appraised, self.bonus, self.deduction)

    @property
    def council_appraised(self) -> Decimal | None:
        return _sum_present(f.council_appraised for f in self.fields)

    @property
    def has_recheck(self) -> bool:
        """Whether any counted leaf has a re-check (phúc tra) score."""
        return any(
            leaf.applicable and leaf.score is not None and leaf.score.rechecked_score is not None
            for leaf in self.leaves()
        )

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

    def main_leaves(self) -> Iterable[Node]:
        for f in self.main_fields:
            yield from f.leaves()

    def part(self, method: str) -> Part:
        score, maximum = ZERO, ZERO
        for leaf in self.main_leaves():
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
            for leaf in self.main_leaves()
            if leaf.method == ScoringMethod.SELF_ASSESSED and leaf.applicable and leaf.appraised is not None
        ]

    @property
    def at_max_criteria(self) -> list[Node]:
        return [n for n in self.self_assessed_leaves() if n.appraised is not None and n.appraised >= n.max]

    @property
    def below_max_criteria(self) -> list[Node]:
        return [n for n in self.self_assessed_leaves() if n.appraised is not None and n.appraised < n.max]

    @property
    def zero_criteria(self) -> list[Node]:
        return [n for n in self.self_assessed_leaves() if n.appraised == 0]

    def issues(self) -> list[TreeIssue]:
        from .validation import validate_nodes

        return validate_nodes(self.fields)

    def as_dict(self) -> dict[str, object]:
        """The JSON contract of score_summary: numbers as decimal-point strings."""
        parts = self.parts
        return {
            "subject": self.assessment.subject.name if self.assessment else None,
            "year": self.framework.year,
            "max": to_plain(self.applicable_max),
            "self": to_plain(self.self_score),
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
                    "self": to_plain(f.self_score),
                    "appraised": to_plain(f.appraised),
                    "index": to_plain(f.index),
                }
                for f in self.fields
            ],
            "at_max": len(self.at_max_criteria),
            "below_max": len(self.below_max_criteria),
            "zero": len(self.zero_criteria),
        }


def _with_sections(main: Decimal | None, bonus: Decimal | None, deduction: Decimal | None) -> Decimal | None:
    """Main points plus bonus less deduction, floored at 0; None while the main part has none."""
    if main is None:
        return None
    if bonus is None and deduction is None:
        return main
    return max(ZERO, main + (bonus or ZERO) - (deduction or ZERO))


def _sum_present(values: Iterable[Decimal | None]) -> Decimal | None:
    total, seen = ZERO, False
    for value in values:
        if value is not None:
            total += value
            seen = True
    return round_score(total) if seen else None


def build_tree(
    criteria: Iterable[Criterion],
    scores: Mapping[int, Score] | None = None,
    *,
    inherit_agencies: bool = True,
    province_id: int | None = None,
    unit_name: str | None = None,
) -> tuple[list[Node], dict[str, Node]]:
    """Link criteria into nodes by code and roll scores up from the leaves.

    Returns (fields, by_code). Parent links follow the codes ("1.3.2" under "1.3"), so a
    tree imported without parent ids still rolls up correctly. With inherit_agencies=False
    the responsible agencies are not worked out (node.responsible stays empty), so criteria
    loaded without their agencies cost no query. With province_id, only that province's
    agencies count (a national framework's criteria name the agencies of every province).
    With unit_name (a department's or commune's own assessment), where a criterion names an
    agency of the unit's name (its own staff, see `answers_for_unit`), only that agency counts.
    """
    scores = scores or {}
    fields, by_code = _link(criteria, lambda criterion: scores.get(criterion.pk))
    for f in fields:
        _roll_up(f)
        if inherit_agencies:
            _inherit_agencies(f, [], [], province_id, unit_name)
    return fields, by_code


def _link(
    criteria: Iterable[Criterion], score_of: Callable[[Criterion], Score | None]
) -> tuple[list[Node], dict[str, Node]]:
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


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def answers_for_unit(agency_name: str, unit_name: str | None) -> bool:
    """Whether an agency is a unit's own staff in the unit's assessment: a province's own
    index links an agency of each unit's name to the criteria of the block's framework; in the
    assessment of one unit only the unit's own agency answers, not its peers'."""
    return unit_name is not None and _same_name(agency_name, unit_name)


def unit_name_of(subject: Subject) -> str | None:
    """The name whose agency answers for the subject's criteria (None for a province)."""
    return None if subject.kind == SubjectKind.PROVINCE else subject.name


def _inherit_agencies(
    node: Node,
    inherited: list[Agency],
    inherited_leads: list[Agency],
    province_id: int | None = None,
    unit_name: str | None = None,
) -> None:
    """A criterion answers to its own agencies, or else to its nearest ancestor's; so does its
    lead: in each province the link marked lead, or else the first linked. In a unit's own
    assessment, a criterion that names the unit's own agency answers to it alone."""
    links = [
        link
        for link in node.criterion.agency_links.all()
        if province_id is None or link.agency.province_id == province_id
    ]
    own = [link for link in links if answers_for_unit(link.agency.name, unit_name)]
    links = own or links
    if links:
        node.responsible = [link.agency for link in links]
        node.leads = _leads(links)
    else:
        node.responsible, node.leads = inherited, inherited_leads
    for child in node.children:
        _inherit_agencies(child, node.responsible, node.leads, province_id, unit_name)


def _leads(links: list[CriterionAgency]) -> list[Agency]:
    by_province: dict[int, list[CriterionAgency]] = {}
    for link in links:
        by_province.setdefault(link.agency.province_id, []).append(link)
    return [
        next((link.agency for link in group if link.is_lead), group[0].agency)
        for group in by_province.values()
    ]


def agency_links() -> Prefetch[str, QuerySet[CriterionAgency]]:
    """Prefetch of each criterion's agency links, in the order they were made (1 query)."""
    return Prefetch("agency_links", queryset=CriterionAgency.objects.select_related("agency").order_by("id"))


def province_id_of(subject: Subject) -> int | None:
    """The id of the province whose agencies answer for this subject's criteria."""
    province = subject.province
    return province.pk if province is not None else None


def province_ids_of(subjects: Iterable[Subject]) -> dict[int, int | None]:
    """province_id_of for many subjects: one query per level of the subject tree (a commune
    under a district under a province: two), whatever the number of subjects."""
    found: dict[int, int | None] = {}
    pending: dict[int, set[int]] = defaultdict(set)  # ancestor id -> subjects waiting for it
    for subject in subjects:
        if subject.kind == SubjectKind.PROVINCE:
            found[subject.pk] = subject.pk
        elif subject.parent_id is None:
            found[subject.pk] = None
        else:
            pending[subject.parent_id].add(subject.pk)
    for _depth in range(5):
        if not pending:
            break
        rows = Subject.objects.filter(pk__in=list(pending)).values_list("pk", "kind", "parent_id")
        following: dict[int, set[int]] = defaultdict(set)
        for pk, kind, parent_id in rows:
            waiting = pending.pop(pk)
            if kind == SubjectKind.PROVINCE or parent_id is None:
                found.update(dict.fromkeys(waiting, pk if kind == SubjectKind.PROVINCE else None))
            else:
                following[parent_id] |= waiting
        for waiting in pending.values():
            found.update(dict.fromkeys(waiting))
        pending = following
    for waiting in pending.values():
        found.update(dict.fromkeys(waiting))
    return found


def _roll_up(node: Node) -> None:
    if node.is_leaf:
        node.max = node.criterion.max_score
        score = node.score
        node.applicable = score.applicable if score is not None else True
        node.applicable_max = node.max if node.applicable else ZERO
        node.leaf_count = 1
        if score is not None and node.applicable:
            node.self_score = score.self_score
            node.appraised = score.final_score
            node.council_appraised = score.appraised_score
            node.scored_leaves = 1 if node.appraised is not None else 0
        return
    for child in node.children:
        _roll_up(child)
    node.max = sum((c.max for c in node.children), ZERO)
    node.applicable_max = sum((c.applicable_max for c in node.children), ZERO)
    node.applicable = any(c.applicable for c in node.children)
    node.self_score = _sum_present(c.self_score for c in node.children)
    node.appraised = _sum_present(c.appraised for c in node.children)
    node.council_appraised = _sum_present(c.council_appraised for c in node.children)
    node.leaf_count = sum(c.leaf_count for c in node.children)
    node.scored_leaves = sum(c.scored_leaves for c in node.children)
    cap_section(node)


def framework_criteria(framework: Framework) -> list[Criterion]:
    return list(
        Criterion.objects.filter(framework=framework).prefetch_related(agency_links()).order_by("sort_key")
    )


def compute(assessment: Assessment, criteria: list[Criterion] | None = None) -> Result:
    """Roll up one assessment: 3 queries (criteria, agencies, scores) plus grade bands."""
    framework = assessment.framework
    criteria = criteria if criteria is not None else framework_criteria(framework)
    scores = {s.criterion_id: s for s in Score.objects.filter(assessment=assessment)}
    province_id = province_id_of(assessment.subject) or framework.owner_id  # as permissions.province_of
    fields, by_code = build_tree(
        criteria, scores, province_id=province_id, unit_name=unit_name_of(assessment.subject)
    )
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


# --- read helpers for the entry pages -----------------------------------------------------


def responsible_leaves(result: Result, agency_id: int) -> list[Node]:
    """The leaves an agency answers for, leading or contributing (its own or inherited from
    the nearest ancestor): what its entry page shows."""
    return [leaf for leaf in result.leaves() if any(a.pk == agency_id for a in leaf.responsible)]


def lead_leaves(result: Result, agency_id: int) -> list[Node]:
    """The leaves an agency leads (cơ quan chủ trì): the ones it scores and submits."""
    return [leaf for leaf in result.leaves() if leaf.is_led_by(agency_id)]


def subtotal(nodes: Iterable[Node]) -> Part:
    """Self score and applicable max of a set of leaves (one agency's part of a field)."""
    nodes = list(nodes)
    score = _sum_present(n.self_score for n in nodes)
    return Part(score if score is not None else ZERO, sum((n.applicable_max for n in nodes), ZERO))


def lowered_by_council(node: Node) -> bool:
    """The one rule of the explanation phase: a self-assessed, applicable leaf whose appraised
    score is below the department's self score (the council lowered it). Only these ask the
    lead agency for an explanation (giải trình); a criterion below its max that the council
    left at the self score asks nothing."""
    score = node.score
    return (
        not node.is_survey
        and node.applicable
        and score is not None
        and score.appraised_score is not None
        and score.self_score is not None
        and score.appraised_score < score.self_score
    )


def _entered_leaves(nodes: Iterable[Node], agency_id: int) -> list[Node]:
    return [n for n in nodes if not n.is_survey and n.is_led_by(agency_id)]


def entered_part(nodes: Iterable[Node], agency_id: int) -> Part:
    """An agency's part of a field as its page totals it: only the leaves it enters, the
    self-assessed ones it leads (survey leaves and criteria another agency leads are not
    its to score: Sở Tư pháp's "/10" is "/6" when 4 of the 10 points come from surveys)."""
    return subtotal(_entered_leaves(nodes, agency_id))


def entered_appraised_part(nodes: Iterable[Node], agency_id: int) -> Part:
    """The council's points (re-checked where there was a re-check) on the leaves that
    `entered_part` counts, over the same applicable max: the agency's part after appraisal."""
    leaves = _entered_leaves(nodes, agency_id)
    score = _sum_present(n.appraised for n in leaves)
    return Part(score if score is not None else ZERO, sum((n.applicable_max for n in leaves), ZERO))


def part_branches(result: Result, leaf_ids: Collection[int]) -> list[tuple[Node, list[Node]]]:
    """The tree cut down to some leaves (by criterion id), in tree order: each field that
    holds one of them, with its nodes that are one of them or hold one (the field first).
    The rows of an agency's entry page and of its Excel part."""
    branches = []
    for field_node in result.fields:
        nodes = [
            node for node in field_node.walk() if any(leaf.criterion.pk in leaf_ids for leaf in node.leaves())
        ]
        if nodes:
            branches.append((field_node, nodes))
    return branches


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


def roll_up_table(
    criteria: Iterable[Criterion], scores_by_code: Mapping[str, Score]
) -> tuple[list[Node], dict[str, Node]]:
    """Roll up criteria and scores that are not saved yet (a table being imported).

    Like build_tree, but scores are matched by code and agencies are not read, so it runs
    on unsaved objects without a query. Returns (fields, by_code).
    """
    fields, by_code = _link(criteria, lambda criterion: scores_by_code.get(criterion.code))
    for f in fields:
        _roll_up(f)
    return fields, by_code


def grade_for(index: Decimal | None, bands: Iterable[GradeBand]) -> str | None:
    if index is None:
        return None
    for band in sorted(bands, key=lambda b: b.min_index, reverse=True):
        if index >= band.min_index:
            return band.label
    return None
