"""The home page (assessments, what is due) and an editor's shortcut to its own part."""

from __future__ import annotations

from contextlib import suppress

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .. import permissions, scoring, services
from ..decimals import format_index, format_score
from ..models import Assessment
from .common import protected


@login_required
def home(request):
    assessments = list(
        Assessment.objects.select_related("subject", "framework").order_by(
            "-framework__year", "subject__name"
        )
    )
    if permissions.is_department_editor(request.user):
        assessments = [a for a in assessments if permissions.is_open(a)]
    own = permissions.agency_of(request.user)
    rows = []
    for assessment in assessments:
        result = scoring.compute(assessment)
        rows.append(
            {
                "assessment": assessment,
                "appraised": format_score(result.appraised),
                "max": format_score(result.applicable_max),
                "index": format_index(result.index),
                "links": _links(request.user, assessment, own),
            }
        )
    due = services.due_for_user(request.user, assessments)
    return render(request, "assessments/home.html", {"rows": rows, "due": due, "now": timezone.now()})


def _links(user, assessment, own) -> list[dict]:
    links = []
    if (
        own is not None
        and permissions.is_open(assessment)
        and permissions.can_see_agency_part(user, assessment, own)
    ):
        links.append(
            {"url": reverse("entry", args=[assessment.pk, own.pk]), "label": "Nhập liệu của cơ quan"}
        )
    if permissions.can_view_progress(user, assessment):
        links.append({"url": reverse("progress", args=[assessment.pk]), "label": "Tiến độ"})
        links.append({"url": reverse("appraisal", args=[assessment.pk]), "label": "Thẩm định"})
    if permissions.can_view_report(user, assessment):
        with suppress(NoReverseMatch):  # the reports app may not be wired in this build
            links.append({"url": reverse("reports:detail", args=[assessment.pk]), "label": "Báo cáo"})
    return links


@protected("GET")
def my_entry(request, pk):
    """An editor's shortcut to its own agency's page."""
    assessment = permissions.scope_assessment(request.user, pk)
    own = permissions.agency_of(request.user)
    if own is not None and permissions.can_see_agency_part(request.user, assessment, own):
        return redirect("entry", pk=assessment.pk, agency_pk=own.pk)
    if permissions.can_view_progress(request.user, assessment):
        return redirect("progress", pk=assessment.pk)
    raise Http404("Không tìm thấy trang.")
