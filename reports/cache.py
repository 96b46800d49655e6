"""Rendered PDF and .docx files, kept until the data or narrative behind them changes.

The fingerprint costs five aggregate queries whatever the size of the tree; a download whose
fingerprint matches is served from the stored bytes without composing anything.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from assessments.models import Criterion, PublishedResult, Score

from .models import RenderedReport, ReportFormat, ReportNarrative

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _code_version() -> str:
    """Changes when the report's code or stylesheet change (a deploy invalidates). Read at
    import, so that it describes the code this process runs."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    paths = [*sorted(root.glob("*.py")), root.parent / "static" / "css" / "report.css"]
    for path in paths:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


def code_version() -> str:
    return CODE_VERSION


def fingerprint(assessment) -> str:
    year = assessment.year
    scores = Score.objects.filter(assessment=assessment).aggregate(
        n=Count("id"), v=Sum("version"), u=Max("updated_at")
    )
    published = PublishedResult.objects.filter(year__in=[year, year - 1]).aggregate(
        n=Count("id"), u=Max("imported_at")
    )
    narrative = ReportNarrative.objects.filter(assessment=assessment).values_list("pk", "updated_at").first()
    criteria = Criterion.objects.filter(framework_id=assessment.framework_id).aggregate(
        n=Count("id"), m=Sum("max_score"), a=Count("agencies")
    )
    framework = assessment.framework
    subject = assessment.subject
    parts = [
        code_version(),
        assessment.pk,
        assessment.updated_at,
        framework.name,
        framework.legal_basis,
        subject.name,
        subject.region,
        sorted(scores.items()),
        sorted(published.items()),
        narrative,
        sorted(criteria.items()),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


@dataclass
class RenderedFile:
    content: bytes
    content_type: str
    filename: str
    from_cache: bool
    seconds: float


def render(assessment, fmt: str) -> bytes:
    from .compose import build_report

    report = build_report(assessment)
    if fmt == ReportFormat.PDF:
        from .pdf import render_pdf

        return render_pdf(report)
    if fmt == ReportFormat.DOCX:
        from .docx import render_docx

        return render_docx(report)
    raise ValueError(f"Định dạng không hỗ trợ: {fmt}")


def filename_for(assessment, fmt: str) -> str:
    code = assessment.subject.code or assessment.subject.pk
    return f"bao-cao-chi-so-cchc-{assessment.year}-{code}.{fmt}"


def rendered_file(assessment, fmt: str) -> RenderedFile:
    """The stored file if still valid, else a fresh rendering (then stored).

    On a miss the report's row is locked while it renders, so that a rush of downloads after a
    change renders the file once: the others wait for the lock, then find the fresh file.
    SQLite has no row lock, and its transactions hold the whole database's write lock from
    their start (IMMEDIATE, settings.py): there the file is rendered first and stored after,
    so that a rendering never holds up the saves of everyone else.
    """
    start = time.perf_counter()
    fmt = ReportFormat(fmt)
    current = fingerprint(assessment)
    filename = filename_for(assessment, fmt)
    stored = (
        RenderedReport.objects.filter(assessment=assessment, format=fmt, fingerprint=current)
        .values_list("content", flat=True)
        .first()
    )
    if stored is not None:
        return RenderedFile(bytes(stored), CONTENT_TYPES[fmt], filename, True, time.perf_counter() - start)
    RenderedReport.objects.get_or_create(
        assessment=assessment, format=fmt, defaults={"fingerprint": "", "content": b""}
    )
    if not connection.features.has_select_for_update:
        content = render(assessment, fmt)
        seconds = time.perf_counter() - start
        RenderedReport.objects.filter(assessment=assessment, format=fmt).update(
            fingerprint=current, content=content, render_seconds=seconds, rendered_at=timezone.now()
        )
        return RenderedFile(content, CONTENT_TYPES[fmt], filename, False, seconds)
    with transaction.atomic():
        row = RenderedReport.objects.select_for_update().get(assessment=assessment, format=fmt)
        if row.fingerprint == current:  # rendered by another request while this one waited
            return RenderedFile(
                bytes(row.content), CONTENT_TYPES[fmt], filename, True, time.perf_counter() - start
            )
        content = render(assessment, fmt)
        seconds = time.perf_counter() - start
        row.fingerprint, row.content, row.render_seconds = current, content, seconds
        row.save()
    return RenderedFile(content, CONTENT_TYPES[fmt], filename, False, seconds)
