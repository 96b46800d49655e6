"""What every page's header needs: the signed-in person's unread notification count (one
COUNT query, run only when the header shows it) and whether it may open the province's
frameworks (the profile the page's own permission checks already loaded)."""

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from . import permissions
    from .services.notifications import unread_count

    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
        "nav_frameworks": SimpleLazyObject(lambda: permissions.can_view_own_frameworks(user)),
    }
