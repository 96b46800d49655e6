"""Who may do what: the one place where access is decided.

Views, templates, exports, reminders, the admin and reports ask here; they never test roles
themselves. Functions take the user and the object and return a bool; `scope_*` helpers return
(object, can_write) and raise Http404 outside the user's scope, as healthchecks does.

Every account but the superuser belongs to one province (`Profile.province`), and every
assessment belongs to one province (`province_of`): outside its province an account sees
nothing (404), exactly as a department editor sees nothing outside its agency.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from . import scoring
from .models import UNIT_KINDS, Agency, Assessment, Profile, Role, Subject, SubjectKind


def profile_of(user) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.parindex_profile
    except Profile.DoesNotExist:
        return None


def role_of(user) -> str | None:
    if is_superuser(user):
        return Role.PROCESS_OWNER
    profile = profile_of(user)
    return profile.role if profile else None


def agency_of(user):
    profile = profile_of(user)
    return profile.agency if profile else None


def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def user_province(user) -> Subject | None:
    """The province the account works for; None for a superuser (every province) and for an
    account without one (no province: it sees nothing, see `visible_assessments`)."""
    if is_superuser(user):
        return None
    profile = profile_of(user)
    return profile.province if profile is not None else None


# --- which province owns an assessment ----------------------------------------------------


# What province_of reads, for select_related: a list of assessments then costs no query.
ASSESSMENT_PROVINCE_RELATED = ("subject__parent__parent", "framework__owner")


def province_of(assessment) -> Subject | None:
    """The province an assessment belongs to: the subject itself for a province, the province
    a department or commune belongs to (following parents), else the province that issued the
    framework. The subject and its parents are read once per instance (Django caches them)."""
    province = assessment.subject.province
    if province is not None:
        return province
    return assessment.framework.owner if assessment.framework.owner_id else None


def province_id_of(assessment) -> int | None:
    province = province_of(assessment)
    return province.pk if province is not None else None


def province_ids_of(assessments) -> dict[int, int | None]:
    """province_id_of for many assessments, by assessment pk: one query per level of the
    subject tree whatever their number. The assessments come with subject and framework."""
    by_subject = scoring.province_ids_of({a.subject for a in assessments})
    return {a.pk: by_subject.get(a.subject_id) or a.framework.owner_id for a in assessments}


def _in_province(province_id: int) -> Q:
    """The assessments `province_of` gives to this province, as a filter (no extra query): the
    province itself, its departments, communes and districts, the communes of its districts,
    and a subject without a parent assessed on a framework the province issued."""
    return _subjects_in_province(province_id, "subject__") | (
        Q(framework__owner_id=province_id, subject__parent__isnull=True)
        & ~Q(subject__kind=SubjectKind.PROVINCE)
    )


_BELOW_PROVINCE = list(UNIT_KINDS)


def assessments_in_province(user) -> QuerySet[Assessment]:
    """Every assessment of the user's province, whatever its phase (every one for a
    superuser, none for an account without a role or a province)."""
    assessments = Assessment.objects.all()
    if role_of(user) is None:
        return assessments.none()
    if is_superuser(user):
        return assessments
    province = user_province(user)
    if province is None:
        return assessments.none()
    return assessments.filter(_in_province(province.pk))


def visible_assessments(user) -> QuerySet[Assessment]:
    """The assessments the user may open: those of its province (all for a superuser); for a
    department editor, the ones opened to departments (past preparation), whose own part it
    then reads to the end, locked and published included (see `can_see_agency_part`)."""
    assessments = assessments_in_province(user)
    if is_department_editor(user):
        assessments = assessments.exclude(phase=Assessment.Phase.PREPARATION)
    return assessments


def in_user_province(user, assessment) -> bool:
    """Whether the assessment belongs to the user's province (always, for a superuser)."""
    if role_of(user) is None:
        return False
    if is_superuser(user):
        return True
    province = user_province(user)
    return province is not None and province.pk == province_id_of(assessment)


def is_process_owner(user) -> bool:
    return role_of(user) == Role.PROCESS_OWNER


def can_view_report(user, assessment) -> bool:
    return in_user_province(user, assessment) and role_of(user) in (
        Role.PROCESS_OWNER,
        Role.APPRAISER,
        Role.VIEWER,
    )


def can_edit_report(user, assessment) -> bool:
    """Report narrative (paragraphs, signer, number, recipients): Sở Nội vụ only."""
    return in_user_province(user, assessment) and is_process_owner(user)


def can_import(user) -> bool:
    return is_process_owner(user)


# --- self-assessment workflow ------------------------------------------------------------
#
# Role-level rules live here; whether an open part may still be written (phase, lock,
# submission, deadline) is worked out per request in assessments.services.deadlines and
# combined with these rules by the `scope_*` helpers the views call.

_CLOSED_PHASES = [Assessment.Phase.PREPARATION, Assessment.Phase.PUBLISHED]


def is_open(assessment) -> bool:
    """Open to departments: between preparation and publication."""
    return assessment.phase not in _CLOSED_PHASES


def has_started(assessment) -> bool:
    """Opened to departments once (past preparation): from then on a department editor reads
    its own part and its results, read-only once the part is closed (lock, publication)."""
    return assessment.phase != Assessment.Phase.PREPARATION


def is_department_editor(user) -> bool:
    return role_of(user) == Role.DEPARTMENT_EDITOR


def can_see_agency_part(user, assessment, agency) -> bool:
    """May open the entry page of this agency in this assessment."""
    role = role_of(user)
    if agency.province_id != province_id_of(assessment) or not in_user_province(user, assessment):
        return False
    if role == Role.DEPARTMENT_EDITOR:
        own = agency_of(user)
        return own is not None and own.pk == agency.pk and has_started(assessment)
    return True


def can_enter_for_agency(user, assessment, agency) -> bool:
    """Role-level right to write an agency's self scores, explanations and responses."""
    writers = (Role.PROCESS_OWNER, Role.DEPARTMENT_EDITOR)
    return role_of(user) in writers and can_see_agency_part(user, assessment, agency)


def can_see_criterion(user, assessment, responsible_ids) -> bool:
    """`responsible_ids`: ids of the agencies answering for the criterion (scoring's
    node.responsible)."""
    role = role_of(user)
    if role is None or not in_user_province(user, assessment):
        return False
    if role == Role.DEPARTMENT_EDITOR:
        own = agency_of(user)
        return own is not None and own.pk in set(responsible_ids) and has_started(assessment)
    return True


def can_view_progress(user, assessment) -> bool:
    return in_user_province(user, assessment) and role_of(user) in (
        Role.PROCESS_OWNER,
        Role.APPRAISER,
        Role.VIEWER,
    )


def can_manage_workflow(user, assessment) -> bool:
    """Return a part, extend a deadline, change phase, lock and unlock: Sở Nội vụ only."""
    return in_user_province(user, assessment) and is_process_owner(user)


def can_set_applicability(user, assessment) -> bool:
    """Mark a criterion applicable or not ("không áp dụng") for an assessment: Sở Nội vụ only."""
    return in_user_province(user, assessment) and is_process_owner(user)


def can_appraise(user, assessment) -> bool:
    """Role-level right to enter appraised / re-checked scores and council comments."""
    return in_user_province(user, assessment) and role_of(user) in (Role.PROCESS_OWNER, Role.APPRAISER)


def sees_due_parts(user) -> bool:
    """Whether the home page shows the user a deadline notice: Sở Nội vụ of a province (its
    agencies' parts) and department editors (their agency's). Not a superuser without a
    province: the agencies of every province are not one person's to chase (at national size
    the notice alone took 0,5 s of the home page)."""
    if is_department_editor(user):
        return agency_of(user) is not None
    return role_of(user) == Role.PROCESS_OWNER and user_province(user) is not None


def reminded_parts(user, items) -> list:
    """What the home page's deadline notice shows this user of the agencies' open parts
    (`items`, reminders.DueItem, of assessments in `visible_assessments(user)`): a department
    editor its own agency's, Sở Nội vụ every agency's, the other roles (and whoever
    `sees_due_parts` leaves out) nothing."""
    if not sees_due_parts(user):
        return []
    role = role_of(user)
    if role == Role.PROCESS_OWNER:
        return list(items)
    own = agency_of(user)
    return [item for item in items if item.agency.pk == own.pk and is_open(item.assessment)]


def reminded_users(agency) -> QuerySet:
    """The active accounts that receive an agency's deadline e-mails: its department editors."""
    return get_user_model().objects.filter(
        is_active=True,
        parindex_profile__agency=agency,
        parindex_profile__role=Role.DEPARTMENT_EDITOR,
    )


def can_download_evidence(user, evidence, responsible_ids) -> bool:
    return can_see_criterion(user, evidence.assessment, responsible_ids)


def _not_found():
    return Http404("Không tìm thấy trang hoặc bạn không có quyền xem.")


def scope_assessment(user, assessment_id):
    """The assessment if the user may see anything of it (its province's, and for a
    department editor an open one), else 404."""
    assessment = (
        visible_assessments(user)
        .select_related(*ASSESSMENT_PROVINCE_RELATED)
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
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


def scope_report(user, assessment_id):
    """(assessment, can_edit) for the report's page, downloads and narrative: the report is
    Sở Nội vụ's, readable by the council and the leadership of the same province; 404 for
    anyone else, a department editor included."""
    assessment = scope_assessment(user, assessment_id)
    if not can_view_report(user, assessment):
        raise _not_found()
    return assessment, can_edit_report(user, assessment)


def require_write(can_write: bool, message: str = "Bạn chỉ có quyền xem trang này.") -> None:
    if not can_write:
        raise PermissionDenied(message)


# --- subjects, frameworks and trends (the API and the trends page) --------------------------


def _subjects_in_province(province_id: int, prefix: str = "") -> Q:
    """Subjects of a province, as a filter (prefix: the path to the subject, e.g. "subject__"):
    the province itself, its departments, communes and districts, and the communes of its
    districts. The one rule for assessments (_in_province) and subjects (visible_subjects)."""
    return (
        Q(**{f"{prefix}id": province_id})
        | Q(**{f"{prefix}parent_id": province_id})
        | Q(**{f"{prefix}parent__parent_id": province_id, f"{prefix}parent__kind__in": _BELOW_PROVINCE})
    )


def visible_subjects(user):
    """The subjects an account may read about: those of its province (all for a superuser)."""
    if role_of(user) is None:
        return Subject.objects.none()
    province = user_province(user)
    subjects = Subject.objects.all()
    return subjects if province is None else subjects.filter(_subjects_in_province(province.pk))


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


# --- a province's own index: its units' blocks (ranking, block progress, announcement) -----


def can_view_unit_blocks(user) -> bool:
    """The ranking, the block progress page and the announcement of a province's units: Sở Nội
    vụ, the council and the leadership (as the report), never a department editor."""
    return role_of(user) in (Role.PROCESS_OWNER, Role.APPRAISER, Role.VIEWER)


def scope_unit_blocks(user, province_id):
    """The province whose units' blocks are asked for: the account's own (any, for a
    superuser); 404 for another province or a role that does not read them."""
    if not can_view_unit_blocks(user):
        raise _not_found()
    province = Subject.objects.filter(pk=province_id, kind=SubjectKind.PROVINCE).first()
    if province is None:
        raise _not_found()
    if not is_superuser(user):
        own = user_province(user)
        if own is None or own.pk != province.pk:
            raise _not_found()
    return province


# --- a province's own frameworks (Sở Nội vụ maintains them) ---------------------------------


def can_view_own_frameworks(user) -> bool:
    """The framework pages: Sở Nội vụ, the council and the leadership of the province."""
    return role_of(user) in (Role.PROCESS_OWNER, Role.APPRAISER, Role.VIEWER)


def own_frameworks(user):
    """The frameworks the user's province issued (every province's for a superuser); none
    for a role that does not read them."""
    from .models import Framework

    if not can_view_own_frameworks(user):
        return Framework.objects.none()
    frameworks = Framework.objects.filter(owner__isnull=False)
    province = user_province(user)
    if is_superuser(user):
        return frameworks
    return frameworks.filter(owner_id=province.pk) if province is not None else frameworks.none()


def scope_frameworks(user):
    """(queryset, can_write) for the list of the province's frameworks; 404 for other roles."""
    if not can_view_own_frameworks(user):
        raise _not_found()
    return own_frameworks(user), is_process_owner(user)


def scope_framework(user, framework_id):
    """(framework, can_write): a framework the user's province issued, else 404; only Sở Nội
    vụ writes (whether it may still change is services.frameworks.frozen_reason)."""
    framework = own_frameworks(user).select_related("owner").filter(pk=framework_id).first()
    if framework is None:
        raise _not_found()
    return framework, is_process_owner(user)
