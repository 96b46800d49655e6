"""What each gunicorn worker loads before it takes its first request (gunicorn.conf.py's
`post_worker_init`), so that no user pays for it: the URL configuration and every view module
it names, the page templates (compiled once by the cached loader), and matplotlib with the
shipped font for the report's charts. Without it the first report page of each worker took
about a second (0,4 s of it importing matplotlib) in the load test (docs/performance.md)."""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)

# The pages people open most: compiled here rather than on a user's first request.
PAGE_TEMPLATES = (
    "base.html",
    "registration/login.html",
    "assessments/home.html",
    "assessments/entry.html",
    "assessments/appraisal.html",
    "assessments/progress.html",
    "assessments/history.html",
    "reports/report.html",
    "reports/preparing.html",
)


def warm_up() -> float:
    """Load the above; return the seconds it took. Never raises: a worker that could not warm
    up still serves (it pays on its first requests instead)."""
    started = time.perf_counter()
    try:
        from django.template.loader import get_template
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 — imports every view module
        for name in PAGE_TEMPLATES:
            get_template(name)
        from reports import charts

        charts.warm_up()
    except Exception:
        log.exception("Không chuẩn bị trước được tiến trình web; tiến trình vẫn phục vụ bình thường.")
    return time.perf_counter() - started
