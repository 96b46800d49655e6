"""Scores from declared figures: a department declares "40/41" for 1.1 and 1,4634 is stored
with it; the council corrects a figure and the score follows, or keeps another score with a
written reason. The figures and the score are written together, by the one write path
(save_part for a department, save_appraisal for the council, then rows.apply_rows), and are
kept in the score's history. The rule and its arithmetic are in assessments.scoring.rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..decimals import NotANumber, format_score, parse_decimal, round_score
from ..models import ChangeSource, Criterion, Score
from ..scoring.rules import RuleError
from ..scoring.tree import Node
from .errors import DomainError
from .rows import RowInput


@dataclass(frozen=True)
class Side:
    """One pair of figures and score on a score row."""

    figures: str
    score: str
    reason: str | None  # where an override of the computed score is explained; None: no override
    figures_label: str
    score_label: str


OVERRIDE_REASON = "appraised_override_reason"
SELF = Side("self_figures", "self_score", None, "số liệu tự đánh giá", "điểm tự đánh giá")
APPRAISED = Side(
    "appraised_figures", "appraised_score", OVERRIDE_REASON, "số liệu thẩm định", "điểm thẩm định"
)
SIDES = (SELF, APPRAISED)


def resolve_figures(nodes: Mapping[int, Node], rows: Mapping[int, RowInput]) -> None:
    """Make each row's figures and score agree before it is written (rows changed in place).

    For a row that declares figures: the figures are stored in canonical form ("08/17" ->
    "8/17") and the score is the one they give; a score typed beside them must be that score,
    unless the council writes a reason to keep another (appraised score only). A score typed
    alone on a row that already has figures is checked against them the same way. Raises
    DomainError naming the criterion; nothing is written then (the caller's transaction).
    `nodes` maps criterion ids to scoring nodes (node.criterion, node.score as stored).
    """
    for criterion_id, row in rows.items():
        node = nodes.get(criterion_id)
        if node is not None:
            reconcile(node.criterion, node.score, row.values)


def reconcile(criterion: Criterion, stored: Score | None, values: dict, sides=SIDES) -> None:
    """resolve_figures for one row's values (a dict of Score field names)."""
    for side in sides:
        _resolve(criterion, stored, values, side)


def _resolve(criterion: Criterion, stored: Score | None, values: dict, side: Side) -> None:
    posted = side.figures in values
    if not posted and side.score not in values and not (side.reason and side.reason in values):
        return
    text = values[side.figures] if posted else (getattr(stored, side.figures) if stored else "")
    try:
        figure = criterion.rule.figure(text, criterion.code)
    except RuleError as exc:
        raise DomainError(exc.message) from exc
    if figure is None:  # no figures: a typed score, as before
        if posted:
            values[side.figures] = ""
        if side.reason and side.reason in values:
            values[side.reason] = ""
        return
    computed = round_score(criterion.rule.exact_score(criterion.max_score, figure))
    values[side.figures] = str(figure)
    if side.score in values:
        typed = values[side.score]  # typed beside the figures (None: let the figures give it)
    elif posted:
        typed = None  # figures corrected: the score follows
    else:
        typed = getattr(stored, side.score, None)  # only the reason changes
    if typed is None or _same(typed, computed):
        values[side.score] = computed
        if side.reason:
            values[side.reason] = ""
        return
    if side.reason:
        reason = (values[side.reason] if side.reason in values else getattr(stored, side.reason, "")) or ""
    else:
        reason = ""  # a department does not override its figures
    if reason.strip():
        values[side.score] = typed
        values[side.reason] = reason.strip()
        return
    advice = (
        "muốn giữ điểm khác, ghi lý do điều chỉnh"
        if side.reason
        else "sửa số liệu, hoặc xóa số liệu để nhập điểm trực tiếp"
    )
    raise DomainError(
        f"{criterion.code}: {side.score_label} {format_score(typed)} khác điểm tính từ {side.figures_label} "
        f"{figure} ({format_score(computed)}); {advice}."
    )


def _same(a, b: Decimal) -> bool:
    return round_score(Decimal(a)) == b


def declare_figures(
    *,
    user,
    assessment,
    criterion: Criterion,
    figures: str,
    version: int,
    agency=None,
    score=None,
    reason: str = "",
    source: str = ChangeSource.FORM,
) -> Score | None:
    """Declare one criterion's figures; the score computed from them is stored with them.

    With `agency`, the department's self-assessment (save_part: its own criteria, while its
    part is open). Without, the council's appraisal (save_appraisal: appraisal phase), where
    `score` and `reason` keep another score than the computed one. `version` is the row's
    version when the page was opened (optimistic locking, rows.apply_rows). Returns the
    score row as written, or None when nothing changed.
    """
    from .entry import save_part
    from .workflow import save_appraisal

    if isinstance(score, str):
        try:
            score = parse_decimal(score)
        except NotANumber as exc:
            raise DomainError(f"{criterion.code}: {exc}.") from exc
    if agency is not None:
        values = {SELF.figures: figures}
        if score is not None:
            values[SELF.score] = score
        rows = {criterion.pk: RowInput(version=version, values=values)}
        saved = save_part(user=user, assessment=assessment, agency=agency, rows=rows, source=source)
    else:
        values = {APPRAISED.figures: figures, OVERRIDE_REASON: reason}
        if score is not None:
            values[APPRAISED.score] = score
        rows = {criterion.pk: RowInput(version=version, values=values)}
        saved = save_appraisal(user=user, assessment=assessment, rows=rows, source=source)
    return saved[0] if saved else None
