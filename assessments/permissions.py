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


# --- province scope, API and trends (api branch) --------------------------------------------
# `user_province` and `visible_assessments` below are minimal stand-ins: the province-scope
# branch defines the real ones (Profile.province); keep those at merge and drop these two.
# `visible_subjects`, `visible_frameworks`, `can_view_trends`, `scope_trends` and
# `scope_visible_assessment` are new helpers the API and the trends page call: keep them.

from django.db.models import Q  # noqa: E402

from .models import Subject  # noqa: E402


def user_province(user):
    """The province an account works in (None: every province, the superuser's case)."""
    if getattr(user, "is_superuser", False):
        return None
    profile = profile_of(user)
    if profile is None:
        return None
    province = getattr(profile, "province", None)
    if province is not None:
        return province
    return profile.agency.province if profile.agency_id else None


def _in_province(prefix: str, province_id: int) -> Q:
    """Subjects (under `prefix`) of a province: itself, its units, and units of its districts."""
    return (
        Q(**{f"{prefix}id": province_id})
        | Q(**{f"{prefix}parent_id": province_id})
        | Q(**{f"{prefix}parent__parent_id": province_id})
    )


def visible_subjects(user):
    """The subjects an account may read about: those of its province (all for a superuser)."""
    if role_of(user) is None:
        return Subject.objects.none()
    province = user_province(user)
    subjects = Subject.objects.all()
    return subjects if province is None else subjects.filter(_in_province("", province.pk))


def visible_assessments(user):
    """The assessments an account may open: its province's; a department editor's only while
    open (between preparation and publication)."""
    if role_of(user) is None:
        return Assessment.objects.none()
    assessments = Assessment.objects.select_related("subject", "framework")
    province = user_province(user)
    if province is not None:
        assessments = assessments.filter(_in_province("subject__", province.pk))
    if is_department_editor(user):
        assessments = assessments.exclude(
            phase__in=[Assessment.Phase.PREPARATION, Assessment.Phase.PUBLISHED]
        )
    return assessments


def can_view_trends(user) -> bool:
    """Years side by side (indices, ranks, criteria gained and lost): like the report."""
    return role_of(user) in (Role.PROCESS_OWNER, Role.APPRAISER, Role.VIEWER)


def scope_trends(user, subject_id):
    """The subject whose trends are asked for, else 404 (outside the province, or a role
    that does not read reports)."""
    if not can_view_trends(user):
        raise _not_found()
    subject = visible_subjects(user).filter(pk=subject_id).first()
    if subject is None:
        raise _not_found()
    return subject


def scope_visible_assessment(user, assessment_id):
    """scope_assessment, limited to the account's province."""
    assessment = scope_assessment(user, assessment_id)
    if not visible_assessments(user).filter(pk=assessment.pk).exists():
        raise _not_found()
    return assessment


def visible_frameworks(user):
    """The ministry's frameworks and those the account's province issued (all for a superuser)."""
    from .models import Framework

    if role_of(user) is None:
        return Framework.objects.none()
    province = user_province(user)
    frameworks = Framework.objects.all()
    if province is None:
        return frameworks
    return frameworks.filter(Q(owner__isnull=True) | Q(owner_id=province.pk))
