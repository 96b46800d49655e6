"""Thin views: scope and permission from assessments.permissions, writes through
assessments.services, roll-ups from assessments.scoring."""

from __future__ import annotations

from contextlib import suppress
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import permissions, scoring, services
from .decimals import format_index, format_score, to_plain
from .forms import AppraisalForm, EntryForm, EvidenceForm, ExtendForm, PhaseForm, ReasonForm, ReturnForm
from .models import Agency, Assessment, Criterion, Evidence, Score, Stage, Submission, WorkflowEvent
from .services import ConflictError, DomainError
from .services.deadlines import format_deadline


def denied_in_vietnamese(view):
    """Render a refused action (403) as a Vietnamese page with its reason."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            reason = str(exc) or "Bạn không có quyền thực hiện thao tác này."
            return render(request, "assessments/denied.html", {"reason": reason}, status=403)

    return wrapper


def protected(*methods):
    """login_required + allowed methods (405 otherwise) + Vietnamese 403."""

    def decorate(view):
        return login_required(require_http_methods(list(methods))(denied_in_vietnamese(view)))

    return decorate


# --- home ---------------------------------------------------------------------------------


@login_required
def home(request):
    rows = []
    assessments = list(
        Assessment.objects.select_related("subject", "framework").order_by(
            "-framework__year", "subject__name"
        )
    )
    if permissions.is_department_editor(request.user):
        assessments = [a for a in assessments if permissions.is_open(a)]
    own = permissions.agency_of(request.user)
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


# --- a department's entry page ------------------------------------------------------------


def _tree_rows(result, wanted_leaves: dict) -> list[dict]:
    """Tree order: every ancestor of a wanted leaf as a heading, then the leaves."""
    rows = []
    for field in result.fields:
        field_leaves = [leaf for leaf in field.leaves() if leaf.criterion.pk in wanted_leaves]
        if not field_leaves:
            continue
        part = scoring.subtotal(field_leaves)
        for node in field.walk():
            if node.is_leaf and node.criterion.pk not in wanted_leaves:
                continue
            if not node.is_leaf and not any(leaf.criterion.pk in wanted_leaves for leaf in node.leaves()):
                continue
            score = node.score
            rows.append(
                {
                    "node": node,
                    "field": field,
                    "part": part if node is field else None,
                    "part_score": format_score(part.score),
                    "part_plain": to_plain(part.score),
                    "part_max": format_score(part.max),
                    "max": format_score(node.max),
                    "self": format_score(node.self),
                    "appraised": format_score(score.appraised_score) if score else "",
                    "rechecked": format_score(score.rechecked_score) if score else "",
                    "final": format_score(node.appraised),
                    "field_final": format_score(field.appraised) or "0",
                    "field_final_plain": to_plain(field.appraised) or "0",
                    "field_max": format_score(field.applicable_max),
                }
            )
    return rows


@protected("GET", "POST")
def entry(request, pk, agency_pk):
    assessment, agency, role_can_write = permissions.scope_agency_part(request.user, pk, agency_pk)
    state = services.part_state(assessment, agency.pk)
    result = scoring.compute(assessment)
    own_leaves = {n.criterion.pk: n for n in scoring.responsible_leaves(result, agency.pk)}
    writable = services.writable_leaves(result, state, agency.pk) if role_can_write else {}
    writable = {cid: n for cid, n in writable.items() if state.can_write_criterion(cid)}
    can_write = bool(writable) and not state.closed_reason
    form = EntryForm(list(writable.values()), state.stage or Stage.SELF_ASSESSMENT)
    if request.method == "POST":
        permissions.require_write(role_can_write)
        if not can_write:
            raise PermissionDenied(state.reason or "Phần việc này hiện không sửa được.")
        form = EntryForm(list(writable.values()), state.stage, request.POST)
        if form.is_valid():
            try:
                saved = services.save_part(
                    user=request.user, assessment=assessment, agency=agency, rows=form.rows()
                )
            except ConflictError as exc:
                form.add_conflicts(exc.conflicts)
                messages.error(request, exc.message)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if saved:
                    messages.success(request, f"Đã lưu {len(saved)} tiêu chí (bản nháp, chưa gửi).")
                else:
                    messages.info(request, "Không có thay đổi nào để lưu.")
                return redirect("entry", pk=assessment.pk, agency_pk=agency.pk)
        else:
            messages.error(request, "Chưa lưu: có ô nhập chưa đúng, xem thông báo bên cạnh từng ô.")
    evidence = _evidence_by_criterion(assessment, own_leaves)
    rows = _tree_rows(result, own_leaves)
    for row in rows:
        cid = row["node"].criterion.pk
        row["evidence"] = evidence.get(cid, [])
        if cid in writable:
            row["editable"] = True
            for prefix in form.names:
                row[prefix] = form[f"{prefix}_{cid}"]
            row["v"] = form[f"v_{cid}"]
        row["lost_points"] = scoring.lost_points(row["node"])
    context = {
        "assessment": assessment,
        "agency": agency,
        "state": state,
        "stage": state.stage,
        "rows": rows,
        "form": form,
        "can_write": can_write,
        "role_can_write": role_can_write,
        "can_submit": role_can_write and state.can_submit,
        "can_manage": permissions.can_manage_workflow(request.user, assessment),
        "deadline_text": format_deadline(state.deadline),
        "writable_ids": list(writable),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "assessments/entry.html", context)


def _evidence_by_criterion(assessment, leaves) -> dict[int, list[Evidence]]:
    grouped: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(assessment=assessment, criterion_id__in=list(leaves)).order_by(
        "uploaded_at"
    ):
        grouped.setdefault(item.criterion_id, []).append(item)
    return grouped


@protected("POST")
def submit(request, pk, agency_pk):
    assessment, agency, role_can_write = permissions.scope_agency_part(request.user, pk, agency_pk)
    permissions.require_write(role_can_write)
    state = services.part_state(assessment, agency.pk)
    if not state.can_submit:
        raise PermissionDenied(state.reason or "Phần việc này hiện không gửi được.")
    try:
        services.submit_part(user=request.user, assessment=assessment, agency=agency)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã gửi. Phần việc chỉ sửa được khi Sở Nội vụ trả lại.")
    return redirect("entry", pk=assessment.pk, agency_pk=agency.pk)


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
        try:
            services.return_part(
                user=request.user,
                assessment=assessment,
                agency=agency,
                comment=form.cleaned_data["comment"],
                stage=request.POST.get("stage") or None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã trả lại phần việc của {agency.name}.")
    return redirect("progress", pk=assessment.pk)


# --- evidence -----------------------------------------------------------------------------


@protected("POST")
def evidence_upload(request, pk, agency_pk, criterion_pk):
    assessment, agency, role_can_write = permissions.scope_agency_part(request.user, pk, agency_pk)
    permissions.require_write(role_can_write)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, framework_id=assessment.framework_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"{criterion.code}: " + " ".join(form.errors.get("file", [])))
    else:
        try:
            item = services.add_evidence(
                user=request.user,
                assessment=assessment,
                agency=agency,
                criterion=criterion,
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            messages.error(request, f"{criterion.code}: {exc.message}")
        else:
            messages.success(request, f"{criterion.code}: đã tải lên “{item.original_name}”.")
    return redirect(reverse("entry", args=[assessment.pk, agency.pk]) + f"#tc-{criterion.pk}")


def _scope_evidence(user, evidence_pk) -> tuple[Evidence, list[int]]:
    evidence = get_object_or_404(Evidence.objects.select_related("assessment", "criterion"), pk=evidence_pk)
    assessment = permissions.scope_assessment(user, evidence.assessment_id)
    result = scoring.compute(assessment)
    node = result.by_code.get(evidence.criterion.code)
    responsible = [a.pk for a in node.responsible] if node else []
    if not permissions.can_download_evidence(user, evidence, responsible):
        raise Http404("Không tìm thấy tài liệu.")
    return evidence, responsible


@protected("GET")
def evidence_download(request, evidence_pk):
    evidence, _responsible = _scope_evidence(request.user, evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@protected("POST")
def evidence_delete(request, evidence_pk):
    evidence, _responsible = _scope_evidence(request.user, evidence_pk)
    agency = evidence.agency
    if agency is None:
        raise PermissionDenied("Tài liệu không gắn với cơ quan nào.")
    _a, agency, role_can_write = permissions.scope_agency_part(
        request.user, evidence.assessment_id, agency.pk
    )
    permissions.require_write(role_can_write)
    try:
        services.delete_evidence(user=request.user, evidence=evidence, agency=agency)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã xóa “{evidence.original_name}”.")
    return redirect(
        reverse("entry", args=[evidence.assessment_id, agency.pk]) + f"#tc-{evidence.criterion_id}"
    )


# --- Sở Nội vụ: progress, return, deadlines, phases, lock ---------------------------------


@protected("GET")
def progress(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    now = timezone.now()
    stage = services.stage_of(assessment) or Stage.SELF_ASSESSMENT
    deadlines = services.deadlines_for(assessment, stage)
    result = scoring.compute(assessment)
    submissions = {
        s.agency_id: s
        for s in Submission.objects.filter(assessment=assessment, stage=stage).select_related(
            "submitted_by", "returned_by"
        )
    }
    agencies = services.agencies_of(assessment)
    rows = []
    for agency in agencies:
        leaves = [n for n in scoring.responsible_leaves(result, agency.pk) if not n.is_survey]
        if not leaves:
            continue
        if stage == Stage.EXPLANATION:
            leaves = [n for n in leaves if scoring.lost_points(n)]
            filled = sum(1 for n in leaves if n.score and n.score.response)
        else:
            filled = sum(1 for n in leaves if n.score is not None and n.score.self_score is not None)
        changes = [n.score.updated_at for n in leaves if n.score is not None]
        submission = submissions.get(agency.pk)
        deadline = deadlines.for_agency(agency.pk)
        submitted = submission is not None and submission.is_submitted
        rows.append(
            {
                "agency": agency,
                "filled": filled,
                "total": len(leaves),
                "submission": submission,
                "submitted": submitted,
                "last_change": max(changes) if changes else None,
                "deadline": deadline,
                "deadline_text": format_deadline(deadline),
                "extension": deadlines.extension_for(agency.pk),
                "overdue": not submitted and services.is_passed(deadline, now),
            }
        )
    events = WorkflowEvent.objects.filter(assessment=assessment).select_related(
        "user", "agency", "criterion"
    )[:30]
    context = {
        "assessment": assessment,
        "can_manage": can_manage,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "rows": rows,
        "events": events,
        "base_deadline": format_deadline(deadlines.base),
        "criterion_extensions": deadlines.by_criterion.values(),
        "phase_form": PhaseForm(
            initial={
                "phase": assessment.phase,
                "self_assessment_deadline": _local(assessment.self_assessment_deadline),
                "explanation_deadline": _local(assessment.explanation_deadline),
            }
        ),
        "extend_form": ExtendForm(agencies=[r["agency"] for r in rows], initial={"stage": stage}),
        "reason_form": ReasonForm(),
        "result": result,
    }
    return render(request, "assessments/progress.html", context)


def _local(value):
    return timezone.localtime(value) if value else None


@protected("POST")
def extend(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    permissions.require_write(can_manage, "Chỉ Sở Nội vụ được gia hạn.")
    form = ExtendForm(request.POST, agencies=services.agencies_of(assessment))
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "Chưa gia hạn: " + " ".join(errors))
        return redirect("progress", pk=assessment.pk)
    data = form.cleaned_data
    agency = Agency.objects.filter(pk=data["agency"]).first() if data.get("agency") else None
    criterion = None
    if (data.get("criterion") or "").strip():
        criterion = Criterion.objects.filter(
            framework_id=assessment.framework_id, code=data["criterion"].strip()
        ).first()
        if criterion is None:
            messages.error(request, f"Chưa gia hạn: không có tiêu chí mã “{data['criterion'].strip()}”.")
            return redirect("progress", pk=assessment.pk)
    try:
        services.extend_deadline(
            user=request.user,
            assessment=assessment,
            stage=data["stage"],
            agency=agency,
            criterion=criterion,
            until=data["until"],
            reason=data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã gia hạn đến {format_deadline(data['until'])}.")
    return redirect("progress", pk=assessment.pk)


@protected("POST")
def phase(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    permissions.require_write(can_manage, "Chỉ Sở Nội vụ được chuyển giai đoạn.")
    form = PhaseForm(request.POST)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "Chưa lưu: " + " ".join(errors))
        return redirect("progress", pk=assessment.pk)
    try:
        services.set_phase(user=request.user, assessment=assessment, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã cập nhật giai đoạn và thời hạn.")
    return redirect("progress", pk=assessment.pk)


@protected("POST")
def lock(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    permissions.require_write(can_manage, "Chỉ Sở Nội vụ được khóa đợt đánh giá.")
    try:
        services.lock(user=request.user, assessment=assessment, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã khóa đợt đánh giá: mọi trang nhập liệu chỉ còn xem.")
    return redirect("progress", pk=assessment.pk)


@protected("POST")
def unlock(request, pk):
    assessment, can_manage = permissions.scope_progress(request.user, pk)
    permissions.require_write(can_manage, "Chỉ Sở Nội vụ được mở khóa.")
    try:
        services.unlock(user=request.user, assessment=assessment, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã mở khóa đợt đánh giá.")
    return redirect("progress", pk=assessment.pk)


# --- appraisal and re-check ---------------------------------------------------------------


@protected("GET", "POST")
def appraisal(request, pk):
    assessment, role_can_write = permissions.scope_appraisal(request.user, pk)
    result = scoring.compute(assessment)
    leaves = {n.criterion.pk: n for n in result.leaves()}
    phase_open = assessment.phase in (Assessment.Phase.APPRAISAL, Assessment.Phase.RECHECK)
    can_write = role_can_write and phase_open and not assessment.is_locked
    editable = leaves if can_write else {}
    form = AppraisalForm(list(editable.values()), assessment.phase)
    if request.method == "POST":
        permissions.require_write(role_can_write)
        if not can_write:
            raise PermissionDenied(
                "Đợt đánh giá đã khóa."
                if assessment.is_locked
                else "Chỉ nhập điểm thẩm định trong giai đoạn thẩm định hoặc phúc tra."
            )
        form = AppraisalForm(list(editable.values()), assessment.phase, request.POST)
        if form.is_valid():
            try:
                saved = services.save_appraisal(user=request.user, assessment=assessment, rows=form.rows())
            except ConflictError as exc:
                form.add_conflicts(exc.conflicts)
                messages.error(request, exc.message)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"Đã lưu {len(saved)} tiêu chí." if saved else "Không có thay đổi.")
                return redirect("appraisal", pk=assessment.pk)
        else:
            messages.error(request, "Chưa lưu: có ô nhập chưa đúng, xem thông báo bên cạnh từng ô.")
    rows = _tree_rows(result, leaves)
    for row in rows:
        cid = row["node"].criterion.pk
        if cid in editable:
            row["editable"] = True
            row["a"], row["c"], row["v"] = form[f"a_{cid}"], form[f"c_{cid}"], form[f"v_{cid}"]
    context = {
        "assessment": assessment,
        "rows": rows,
        "form": form,
        "can_write": can_write,
        "recheck": assessment.phase == Assessment.Phase.RECHECK,
        "total": format_score(result.appraised) or "—",
        "total_max": format_score(result.applicable_max),
    }
    return render(request, "assessments/appraisal.html", context)


# --- history ------------------------------------------------------------------------------

HISTORY_EXCLUDED = ["version", "updated_at", "updated_by", "assessment", "criterion"]


@protected("GET")
def criterion_history(request, pk, criterion_pk):
    assessment = permissions.scope_assessment(request.user, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, framework_id=assessment.framework_id)
    result = scoring.compute(assessment)
    node = result.by_code[criterion.code]
    responsible = [a.pk for a in node.responsible]
    if not permissions.can_see_criterion(request.user, assessment, responsible):
        raise Http404("Không tìm thấy tiêu chí.")
    records = list(
        Score.history.filter(assessment_id=assessment.pk, criterion_id=criterion.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is None:
            for name in ("self_score", "explanation", "appraised_score", "appraisal_comment", "response"):
                value = getattr(record, name)
                if value not in (None, ""):
                    changes.append(_change(name, None, value))
        else:
            delta = record.diff_against(previous, excluded_fields=HISTORY_EXCLUDED)
            changes = [_change(c.field, c.old, c.new) for c in delta.changes]
        previous = record
        if changes:
            entries.append(
                {
                    "kind": "score",
                    "record": record,
                    "when": record.history_date,
                    "changes": changes,
                    "who": _who(record.history_user),
                }
            )
    events = WorkflowEvent.objects.filter(assessment=assessment).select_related("user", "agency", "criterion")
    for event in events:
        if event.criterion_id == criterion.pk or (
            event.criterion_id is None and event.agency_id in responsible
        ):
            entries.append(
                {"kind": "event", "event": event, "when": event.created_at, "who": _who(event.user)}
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    context = {
        "assessment": assessment,
        "criterion": criterion,
        "node": node,
        "max": format_score(node.max),
        "entries": entries,
    }
    return render(request, "assessments/history.html", context)


def _who(user) -> str:
    if user is None:
        return "hệ thống"
    return user.get_full_name() or user.username


FIELD_LABELS = {
    name: Score._meta.get_field(name).verbose_name
    for name in (
        "applicable",
        "self_score",
        "explanation",
        "appraised_score",
        "appraisal_comment",
        "response",
        "rechecked_score",
        "recheck_comment",
    )
}


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
