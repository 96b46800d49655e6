"""A department's entry page (self scores and explanations, or its answers to the council)
and the "Gửi" that submits its part."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .. import permissions, scoring, services
from ..forms import EntryForm, EvidenceForm
from ..models import Criterion, Stage
from ..scoring.search import criteria_matching
from ..services import ConflictError, DomainError
from ..services.part_status import part_status, shows_council, submissions_by_stage
from .common import protected, row_messages, tree_rows
from .entry_rows import EntryRowContext, leaf_row, row_forms


@protected("GET", "POST")
def entry(request, pk, agency_pk):
    """One form, two buttons: "Lưu bản nháp" (action=save) and "Gửi" (action=submit), which
    saves what is on the page and submits it in one transaction."""
    return _entry(request, pk, agency_pk, request.POST.get("action") or "save")


@protected("POST")
def submit(request, pk, agency_pk):
    """The "Gửi" of a page without the combined form (or a direct request): the same as the
    entry form's submit button, so whatever rows are posted are saved first."""
    return _entry(request, pk, agency_pk, "submit")


def _entry(request, pk, agency_pk, action):
    assessment, agency, role_can_write = permissions.scope_agency_part(request.user, pk, agency_pk)
    result = scoring.compute(assessment)
    own_leaves = {n.criterion.pk: n for n in scoring.responsible_leaves(result, agency.pk)}
    state = services.agency_state(assessment, agency.pk, result)
    writable = services.writable_leaves(result, state, agency.pk) if role_can_write else {}
    writable = {cid: n for cid, n in writable.items() if state.can_write_criterion(cid)}
    can_write = bool(writable) and not state.closed_reason
    stage = state.stage or Stage.SELF_ASSESSMENT
    form = EntryForm(list(writable.values()), stage)
    if request.method == "POST":
        permissions.require_write(role_can_write)
        if action == "submit":
            if not state.can_submit:
                raise PermissionDenied(state.reason or "Phần việc này hiện không gửi được.")
        elif not can_write:
            raise PermissionDenied(state.reason or "Phần việc này hiện không sửa được.")
        _warn_not_applicable(request, own_leaves)
        form = EntryForm(list(writable.values()), stage, request.POST)
        if form.is_valid():
            try:
                done = _save_or_submit(request, action, assessment, agency, form.rows())
            except ConflictError as exc:
                form.add_conflicts(exc.conflicts)
                messages.error(request, exc.message)
            except DomainError as exc:
                messages.error(request, _not_done(action) + exc.message)
            else:
                messages.success(request, done)
                return redirect("assessments:entry", pk=assessment.pk, agency_pk=agency.pk)
        else:
            messages.error(request, _not_done(action) + "có ô nhập chưa đúng, xem thông báo bên cạnh từng ô.")
    evidence = services.evidence_by_criterion(assessment, own_leaves)
    contributed = services.contributed_leaves(result, agency.pk)
    refusals = services.contribution_refusals(assessment, contributed) if role_can_write else {}
    remarks = services.remarks_by_criterion(assessment, own_leaves)
    query = " ".join(request.GET.get("q", "").split())[:100]
    shown = (
        {n.criterion.pk: n for n in criteria_matching(own_leaves.values(), query)} if query else own_leaves
    )
    at_rows, page_messages = row_messages(request)
    rows = tree_rows(result, own_leaves, agency.pk, shown=shown)
    show_council = shows_council(assessment)
    can_set_applicability = (
        permissions.can_set_applicability(request.user, assessment) and not assessment.is_locked
    )
    row_context = EntryRowContext.of(
        request, assessment, agency, show_council=show_council, can_set_applicability=can_set_applicability
    )
    for row in rows:
        if not row["node"].is_leaf:
            continue
        cid = row["node"].criterion.pk
        row["evidence"] = evidence.get(cid, [])
        row["remarks"] = remarks.get(cid, [])
        row["messages"] = at_rows.get(cid, [])
        if cid in writable:
            row["editable"] = True
            row["inputs"] = form.row_inputs(cid)
        if cid in contributed:
            row["contributing"] = True
            row["can_contribute"] = refusals.get(cid) == ""
            row["own_remark"] = next((r.text for r in row["remarks"] if r.agency_id == agency.pk), "")
        row["html"] = leaf_row(row, row_context)
    context = {
        "assessment": assessment,
        "agency": agency,
        "state": state,
        "stage": state.stage,
        # The council's scores and remarks: from the explanation phase on (not while it is
        # still appraising).
        "show_council": show_council,
        "rows": rows,
        "row_forms": row_forms(rows, row_context),
        "query": query,
        "found": len(shown) if query else None,
        "page_messages": page_messages,
        "status": part_status(state, submissions_by_stage(assessment, agency.pk)),
        "form": form,
        "can_write": can_write,
        "role_can_write": role_can_write,
        # An agency that only contributes (leads nothing at this stage) has no part to send.
        "can_submit": role_can_write
        and state.can_submit
        and bool(services.stage_leaves(result, state, agency.pk)),
        "can_manage": permissions.can_manage_workflow(request.user, assessment),
        "can_set_applicability": can_set_applicability,
        "writable_ids": list(writable),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "assessments/entry.html", context)


def _warn_not_applicable(request, own_leaves) -> None:
    """A page opened before Sở Nội vụ marked a criterion "không áp dụng" still posts it:
    say that its score was not kept rather than drop it silently."""
    codes = [
        node.code
        for cid, node in own_leaves.items()
        if not node.applicable
        and any(request.POST.get(f"{key}_{cid}") for key in ("self_score", "response", "self_figures_0"))
    ]
    if codes:
        messages.warning(
            request,
            "Sở Nội vụ đã đánh dấu không áp dụng, nên không lưu điểm nhập cho: " + ", ".join(codes) + ".",
        )


def _not_done(action) -> str:
    return "Chưa gửi, chưa lưu gì: " if action == "submit" else "Chưa lưu: "


def _save_or_submit(request, action, assessment, agency, rows) -> str:
    """Run the service; the success message. A refusal raises and writes nothing."""
    if action == "submit":
        services.submit_part(user=request.user, assessment=assessment, agency=agency, rows=rows)
        return "Đã lưu và gửi. Phần việc chỉ sửa được khi Sở Nội vụ trả lại."
    saved = services.save_part(user=request.user, assessment=assessment, agency=agency, rows=rows)
    if saved:
        return f"Đã lưu {len(saved)} tiêu chí (bản nháp, chưa gửi)."
    return "Không có thay đổi nào để lưu."


@protected("POST")
def contributor_remark(request, pk, agency_pk, criterion_pk):
    """A contributing agency's (cơ quan phối hợp) remark on a criterion another agency leads."""
    assessment, agency, role_can_write = permissions.scope_agency_part(request.user, pk, agency_pk)
    permissions.require_write(role_can_write)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, framework_id=assessment.framework_id)
    try:
        saved = services.save_remark(
            user=request.user,
            assessment=assessment,
            agency=agency,
            criterion=criterion,
            text=request.POST.get("remark", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if saved:
            messages.success(request, f"{criterion.code}: đã lưu ý kiến phối hợp.")
        else:
            messages.info(request, f"{criterion.code}: ý kiến không thay đổi.")
    return redirect(reverse("assessments:entry", args=[assessment.pk, agency.pk]) + f"#tc-{criterion.pk}")
