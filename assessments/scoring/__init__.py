"""The one module that computes roll-ups, indices, parts, counts, ranks and comparisons.

Every page, export, report and admin screen reads from here; nothing else adds scores up.
A computation issues a fixed number of queries whatever the size of the tree:
criteria (1), their agencies (1), the assessment's scores (1). A list of assessments is
computed by compute_many with a fixed number of queries whatever the length of the list.
"""

from ..decimals import round_index  # re-exported: callers format what scoring computes
from .compare import (
    PUBLISHED_TOLERANCE,
    Comparison,
    PublishedGap,
    RegionRank,
    compare,
    published_gaps,
    published_results,
    rank,
    region_rank,
)
from .figure_check import FigureProblem, check_figures, figure_problems
from .many import compute_many, criteria_of_frameworks, responsible_agency_ids
from .previous import COMPUTED, PUBLISHED, PreviousFigure, PreviousYear, previous_assessment, previous_year
from .rule_notation import describe_rule, format_notation, parse_notation
from .rules import Figure, RuleError, ScoringRule, compute_score, parse_figure
from .search import criteria_matching, fold_text
from .tree import (
    Node,
    Part,
    Result,
    TreeIssue,
    agency_links,
    answers_for_unit,
    build_tree,
    compute,
    compute_framework,
    entered_appraised_part,
    entered_part,
    framework_criteria,
    grade_for,
    index_of,
    lead_leaves,
    lost_points,
    lowered_by_council,
    part_branches,
    province_id_of,
    province_ids_of,
    responsible_leaves,
    roll_up_table,
    subtotal,
    unit_name_of,
)
from .validation import validate_framework, validate_nodes

__all__ = [
    "COMPUTED",
    "PUBLISHED",
    "PUBLISHED_TOLERANCE",
    "Comparison",
    "Figure",
    "FigureProblem",
    "Node",
    "Part",
    "PreviousFigure",
    "PreviousYear",
    "PublishedGap",
    "RegionRank",
    "Result",
    "RuleError",
    "ScoringRule",
    "TreeIssue",
    "agency_links",
    "answers_for_unit",
    "build_tree",
    "check_figures",
    "compare",
    "compute",
    "compute_framework",
    "compute_many",
    "compute_score",
    "criteria_matching",
    "criteria_of_frameworks",
    "describe_rule",
    "entered_appraised_part",
    "entered_part",
    "figure_problems",
    "fold_text",
    "format_notation",
    "framework_criteria",
    "grade_for",
    "index_of",
    "lead_leaves",
    "lost_points",
    "lowered_by_council",
    "parse_figure",
    "parse_notation",
    "part_branches",
    "previous_assessment",
    "previous_year",
    "province_id_of",
    "province_ids_of",
    "published_gaps",
    "published_results",
    "rank",
    "region_rank",
    "responsible_agency_ids",
    "responsible_leaves",
    "roll_up_table",
    "round_index",
    "subtotal",
    "unit_name_of",
    "validate_framework",
    "validate_nodes",
]
