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
from .many import compute_many, criteria_of_frameworks, responsible_agency_ids
from .previous import COMPUTED, PUBLISHED, PreviousFigure, PreviousYear, previous_assessment, previous_year
from .tree import (
    Node,
    Part,
    Result,
    TreeIssue,
    build_tree,
    compute,
    compute_framework,
    framework_criteria,
    grade_for,
    index_of,
    lost_points,
    province_id_of,
    province_ids_of,
    responsible_leaves,
    roll_up_table,
    subtotal,
)
from .validation import validate_framework, validate_nodes

__all__ = [
    "COMPUTED",
    "PUBLISHED",
    "PUBLISHED_TOLERANCE",
    "Comparison",
    "Node",
    "Part",
    "PreviousFigure",
    "PreviousYear",
    "PublishedGap",
    "RegionRank",
    "Result",
    "TreeIssue",
    "build_tree",
    "compare",
    "compute",
    "compute_framework",
    "compute_many",
    "criteria_of_frameworks",
    "framework_criteria",
    "grade_for",
    "index_of",
    "lost_points",
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
    "validate_framework",
    "validate_nodes",
]
