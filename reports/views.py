"""Report pages: the report in the browser, its PDF and .docx downloads, the narrative editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from assessments import scoring
from assessments.models import Assessment
from assessments.permissions import can_edit_report, can_view_report

from . import cache
from .compose import compose
from .drafts import effective
from .facts import gather
from .forms import NarrativeForm
from .html import document_html
from .models import ReportFormat
from .services import NarrativeError, save_narrative


def _assessment(request, pk: int, *, edit: bool = False) -> Assessment:
    assessment = get_object_or_404(Assessment.objects.select_related("subject", "framework"), pk=pk)
    allowed = can_edit_report if edit else can_view_report
    if not allowed(request.user, assessment):
        raise PermissionDenied("Bạn không có quyền với báo cáo này.")
    return assessment


@login_required
@require_http_methods(["GET", "HEAD"])
def report_page(request, pk: int):
    assessment = _assessment(request, pk)
    facts = gather(assessment)
    report = compose(facts)
    context = {
        "assessment": assessment,
        "report": report,
        "document": document_html(report),
        "gaps": facts.gaps,
        # The cross-check box (page only, never in the PDF or Word): no query of its own.
        "figure_problems": scoring.figure_problems(facts.result, facts.published),
        "has_previous": facts.has_previous,
        "can_edit": can_edit_report(request.user, assessment),
    }
    return render(request, "reports/report.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def report_download(request, pk: int, fmt: str):
    assessment = _assessment(request, pk)
    if fmt not in ReportFormat.values:
        raise Http404("Định dạng không hỗ trợ.")
    rendered = cache.rendered_file(assessment, fmt)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    response["X-Report-Cache"] = "hit" if rendered.from_cache else "miss"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    assessment = _assessment(request, pk, edit=True)
    facts = gather(assessment)
    if request.method == "POST":
        form = NarrativeForm(request.POST, facts=facts)
        if form.is_valid():
            try:
                save_narrative(assessment, request.user, form.cleaned_data)
            except NarrativeError as exc:
                form.add_error(exc.field, str(exc))
            else:
                messages.success(request, "Đã lưu nội dung báo cáo. Số liệu không thay đổi.")
                return redirect("reports:detail", pk=assessment.pk)
    else:
        form = NarrativeForm(initial=effective(facts), facts=facts)
    history = facts.narrative.history.select_related("history_user")[:10] if facts.narrative.pk else []
    return render(
        request,
        "reports/edit.html",
        {"assessment": assessment, "form": form, "history": history},
    )
