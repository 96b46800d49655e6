"""Rendered PDF and .docx files: the newest one of each report, kept in the "reports" storage.

The fingerprint costs five aggregate queries whatever the size of the tree; it says whether the
stored file still shows the current data. Rendering happens in a background task
(reports/tasks.py); web requests only read what is stored here.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
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


def report_storage():
    """Where rendered files live: STORAGES["reports"] (local disk, or the shared object store)."""
    return storages["reports"]


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


def filename_for(assessment, fmt: str, data_as_of=None) -> str:
    """The name a download is saved under; it carries the time its data was taken
    ("…-so-lieu-20240305-0942.pdf", local time) so that two versions are told apart."""
    code = assessment.subject.code or assessment.subject.pk
    stamp = ""
    if data_as_of is not None:
        stamp = "-so-lieu-" + timezone.localtime(data_as_of).strftime("%Y%m%d-%H%M")
    return f"bao-cao-chi-so-cchc-{assessment.year}-{code}{stamp}.{fmt}"


def as_of_label(data_as_of) -> str:
    """ "số liệu tính đến 09:42 ngày 05/03/2024" (local time)."""
    local = timezone.localtime(data_as_of)
    return f"số liệu tính đến {local:%H:%M} ngày {local:%d/%m/%Y}"


def store(assessment, fmt: str, *, content: bytes, fingerprint_value: str, data_as_of, seconds: float):
    """Keep a fresh rendering as the report's newest file (the previous file is deleted once the
    row points to the new one). Returns the row."""
    fmt = ReportFormat(fmt)
    storage = report_storage()
    stamp = timezone.localtime(data_as_of).strftime("%Y%m%d-%H%M%S")
    name = storage.save(f"{assessment.pk}/{fmt}-{stamp}-{fingerprint_value[:12]}.{fmt}", ContentFile(content))
    try:
        with transaction.atomic():
            row, _created = RenderedReport.objects.select_for_update().get_or_create(
                assessment=assessment, format=fmt
            )
            previous = row.file_name
            row.file_name = name
            row.fingerprint = fingerprint_value
            row.data_as_of = data_as_of
            row.rendered_at = timezone.now()
            row.render_seconds = seconds
            row.size = len(content)
            row.save()
    except Exception:
        storage.delete(name)
        raise
    if previous and previous != name:
        transaction.on_commit(lambda: storage.delete(previous))
    return row


def open_file(row: RenderedReport):
    """The stored file, opened for reading; None if the storage lost it."""
    if not row.file_name:
        return None
    try:
        return report_storage().open(row.file_name, "rb")
    except (FileNotFoundError, OSError):
        return None


@dataclass
class RenderedFile:
    content: bytes
    content_type: str
    filename: str
    from_cache: bool
    seconds: float


def render_and_store(assessment, fmt: str) -> RenderedReport:
    """Render now, in this process, and store the result. The data's time and fingerprint are
    taken before composing, so a change made during the rendering makes the file stale."""
    start = time.perf_counter()
    data_as_of = timezone.now()
    current = fingerprint(assessment)
    content = render(assessment, fmt)
    return store(
        assessment,
        fmt,
        content=content,
        fingerprint_value=current,
        data_as_of=data_as_of,
        seconds=time.perf_counter() - start,
    )


def rendered_file(assessment, fmt: str) -> RenderedFile:
    """The current file, rendered here if the stored one is stale (for the render_report
    command and the benchmark, which may wait; web requests use reports.tasks instead)."""
    start = time.perf_counter()
    fmt = ReportFormat(fmt)
    row = RenderedReport.objects.filter(assessment=assessment, format=fmt).first()
    from_cache = row is not None and row.fingerprint == fingerprint(assessment)
    handle = open_file(row) if from_cache else None
    if handle is None:
        from_cache = False
        row = render_and_store(assessment, fmt)
        handle = open_file(row)
    with handle:
        content = handle.read()
    return RenderedFile(
        content,
        CONTENT_TYPES[fmt],
        filename_for(assessment, fmt, row.data_as_of),
        from_cache,
        time.perf_counter() - start,
    )
