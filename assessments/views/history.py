"""The history of one criterion: score changes and workflow events, newest first."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import permissions, scoring, services
from ..decimals import format_score
from ..models import Criterion, Score
from ..services.scores import ALL_FIELDS
from .common import protected

# The fields a person writes (services.scores.ALL_FIELDS), with their names, in the model's order.
FIELD_LABELS = {f.name: f.verbose_name for f in Score._meta.concrete_fields if f.name in ALL_FIELDS}


@protected("GET")
def criterion_history(request, pk, criterion_pk):
    assessment = permissions.scope_assessment(request.user, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, framework_id=assessment.framework_id)
    result = scoring.compute(assessment)
    node = result.by_code[criterion.code]
    responsible = [a.pk for a in node.responsible]
    if not permissions.can_see_criterion(request.user, assessment, responsible):
        raise Http404("Không tìm thấy tiêu chí.")
    q = (request.GET.get("q") or "").strip()[:100]
    entries = [
        {
            "kind": entry.kind,
            "when": entry.when,
            "who": _who(entry.user),
            "record": entry.record,
            "event": entry.event,
            "changes": [_change(c.field, c.old, c.new) for c in entry.changes],
        }
        for entry in services.criterion_history(assessment, criterion, responsible)
    ]
    context = {
        "assessment": assessment,
        "criterion": criterion,
        "node": node,
        "max": format_score(node.max),
        "entries": entries,
        "q": q,
        "found": _search(request.user, assessment, result, q) if q else None,
    }
    return render(request, "assessments/history.html", context)


SEARCH_LIMIT = 50


def _search(user, assessment, result, q: str) -> list:
    """The criteria the search text finds that the user may see (a department its own)."""
    visible = [
        n
        for n in result.nodes()
        if permissions.can_see_criterion(user, assessment, [a.pk for a in n.responsible])
    ]
    return scoring.criteria_matching(visible, q)[:SEARCH_LIMIT]


def _who(user) -> str:
    if user is None:
        return "hệ thống"
    return user.get_full_name() or user.username


def _change(name, old, new) -> dict:
    def show(value):
        if value is None or value == "":
            return "(trống)"
        if name.endswith("_score"):
            return format_score(value)
        if isinstance(value, bool):
            return "có" if value else "không"
        return str(value)

    return {"field": FIELD_LABELS.get(name, name), "old": show(old), "new": show(new)}
