"""Report pages: the report in the browser, its PDF and .docx downloads, the narrative editor."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from assessments import scoring
from assessments.permissions import require_write, scope_report
from assessments.views.common import protected

from . import cache, drawings, tasks
from .compose import compose
from .drafts import effective
from .facts import gather
from .forms import NarrativeForm
from .html import document_html
from .models import ChartDrawing, RenderedReport, ReportFormat
from .services import NarrativeError, save_narrative


@protected("GET", "HEAD")
def report_page(request, pk: int):
    assessment, can_edit = scope_report(request.user, pk)
    data_as_of = timezone.now()
    facts = gather(assessment)
    report = compose(facts)
    context = {
        "assessment": assessment,
        "report": report,
        # The charts as the task worker drew them: the page draws nothing (reports/drawings.py).
        "document": document_html(report, drawings=drawings.for_page(assessment, report, data_as_of)),
        "gaps": facts.gaps,
        # The cross-check box (page only, never in the PDF or Word): no query of its own.
        "figure_problems": scoring.figure_problems(facts.result, facts.published),
        "has_previous": facts.has_previous,
        "can_edit": can_edit,
    }
    context["files"] = file_states(assessment, show_errors=context["can_edit"])
    return render(request, "reports/report.html", context)


def file_state(assessment, fmt: str, row: RenderedReport | None, *, show_errors: bool) -> dict:
    """What the page says about one format's file: ready or not, its data's time, whether a
    fresh one is being made, and (for Sở Nội vụ) the last failure."""
    ready = row is not None and bool(row.file_name)
    # cache.store() writes a file with its data time; a row without one would show no time.
    as_of = row.data_as_of if row is not None and ready else None
    return {
        "format": fmt,
        "name": ReportFormat(fmt).label,
        "url": reverse("reports:download", kwargs={"pk": assessment.pk, "fmt": fmt}),
        "ready": ready,
        "as_of": cache.as_of_label(as_of) if as_of is not None else "",
        "data_as_of": as_of.isoformat() if as_of is not None else "",
        "pending": row is not None and row.pending,
        "error": failure_text(row) if show_errors and row is not None and row.last_error else "",
    }


def failure_text(row: RenderedReport) -> str:
    """The last failed rendering, for Sở Nội vụ: when, after how many attempts, and why."""
    return (
        f"Lần tạo gần nhất lúc {timezone.localtime(row.last_error_at):%H:%M %d/%m/%Y} không thành công "
        f"(đã thử {max(row.attempts, 1)} lần): {row.last_error}"
    )


def file_states(assessment, *, show_errors: bool) -> list[dict]:
    rows = tasks.status(assessment)
    return [file_state(assessment, fmt, rows[fmt], show_errors=show_errors) for fmt in ReportFormat.values]


@protected("GET", "HEAD")
def report_files(request, pk: int):
    """The files' state as JSON, polled by static/js/report-files.js while one is being made."""
    assessment, can_edit = scope_report(request.user, pk)
    files = file_states(assessment, show_errors=can_edit)
    response = JsonResponse({"files": files, "charts": drawings.status(assessment)})
    response["Cache-Control"] = "private, no-store"
    return response


@protected("GET", "HEAD")
def report_chart(request, pk: int, kind: str):
    """A kept drawing of one of the report's charts (?k= the key the page waits for), fetched by
    static/js/report-files.js to replace the one the page was shown with."""
    assessment, _can_edit = scope_report(request.user, pk)
    row = ChartDrawing.objects.filter(assessment=assessment, kind=kind).exclude(svg="").first()
    if row is None or request.GET.get("k", row.key) != row.key:
        raise Http404("Chưa có hình vẽ này.")
    response = HttpResponse(row.svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@protected("GET", "HEAD")
def report_download(request, pk: int, fmt: str):
    assessment, can_edit = scope_report(request.user, pk)
    if fmt not in ReportFormat.values:
        raise Http404("Định dạng không hỗ trợ.")
    latest = tasks.latest_file(assessment, fmt)
    row = latest.row
    if latest.handle is None:
        # No file yet: a rendering is queued; the page reloads itself until the file comes.
        context = {
            "assessment": assessment,
            "file": file_state(assessment, fmt, row, show_errors=can_edit),
        }
        page = render(request, "reports/preparing.html", context, status=202)
        page["Cache-Control"] = "private, no-store"
        return page
    response = FileResponse(
        latest.handle,
        as_attachment=True,
        filename=cache.filename_for(assessment, fmt, row.data_as_of),
        content_type=cache.CONTENT_TYPES[ReportFormat(fmt)],
    )
    response["X-Report-Data-As-Of"] = timezone.localtime(row.data_as_of).isoformat(timespec="seconds")
    response["X-Report-Cache"] = "hit" if latest.current else "stale"
    response["Cache-Control"] = "private, no-store"
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
