"""Sở Nội vụ's pages and actions: progress, return, extend, phase, lock and unlock, which
criteria apply. The council's appraisal page is in views/appraisal.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import permissions, scoring, services
from ..forms import ApplicabilityForm, ExtendForm, PhaseForm, ReturnForm
from ..models import Agency, Assessment, Criterion, Stage, WorkflowEvent
from ..services import DomainError
from ..services.deadlines import format_deadline
from .common import local, protected


def _attempt(request, action, success: str) -> None:
    """Run one workflow service; say what happened, in Vietnamese, as a page message."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


def _errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


@protected("GET")
def progress(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    return render(request, "assessments/progress.html", _progress_context(assessment, can_manage))


def _progress_context(assessment, can_manage, **extra) -> dict:
    view = services.progress_view(assessment)
    stage = view.stage
    deadlines = services.deadlines_for(assessment, stage)
    result = scoring.compute(assessment)
    rows = services.agency_progress(assessment, stage, result, deadlines, timezone.now(), view.counting)
    events = WorkflowEvent.objects.filter(assessment=assessment).select_related(
        "user", "agency", "criterion"
    )[:30]
    context = {
        "assessment": assessment,
        "can_manage": can_manage,
        "view": view,
        "can_return": can_manage and view.can_return,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "rows": rows,
        "events": events,
        "base_deadline": format_deadline(deadlines.base),
        "criterion_extensions": deadlines.by_criterion.values(),
        "phase_form": PhaseForm(
            initial={
                "phase": assessment.phase,
                "self_assessment_deadline": local(assessment.self_assessment_deadline),
                "explanation_deadline": local(assessment.explanation_deadline),
            }
        ),
        # Its own ids: the phase form beside it also has a "reason" (one id_reason on the page).
        "extend_form": ExtendForm(
            agencies=[r.agency for r in rows], initial={"stage": stage}, auto_id="extend_%s"
        ),
        "result": result,
    }
    context.update(extra)
    return context


@protected("POST")
def return_part(request, pk, agency_pk):
    assessment, agency, _write = permissions.scope_agency_part(request.user, pk, agency_pk)
    permissions.require_write(
        permissions.can_manage_workflow(request.user, assessment), "Chỉ Sở Nội vụ được trả lại."
    )
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chưa trả lại: phải ghi ý kiến khi trả lại.")
    else:
        _attempt(
            request,
            lambda: services.return_part(
                user=request.user,
                assessment=assessment,
                agency=agency,
                comment=form.cleaned_data["comment"],
                stage=request.POST.get("stage") or None,
            ),
            f"Đã trả lại phần việc của {agency.name}.",
        )
    return redirect("assessments:progress", pk=assessment.pk)


@protected("POST")
def extend(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    permissions.require_write(can_manage, "Chỉ Sở Nội vụ được gia hạn.")
    form = ExtendForm(request.POST, agencies=services.agencies_of(assessment))
    if not form.is_valid():
        messages.error(request, "Chưa gia hạn: " + _errors(form))
        return redirect("assessments:progress", pk=assessment.pk)
    data = form.cleaned_data
    agency = Agency.objects.filter(pk=data["agency"]).first() if data.get("agency") else None
    criterion = None
    code = (data.get("criterion") or "").strip()
    if code:
        criterion = Criterion.objects.filter(framework_id=assessment.framework_id, code=code).first()
        if criterion is None:
            messages.error(request, f"Chưa gia hạn: không có tiêu chí mã “{code}”.")
            return redirect("assessments:progress", pk=assessment.pk)
    _attempt(
        request,
        lambda: services.extend_deadline(
            user=request.user,
            assessment=assessment,
            stage=data["stage"],
            agency=agency,
            criterion=criterion,
            until=data["until"],
            reason=data["reason"],
        ),
        f"Đã gia hạn đến {format_deadline(data['until'])}.",
    )
    return redirect("assessments:progress", pk=assessment.pk)


@protected("POST")
def phase(request, pk):
    """Two steps: the first POST shows which agencies have not submitted and asks to confirm
    (nothing changes); the second (confirm=1) moves the phase. A deadline field left out of
    the POST keeps the assessment's date."""
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    permissions.require_write(can_manage, "Chỉ Sở Nội vụ được chuyển giai đoạn.")
    form = PhaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chưa lưu: " + _errors(form))
        return redirect("assessments:progress", pk=assessment.pk)
    data = form.cleaned_data
    backwards = services.is_backwards(assessment.phase, data["phase"])
    if backwards and not data["reason"]:
        form.add_error("reason", "Phải ghi lý do khi chuyển ngược về giai đoạn trước.")
    if request.POST.get("confirm") != "1" or form.errors:
        context = _progress_context(assessment, can_manage, phase_form=form)
        context["phase_confirm"] = {
            "label": Assessment.Phase(data["phase"]).label,
            "backwards": backwards,
            "pending": [row.agency for row in context["rows"] if not row.submitted],
        }
        return render(request, "assessments/progress.html", context)
    deadlines = {name: data[name] for name in PhaseForm.DEADLINES if name in request.POST}
    _attempt(
        request,
        lambda: services.set_phase(
            user=request.user, assessment=assessment, phase=data["phase"], reason=data["reason"], **deadlines
        ),
        "Đã cập nhật giai đoạn và thời hạn.",
    )
    return redirect("assessments:progress", pk=assessment.pk)


@protected("POST")
def lock(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    permissions.require_write(can_manage, "Chỉ Sở Nội vụ được khóa đợt đánh giá.")
    _attempt(
        request,
        lambda: services.lock(
            user=request.user, assessment=assessment, reason=request.POST.get("reason", "")
        ),
        "Đã khóa đợt đánh giá: mọi trang nhập liệu chỉ còn xem.",
    )
    return redirect("assessments:progress", pk=assessment.pk)


@protected("POST")
def unlock(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    permissions.require_write(can_manage, "Chỉ Sở Nội vụ được mở khóa.")
    _attempt(
        request,
        lambda: services.unlock(
            user=request.user, assessment=assessment, reason=request.POST.get("reason", "")
        ),
        "Đã mở khóa đợt đánh giá.",
    )
    return redirect("assessments:progress", pk=assessment.pk)


@protected("POST")
def set_applicability(request, pk, agency_pk, criterion_pk):
    """Sở Nội vụ marks one of the agency's criteria applicable or "không áp dụng"."""
    assessment, agency, _write = permissions.scope_agency_part(request.user, pk, agency_pk)
    permissions.require_write(
        permissions.can_set_applicability(request.user, assessment),
        "Chỉ Sở Nội vụ được đánh dấu tiêu chí áp dụng hay không áp dụng.",
    )
    criterion = get_object_or_404(Criterion, pk=criterion_pk, framework_id=assessment.framework_id)
    node = scoring.compute(assessment).by_code.get(criterion.code)
    if node is None or agency.pk not in {a.pk for a in node.responsible}:
        raise Http404("Tiêu chí không thuộc phần việc của cơ quan.")
    back = redirect(reverse("assessments:entry", args=[assessment.pk, agency.pk]) + f"#tc-{criterion.pk}")
    form = ApplicabilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{criterion.code}: chưa đổi. {_errors(form)}")
        return back
    applicable = form.cleaned_data["applicable"]
    try:
        services.set_applicable(
            user=request.user,
            assessment=assessment,
            criterion=criterion,
            applicable=applicable,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = "áp dụng lại" if applicable else "đánh dấu không áp dụng: điểm tối đa không còn tính vào tổng"
        messages.success(request, f"{criterion.code}: đã {done}.")
    return back
