"""What the self-assessment views share: the access decorator and the tree rows of the entry
and appraisal pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import scoring
from ..decimals import format_score, to_plain


def protected(*methods):
    """login_required + allowed methods (405 otherwise). A refused action raises
    PermissionDenied, which Django renders with templates/403.html and its reason."""

    def decorate(view):
        return login_required(require_http_methods(list(methods))(view))

    return decorate


ROW_TAG = "at-row"


def row_tag(criterion_id: int) -> str:
    """The extra tags of a message that belongs beside one criterion's row of the entry page
    (base.html leaves it out of the page-top list; the entry page shows it in the row)."""
    return f"{ROW_TAG} row-{criterion_id}"


def row_messages(request) -> tuple[dict[int, list], list]:
    """The request's messages split into those of a row (by criterion id) and the rest."""
    from django.contrib import messages

    by_row: dict[int, list] = {}
    rest = []
    for message in messages.get_messages(request):
        tags = (message.extra_tags or "").split()
        row = next((t[4:] for t in tags if t.startswith("row-") and t[4:].isdigit()), None)
        if ROW_TAG in tags and row is not None:
            by_row.setdefault(int(row), []).append(message)
        else:
            rest.append(message)
    return by_row, rest


def local(value):
    return timezone.localtime(value) if value else None


def tree_rows(result, wanted_leaves: dict, agency_id: int | None = None, shown=None) -> list[dict]:
    """Tree order: every ancestor of a wanted leaf as a heading, then the leaves. With
    `agency_id`, a field's part counts only what that agency enters (scoring.entered_part).
    With `shown` (criterion ids, a search's result), only those leaves are listed; a field's
    part still counts all of its wanted leaves."""
    rows = []
    listed = wanted_leaves if shown is None else shown
    for field, nodes in scoring.part_branches(result, listed):
        field_leaves = [leaf for leaf in field.leaves() if leaf.criterion.pk in wanted_leaves]
        part = (
            scoring.subtotal(field_leaves)
            if agency_id is None
            else scoring.entered_part(field_leaves, agency_id)
        )
        # the field's figures, the same on each of its rows (formatted once)
        field_values = {
            "field": field,
            "part_score": format_score(part.score),
            "part_plain": to_plain(part.score),
            "part_max": format_score(part.max),
            "field_final": format_score(field.appraised) or "0",
            "field_final_plain": to_plain(field.appraised) or "0",
            "field_max": format_score(field.applicable_max),
        }
        for node in nodes:
            score = node.score
            rows.append(
                {
                    "node": node,
                    "part": part if node is field else None,
                    **field_values,
                    "max": format_score(node.max),
                    "self_score": format_score(node.self_score),
                    "appraised": format_score(score.appraised_score) if score else "",
                    "rechecked": format_score(score.rechecked_score) if score else "",
                    "final": format_score(node.appraised),
                }
            )
    return rows
