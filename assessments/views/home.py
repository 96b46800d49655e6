"""The home page (assessments, what is due) and an editor's shortcut to its own part.

The page issues a fixed number of queries whatever the number of assessments: a department
editor sees only the assessments that concern its agency; the others see their province's,
25 to a page, with totals computed for the page at once (scoring.compute_many).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import permissions, scoring, services
from ..decimals import format_index, format_score
from .common import protected

PER_PAGE = 25
DUE_SHOWN = 30  # deadline notices shown; the rest are counted (a superuser sees every province)


@login_required
def home(request):
    user = request.user
    own = permissions.agency_of(user)
    context = {"now": timezone.now()}
    if permissions.is_department_editor(user):
        mine = services.editor_home(user)
        results = scoring.compute_many(mine.open + mine.published + mine.closed)
        context |= {
            "is_editor": True,
            "rows": _rows(user, mine.open, own, results),
            "closed_rows": _rows(user, mine.closed, own, results),
            "published_rows": _rows(user, mine.published, own, results),
            "due": mine.due,
        }
    else:
        home_filter = services.HomeFilter.from_query(request.GET)
        if home_filter.problem:
            messages.warning(request, home_filter.problem)
        page = Paginator(services.province_assessments(user, home_filter), PER_PAGE).get_page(
            request.GET.get("page")
        )
        assessments = list(page.object_list)
        context |= {
            "is_editor": False,
            "rows": _rows(user, assessments, own, scoring.compute_many(assessments)),
            "page_obj": page,
            "filter": home_filter,
            "years": services.assessment_years(),
            "province": permissions.user_province(user),
            "ranking_url": _ranking_url(user),
            "due": services.due_for_user(user, services.answering_assessments(user)),
        }
    due = context.pop("due")
    context |= {"due": due[:DUE_SHOWN], "due_more": max(0, len(due) - DUE_SHOWN)}
    return render(request, "assessments/home.html", context)


def _ranking_url(user) -> str:
    """The ranking of the province's units, for the roles that read it (not a superuser: it
    has no province of its own)."""
    province = permissions.user_province(user)
    if province is None or not permissions.can_view_unit_blocks(user):
        return ""
    return reverse("reports:ranking", args=[province.pk])


def _rows(user, assessments, own, results) -> list[dict]:
    """One row per assessment; `results` from scoring.compute_many, by assessment pk."""
    rows = []
    for assessment in assessments:
        result = results[assessment.pk]
        rows.append(
            {
                "assessment": assessment,
                "appraised": format_score(result.appraised),
                "max": format_score(result.applicable_max),
                "index": format_index(result.index),
                "links": _links(user, assessment, own),
            }
        )
    return rows


def _links(user, assessment, own) -> list[dict]:
    links = []
    if own is not None and permissions.can_see_agency_part(user, assessment, own):
        answering = services.stage_of(assessment) is not None and not assessment.is_locked
        links.append(
            {
                "url": reverse("assessments:entry", args=[assessment.pk, own.pk]),
                "label": "Nhập liệu của cơ quan" if answering else "Phần việc và kết quả của cơ quan",
            }
        )
    if permissions.can_view_progress(user, assessment):
        links.append({"url": reverse("assessments:progress", args=[assessment.pk]), "label": "Tiến độ"})
        links.append({"url": reverse("assessments:appraisal", args=[assessment.pk]), "label": "Thẩm định"})
    if permissions.can_view_report(user, assessment):
        links.append({"url": reverse("reports:detail", args=[assessment.pk]), "label": "Báo cáo"})
    if permissions.can_view_trends(user):
        links.append({"url": reverse("reports:trends", args=[assessment.subject_id]), "label": "Qua các năm"})
    return links


@protected("GET")
def my_entry(request, pk):
    """An editor's shortcut to its own agency's page."""
    assessment = permissions.scope_assessment(request.user, pk)
    own = permissions.agency_of(request.user)
    if own is not None and permissions.can_see_agency_part(request.user, assessment, own):
        return redirect("assessments:entry", pk=assessment.pk, agency_pk=own.pk)
    if permissions.can_view_progress(request.user, assessment):
        return redirect("assessments:progress", pk=assessment.pk)
    raise Http404("Không tìm thấy trang.")
