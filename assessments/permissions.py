"""Who may do what: the one place where access is decided.

Views, templates, exports and reports ask here; they never test roles themselves.
Functions take the user and the object and return a bool; `scope_*` helpers return
(object, can_write) and raise Http404 outside the user's scope, as healthchecks does.
"""

from __future__ import annotations

from .models import Profile, Role


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
