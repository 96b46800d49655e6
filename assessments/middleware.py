"""One rule for every page a signed-in user sees: never stored by a browser or a proxy.

Entry, progress, appraisal, history and report pages and their downloads show one province's
unpublished scores and evidence; a shared office computer's browser cache or a proxy must not
keep them. Evidence downloads already set the header themselves; a view that sets its own
Cache-Control is left alone.
"""

from __future__ import annotations

import time

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


class ServerTimingMiddleware:
    """Every response says how long Django worked on it (Server-Timing, read by the browser's
    developer tools and by bench/load_test.py): `app` the wall time from the first middleware to
    the response, `cpu` the CPU time this request's own thread used. On a busy server the two
    differ by the time the request waited for the processor (other threads, other processes):
    the load test uses `cpu` to tell a request that works from one that queues. Written here
    rather than taken from a package: the CPU time of the request's thread is what is needed,
    which the Server-Timing packages for Django do not measure."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wall, cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        response["Server-Timing"] = (
            f'app;dur={wall * 1000:.1f};desc="Django", cpu;dur={cpu * 1000:.1f};desc="CPU"'
        )
        return response
