"""The score rows of the API: which leaves an account sees, how a row reads, and which agency
a write is for. The rules are the entry page's (assessments.permissions, assessments.services)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments import permissions, services
from assessments.models import Agency
from assessments.services import DomainError


def visible_leaves(user, assessment, result) -> list:
    """Every leaf for Sở Nội vụ, the council and the leadership; a department editor's own."""
    return [
        leaf
        for leaf in result.leaves()
        if permissions.can_see_criterion(user, assessment, [a.pk for a in leaf.responsible])
    ]


def leaf_data(node) -> dict:
    score = node.score
    return {
        "criterion": node.criterion.pk,
        "code": node.code,
        "name": node.name,
        "method": node.method,
        "max_score": node.max,
        "applicable": node.applicable,
        "self_figures": score.self_figures if score else "",
        "self_score": score.self_score if score else None,
        "explanation": score.explanation if score else "",
        "appraised_figures": score.appraised_figures if score else "",
        "appraised_score": score.appraised_score if score else None,
        "appraised_override_reason": score.appraised_override_reason if score else "",
        "appraisal_comment": score.appraisal_comment if score else "",
        "response": score.response if score else "",
        "rechecked_score": score.rechecked_score if score else None,
        "recheck_comment": score.recheck_comment if score else "",
        "final_score": score.final_score if score else None,
        "responsible_agencies": [a.pk for a in node.responsible],
        "version": score.version if score else 0,
        "updated_at": score.updated_at if score else None,
    }


def agency_for(user, node, agency_id: int | None) -> Agency:
    """The agency whose part is written: the one asked for, else the account's own agency if it
    answers for the criterion, else the criterion's first responsible agency."""
    responsible = {a.pk: a for a in node.responsible}
    if agency_id is not None:
        agency = responsible.get(agency_id)
        if agency is None:
            if Agency.objects.filter(pk=agency_id).exists():
                raise DomainError(f"{node.code}: cơ quan {agency_id} không tham mưu tiêu chí này.")
            raise Http404
        return agency
    own = permissions.agency_of(user)
    if own is not None and own.pk in responsible:
        return responsible[own.pk]
    if permissions.is_department_editor(user):
        raise Http404
    if not node.responsible:
        raise DomainError(
            f"{node.code}: tiêu chí chưa có cơ quan tham mưu, không nhập điểm tự đánh giá được."
        )
    return node.responsible[0]


def writable_or_refuse(assessment, result, agency, node) -> None:
    """403, with the reason, where the entry page would show the row read-only."""
    state = services.part_state(assessment, agency.pk)
    if state.closed_reason:
        raise PermissionDenied(state.closed_reason)
    writable = services.writable_leaves(result, state, agency.pk)
    if node.criterion.pk not in writable:
        if not node.applicable:
            raise PermissionDenied(f"{node.code}: tiêu chí không áp dụng (Sở Nội vụ đã đánh dấu).")
        raise PermissionDenied(f"{node.code}: tiêu chí không thuộc phần việc của cơ quan ở bước hiện tại.")
    if not state.can_write_criterion(node.criterion.pk):
        raise PermissionDenied(state.reason or f"{node.code}: đã quá hạn.")
