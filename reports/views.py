"""Report pages: the report in the browser, its PDF and .docx downloads, the narrative editor."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from assessments import scoring
from assessments.permissions import require_write, scope_report
from assessments.views.common import protected

from . import cache
from .compose import compose
from .drafts import effective
from .facts import gather
from .forms import NarrativeForm
from .html import document_html
from .models import ReportFormat
from .services import NarrativeError, save_narrative


@protected("GET", "HEAD")
def report_page(request, pk: int):
    assessment, can_edit = scope_report(request.user, pk)
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
        "can_edit": can_edit,
    }
    return render(request, "reports/report.html", context)


@protected("GET", "HEAD")
def report_download(request, pk: int, fmt: str):
    assessment, _can_edit = scope_report(request.user, pk)
    if fmt not in ReportFormat.values:
        raise Http404("Định dạng không hỗ trợ.")
    rendered = cache.rendered_file(assessment, fmt)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    response["X-Report-Cache"] = "hit" if rendered.from_cache else "miss"
    return response


@protected("GET", "POST")
def report_edit(request, pk: int):
    assessment, can_edit = scope_report(request.user, pk)
    require_write(can_edit, "Chỉ Sở Nội vụ được sửa nội dung báo cáo.")
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
