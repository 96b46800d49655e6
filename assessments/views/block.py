"""Sở Nội vụ's progress page of a whole block of units (a province's departments or communes
in one year): one row per unit, linked to the unit's own progress page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from .. import permissions, services
from ..scoring import ranking
from .common import protected


@protected("GET", "HEAD")
def block_progress(request, province_pk: int, year: int, kind: str):
    province = permissions.scope_unit_blocks(request.user, province_pk)
    try:
        progress = services.block_progress(province, year, ranking.parse_kind(kind))
    except ranking.RankingError as exc:
        raise Http404(str(exc)) from exc
    return render(request, "assessments/block_progress.html", {"province": province, "progress": progress})
