"""Who may do what: the one place where access is decided.

Views, templates, exports and reports ask here; they never test roles themselves.
Functions take the user and the object and return a bool; `scope_*` helpers return
(object, can_write) and raise Http404 outside the user's scope, as healthchecks does.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Agency, Assessment, Profile, Role


def profile_of(user) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.parindex_profile
    except Profile.DoesNotExist:
        return None


def role_of(user) -> str | None:
    if getattr(user, "is_superuser", False):
        return Role.PROCESS_OWNER
    profile = profile_of(user)
    return profile.role if profile else None


def agency_of(user):
    profile = profile_of(user)
    return profile.agency if profile else None


def is_process_owner(user) -> bool:
    return role_of(user) == Role.PROCESS_OWNER


def can_view_assessment(user, assessment) -> bool:
    """Every role may open an assessment; a department editor sees only its own criteria
    inside it (see the entry views)."""
    return role_of(user) is not None


def can_view_report(user, assessment) -> bool:
    return role_of(user) in (Role.PROCESS_OWNER, Role.APPRAISER, Role.VIEWER)


def can_edit_report(user, assessment) -> bool:
    """Report narrative (paragraphs, signer, number, recipients): Sở Nội vụ only."""
    return is_process_owner(user)


def can_import(user) -> bool:
    return is_process_owner(user)


# --- self-assessment workflow ------------------------------------------------------------
#
# Role-level rules live here; whether an open part may still be written (phase, lock,
# submission, deadline) is worked out per request in assessments.services.deadlines and
# combined with these rules by the `scope_*` helpers the views call.


class Action:
    """The actions of the permission matrix."""

    VIEW = "view"
    SAVE_SELF_SCORE = "save_self_score"
    SUBMIT = "submit"
    RETURN = "return"
    APPRAISE = "appraise"
    LOCK = "lock"
    DOWNLOAD_EVIDENCE = "download_evidence"
    SET_APPLICABILITY = "set_applicability"


def is_open(assessment) -> bool:
    """Open to departments: between preparation and publication."""
    return assessment.phase not in (assessment.Phase.PREPARATION, assessment.Phase.PUBLISHED)


def is_department_editor(user) -> bool:
    return role_of(user) == Role.DEPARTMENT_EDITOR


def can_see_agency_part(user, assessment, agency) -> bool:
    """May open the entry page of this agency in this assessment."""
    role = role_of(user)
    if role is None or agency.province_id != assessment.subject_id:
        return False
    if role == Role.DEPARTMENT_EDITOR:
        own = agency_of(user)
        return own is not None and own.pk == agency.pk and is_open(assessment)
    return True


def can_enter_for_agency(user, assessment, agency) -> bool:
    """Role-level right to write an agency's self scores, explanations and responses."""
    role = role_of(user)
    if role == Role.PROCESS_OWNER:
        return agency.province_id == assessment.subject_id
    return role == Role.DEPARTMENT_EDITOR and can_see_agency_part(user, assessment, agency)


def can_see_criterion(user, assessment, responsible_ids) -> bool:
    """`responsible_ids`: ids of the agencies answering for the criterion (scoring's
    node.responsible)."""
    role = role_of(user)
    if role is None:
        return False
    if role == Role.DEPARTMENT_EDITOR:
        own = agency_of(user)
        return own is not None and own.pk in set(responsible_ids) and is_open(assessment)
    return True


def can_view_progress(user, assessment) -> bool:
    return role_of(user) in (Role.PROCESS_OWNER, Role.APPRAISER, Role.VIEWER)


def can_manage_workflow(user, assessment) -> bool:
    """Return a part, extend a deadline, change phase, lock and unlock: Sở Nội vụ only."""
    return is_process_owner(user)


def can_set_applicability(user, assessment) -> bool:
    """Mark a criterion applicable or not ("không áp dụng") for an assessment: Sở Nội vụ only."""
    return is_process_owner(user)


def can_appraise(user, assessment) -> bool:
    """Role-level right to enter appraised / re-checked scores and council comments."""
    return role_of(user) in (Role.PROCESS_OWNER, Role.APPRAISER)


def can_download_evidence(user, evidence, responsible_ids) -> bool:
    return can_see_criterion(user, evidence.assessment, responsible_ids)


def _not_found():
    return Http404("Không tìm thấy trang hoặc bạn không có quyền xem.")


def scope_assessment(user, assessment_id):
    """The assessment if the user may see anything of it, else 404."""
    if role_of(user) is None:
        raise _not_found()
    assessment = get_object_or_404(
        Assessment.objects.select_related("subject", "framework"), pk=assessment_id
    )
    if is_department_editor(user) and not is_open(assessment):
        raise _not_found()
    return assessment


def scope_agency_part(user, assessment_id, agency_id):
    """(assessment, agency, role_can_write); 404 outside the user's scope."""
    assessment = scope_assessment(user, assessment_id)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not can_see_agency_part(user, assessment, agency):
        raise _not_found()
    return assessment, agency, can_enter_for_agency(user, assessment, agency)


def scope_progress(user, assessment_id):
    """(assessment, can_manage): the progress page is Sở Nội vụ's, readable by the council
    and the leadership, outside a department editor's scope."""
    assessment = scope_assessment(user, assessment_id)
    if not can_view_progress(user, assessment):
        raise _not_found()
    return assessment, can_manage_workflow(user, assessment)


def scope_appraisal(user, assessment_id):
    """(assessment, role_can_write) for the appraisal and re-check page."""
    assessment, _manage = scope_progress(user, assessment_id)
    return assessment, can_appraise(user, assessment)


def require_write(can_write: bool, message: str = "Bạn chỉ có quyền xem trang này.") -> None:
    if not can_write:
        raise PermissionDenied(message)
