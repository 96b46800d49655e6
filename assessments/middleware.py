"""One rule for every page a signed-in user sees: never stored by a browser or a proxy.

Entry, progress, appraisal, history and report pages and their downloads show one province's
unpublished scores and evidence; a shared office computer's browser cache or a proxy must not
keep them. Evidence downloads already set the header themselves; a view that sets its own
Cache-Control is left alone.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control

PRIVATE = "private, no-store"


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
