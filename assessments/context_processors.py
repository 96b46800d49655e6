"""What every page's header needs: the signed-in person's unread notification count (one
COUNT query, run only when the header shows it)."""

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services.notifications import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
