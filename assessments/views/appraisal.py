"""The council's appraisal and re-check (phúc tra) page: for each criterion, what the team
decides with (the department's score, figures, explanation and evidence, the lead agency,
last year's score) beside its own score, figures and remark; filters and search as GET
parameters; "take the self score" for a row or a field. A fixed number of queries whatever
the size of the tree; the row inputs are written by the template itself (no widget
templates: 400 rows × 4 boxes)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from .. import permissions, scoring, services
from ..decimals import format_score, to_plain
from ..forms import AppraisalForm
from ..models import Agency, Section
from ..services import ConflictError, DomainError
from ..services.appraisal import (
    AppraisalFilters,
    filter_leaves,
    previous_scores,
    take_self_scores,
)
from .appraisal_rows import RowContext, leaf_row
from .common import protected, tree_rows


def _back(assessment, filters: AppraisalFilters, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("assessments:appraisal", args=[assessment.pk])
    query = filters.query()
    return HttpResponseRedirect(url + (f"?{urlencode(query)}" if query else "") + anchor)


@protected("GET", "POST")
def appraisal(request, pk):
    assessment, role_can_write = permissions.scope_appraisal(request.user, pk)
    state = services.appraisal_state(assessment)
    filters = AppraisalFilters.from_query(request.GET)
    result = scoring.compute(assessment)
    can_write = role_can_write and state.is_open
    leaves = {n.criterion.pk: n for n in result.leaves()}
    editable = [n for n in leaves.values() if n.applicable] if can_write else []
    form = AppraisalForm(editable, assessment.phase)
    if request.method == "POST":
        permissions.require_write(role_can_write)
        if not can_write:
            raise PermissionDenied(state.closed_reason)
        form = AppraisalForm(editable, assessment.phase, request.POST)
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
                return _back(assessment, filters)
        else:
            messages.error(request, "Chưa lưu: có ô nhập chưa đúng, xem thông báo bên cạnh từng ô.")
    shown = {n.criterion.pk: n for n in filter_leaves(result, filters, state.is_recheck)}
    rows = tree_rows(result, shown)
    evidence = services.evidence_by_criterion(assessment)
    previous_year, previous = previous_scores(assessment)
    row_context = RowContext.of(assessment, state.is_recheck, previous_year)
    for row in rows:
        node = row["node"]
        if not node.is_leaf:
            continue
        cid = node.criterion.pk
        row["evidence"] = evidence.get(cid, ())
        row["previous"] = format_score(previous.get(node.code)) if previous_year else ""
        row["self_figures"] = node.score.self_figures if node.score else ""
        row["changed"] = bool(
            node.score
            and node.score.appraised_score is not None
            and node.score.appraised_score != node.self_score
        )
        if cid in form.nodes:
            row["editable"] = True
            row["inputs"] = _inputs(form, cid)
            if "figures" in row["inputs"]:
                rule = node.criterion.rule
                row["rule_json"] = json.dumps(rule.as_js_dict(node.max), ensure_ascii=False)
                row["figure_labels"] = rule.labels_text
        row["html"] = leaf_row(row, row_context)
    deductions = [f.code for f in result.section_fields(Section.DEDUCTION)]
    context = {
        "assessment": assessment,
        "rows": rows,
        "form": form,
        "can_write": can_write,
        "recheck": state.is_recheck,
        "total": format_score(result.appraised) or "—",
        "total_plain": to_plain(result.appraised) or "0",
        "total_max": format_score(result.applicable_max),
        "self_total": format_score(result.self_score) or "—",
        "deduction_fields": " ".join(deductions),
        "filters": filters,
        "fields": result.fields,
        "agencies": _lead_agencies(result),
        "shown_count": len(shown),
        "leaf_count": len(leaves),
        "previous_year": previous_year,
        "problems": scoring.check_figures(assessment, result),
        "return_query": filters.query(),
    }
    return render(request, "assessments/appraisal.html", context)


def _inputs(form, cid) -> dict:
    """Name, id, value and errors of each box of one row, without rendering a widget."""
    inputs = {}
    for key in form.names:
        name = f"{key}_{cid}"
        if name not in form.fields:
            continue
        if form.is_bound:
            value = form.data.get(name, "")
        else:
            initial = form.fields[name].initial
            value = "" if initial is None else initial
        inputs[key] = {"name": name, "id": f"id_{name}", "value": value, "errors": form.errors.get(name, ())}
    version = f"version_{cid}"
    if form.is_bound and version in form.data:
        inputs["version"] = form.data.get(version)
    else:
        inputs["version"] = form.fields[version].initial
    attrs = form.fields[f"score_{cid}"].widget.attrs  # what the live totals read (forms.score_widget)
    inputs.update(counted=attrs["data-counted"], empty=attrs["data-empty"], max=attrs["data-max"])
    return inputs


def _lead_agencies(result) -> list:
    seen: dict[int, Agency] = {}
    for leaf in result.leaves():
        lead = leaf.lead
        if lead is not None:
            seen.setdefault(lead.pk, lead)
    return sorted(seen.values(), key=lambda a: a.name)


@protected("POST")
def appraisal_take_self(request, pk):
    """Lấy điểm tự đánh giá: one criterion (`take_criterion`) or a field's criteria not yet
    scored (`take_field`), saved at once through the same service as the page's boxes. The
    page's filters come along (their own names) to go back to the same view."""
    assessment, role_can_write = permissions.scope_appraisal(request.user, pk)
    permissions.require_write(role_can_write)
    filters = AppraisalFilters.from_query(request.POST)
    criterion = (request.POST.get("take_criterion") or "").strip()
    field = (request.POST.get("take_field") or "").strip()
    try:
        if criterion.isdigit():
            saved = take_self_scores(user=request.user, assessment=assessment, criterion_id=int(criterion))
        elif field:
            saved = take_self_scores(user=request.user, assessment=assessment, field_code=field)
        else:
            raise DomainError("Chọn một tiêu chí hoặc một lĩnh vực để lấy điểm tự đánh giá.")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        codes = ", ".join(s.criterion.code for s in saved[:10]) + ("…" if len(saved) > 10 else "")
        messages.success(
            request,
            f"Đã lấy điểm tự đánh giá cho {len(saved)} tiêu chí: {codes}." if saved else "Không có thay đổi.",
        )
    anchor = f"#tc-{criterion}" if criterion.isdigit() else ""
    return _back(assessment, filters, anchor)
