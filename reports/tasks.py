"""Report files are rendered in the background (django-tasks, whose API Django 6 ships as
django.tasks), never in a web request.

A download serves the newest stored file at once and, when the data changed since, asks for a
fresh one (`latest_file`). The report's RenderedReport row is the lock: it is taken with
select_for_update to queue a rendering, so at most one per report and format is queued or
running; while the assessment is open, renderings are at least REPORT_RENDER_DEBOUNCE_SECONDS
apart. A failed rendering is logged, kept on the row for Sở Nội vụ to see, and tried again up to
REPORT_RENDER_ATTEMPTS times in all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from assessments.models import Assessment

from . import cache
from .models import RenderedReport, RenderState, ReportFormat

logger = logging.getLogger(__name__)

# Phases during which saves keep changing the report: renderings are coalesced.
OPEN_PHASES = {
    Assessment.Phase.SELF_ASSESSMENT,
    Assessment.Phase.APPRAISAL,
    Assessment.Phase.EXPLANATION,
    Assessment.Phase.RECHECK,
}
# A rendering queued or running for longer than this was lost (its worker was killed): the
# next download queues another.
LOST_AFTER = timedelta(minutes=15)
# Pause before trying a failed rendering again, times the number of attempts so far.
RETRY_PAUSE = timedelta(seconds=30)


@task()
def render_report_file(assessment_id: int, fmt: str) -> str:
    """Render one report file if it is still wanted; its outcome is written on the row."""
    if not _claim(assessment_id, fmt):
        return "skipped"
    assessment = Assessment.objects.select_related("subject", "framework").filter(pk=assessment_id).first()
    if assessment is None:
        return "skipped"
    try:
        cache.render_and_store(assessment, fmt)
    except Exception as exc:
        logger.exception("Tạo báo cáo %s của đợt đánh giá %s không thành công", fmt, assessment_id)
        _failed(assessment_id, fmt, exc)
        raise
    _finished(assessment_id, fmt)
    return "rendered"


def _locked_row(assessment_id: int, fmt: str) -> RenderedReport | None:
    return RenderedReport.objects.select_for_update().filter(assessment_id=assessment_id, format=fmt).first()


def _claim(assessment_id: int, fmt: str) -> bool:
    """Queued → running. False when nothing is queued (a duplicate, or already done)."""
    with transaction.atomic():
        row = _locked_row(assessment_id, fmt)
        if row is None or row.state != RenderState.QUEUED:
            return False
        row.state = RenderState.RUNNING
        row.started_at = timezone.now()
        row.attempts += 1
        row.save(update_fields=["state", "started_at", "attempts"])
        return True


def _finished(assessment_id: int, fmt: str) -> None:
    with transaction.atomic():
        row = _locked_row(assessment_id, fmt)
        if row is not None and row.state == RenderState.RUNNING:
            row.state = RenderState.IDLE
            row.attempts = 0
            row.last_error, row.last_error_at = "", None
            row.save(update_fields=["state", "attempts", "last_error", "last_error_at"])


def _failed(assessment_id: int, fmt: str, exc: Exception) -> None:
    now = timezone.now()
    with transaction.atomic():
        row = _locked_row(assessment_id, fmt)
        if row is None:
            return
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        row.last_error_at = now
        if row.attempts < settings.REPORT_RENDER_ATTEMPTS:
            row.state = RenderState.QUEUED
            row.queued_at, row.run_after = now, now + RETRY_PAUSE * row.attempts
            row.save()
            _enqueue(assessment_id, fmt, row.run_after)
        else:
            row.state = RenderState.IDLE
            row.save()


def _enqueue(assessment_id: int, fmt: str, run_after) -> None:
    queued = render_report_file
    if run_after is not None and run_after > timezone.now() and queued.get_backend().supports_defer:
        queued = queued.using(run_after=run_after)
    queued.enqueue(assessment_id, str(fmt))


def is_lost(row: RenderedReport, now) -> bool:
    if row.state == RenderState.RUNNING:
        return row.started_at is None or row.started_at < now - LOST_AFTER
    if row.state == RenderState.QUEUED:
        since = max(filter(None, [row.queued_at, row.run_after]), default=None)
        return since is None or since < now - LOST_AFTER
    return False


def next_run(assessment, row: RenderedReport, now):
    """When a new rendering may start: now, or — while the assessment is open — no sooner than
    REPORT_RENDER_DEBOUNCE_SECONDS after the previous one was queued. None means now."""
    if assessment.phase not in OPEN_PHASES or row.queued_at is None:
        return None
    earliest = row.queued_at + timedelta(seconds=settings.REPORT_RENDER_DEBOUNCE_SECONDS)
    return earliest if earliest > now else None


def request_render(assessment, fmt: str, current_fingerprint: str) -> RenderedReport:
    """Queue a rendering unless the stored file is current or one is already queued or
    running. Returns the row as it is afterwards."""
    fmt = ReportFormat(fmt)
    now = timezone.now()
    RenderedReport.objects.get_or_create(assessment=assessment, format=fmt)
    with transaction.atomic():
        row = _locked_row(assessment.pk, fmt)
        up_to_date = row.file_name and row.fingerprint == current_fingerprint
        if up_to_date or (row.pending and not is_lost(row, now)):
            return row
        row.run_after = next_run(assessment, row, now)
        row.state, row.queued_at, row.started_at, row.attempts = RenderState.QUEUED, now, None, 0
        row.save()
        _enqueue(assessment.pk, fmt, row.run_after)
    return RenderedReport.objects.get(pk=row.pk)


@dataclass
class LatestFile:
    row: RenderedReport
    current: bool  # the file shows the data as it is now
    handle: object | None  # the opened file; None while the first one is being prepared


def latest_file(assessment, fmt: str) -> LatestFile:
    """The newest stored file at once, and a fresh rendering queued if the data changed."""
    fmt = ReportFormat(fmt)
    current_fingerprint = cache.fingerprint(assessment)
    row = RenderedReport.objects.filter(assessment=assessment, format=fmt).first()
    current = row is not None and bool(row.file_name) and row.fingerprint == current_fingerprint
    if not current:
        row = request_render(assessment, fmt, current_fingerprint)
        current = bool(row.file_name) and row.fingerprint == current_fingerprint
    handle = cache.open_file(row)
    if handle is None and row.file_name:  # the storage lost the file: render it again
        row = request_render(assessment, fmt, current_fingerprint="")
        current, handle = False, cache.open_file(row)
    return LatestFile(row, current, handle)


def status(assessment) -> dict[str, RenderedReport | None]:
    """Each format's row (one query), for the report page and its status poll."""
    rows = {row.format: row for row in RenderedReport.objects.filter(assessment=assessment)}
    return {fmt: rows.get(fmt) for fmt in ReportFormat.values}
