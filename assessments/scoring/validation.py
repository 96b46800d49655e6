"""Validation of a rolled-up tree: each issue names the code, in Vietnamese."""

from __future__ import annotations

from ..decimals import format_score
from ..models import (
    Framework,
)
from .tree import Node, TreeIssue, build_tree, framework_criteria

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
