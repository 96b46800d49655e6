"""The report page's charts are drawn by the task worker and kept in the database; the page
only reads them.

Drawing the two charts with matplotlib costs ~100 ms of CPU (~230 ms the first time in a
process): the bulk of a report page, and the tail of the load test (docs/performance.md). So a
web request never draws. The page works out each chart's data (cheap: it composes the report
anyway) and its key (`spec_key`); the newest drawing of each chart is a ChartDrawing row:

- its key is the page's key: the page shows it (one query for both charts);
- otherwise the page shows the drawing it has, labelled with the time of its data (or, the very
  first time, "đang vẽ biểu đồ"), and asks the worker for the drawing of its data
  (`draw_report_chart`, queued once per drawing however many pages ask). static/js/
  report-files.js polls the files' status, which lists the drawings, and swaps in the new one.

The PDF and Word renderings draw their own charts, in the worker, from the same code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from . import cache, charts
from .models import ChartDrawing

logger = logging.getLogger(__name__)

# A drawing asked for longer ago than this and not stored was lost (its worker stopped): the
# next page that needs it asks again.
ASKED_LOST_AFTER = timedelta(minutes=2)


def _matplotlib_version() -> str:
    from importlib.metadata import version

    return version("matplotlib")


MATPLOTLIB_VERSION = _matplotlib_version()


def spec_json(spec: charts.ChartSpec) -> dict:
    """The chart's data as JSON (a task's arguments): Decimals as their exact text."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "kind": spec.kind,
        "year": spec.year,
        "ranked": spec.ranked,
        "points": [
            [p.code, p.name, text(p.index), text(p.previous_index), p.rank, p.previous_rank]
            for p in spec.points
        ],
    }


def spec_from_json(data: dict) -> charts.ChartSpec:
    def number(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    return charts.ChartSpec(
        kind=data["kind"],
        points=tuple(
            charts.FieldPoint(code, name, number(index), number(previous), rank, previous_rank)
            for code, name, index, previous, rank, previous_rank in data["points"]
        ),
        year=int(data["year"]),
        ranked=int(data["ranked"]),
    )


def spec_key(spec: charts.ChartSpec) -> str:
    """What a drawing shows: the chart's data, the report's code (reports/*.py and its
    stylesheet) and matplotlib's version. The same key, the same SVG. The index chart draws no
    rank and the rank chart no index: a score that moves an index and no rank leaves the rank
    chart's key as it was."""
    drawn = spec_json(spec)
    unused = (4, 5) if spec.kind == "index" else (2, 3)
    drawn["points"] = [[None if i in unused else v for i, v in enumerate(p)] for p in drawn["points"]]
    material = json.dumps(
        [cache.code_version(), MATPLOTLIB_VERSION, drawn], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PageChart:
    """One chart as the report page shows it."""

    kind: str
    key: str  # the drawing of the page's data
    svg: str  # the drawing shown: the page's, an older one, or "" before the first
    current: bool  # svg is the drawing of the page's data
    as_of: str  # the time of the shown drawing's data


def _specs(report) -> dict[str, charts.ChartSpec]:
    return {
        block.spec.kind: block.spec for block in report.all_blocks() if isinstance(block, charts.LazyChart)
    }


def for_page(assessment, report, data_as_of: datetime) -> dict[str, PageChart]:
    """The drawings to show with `report`, by chart kind; asks for those that are missing.

    One query when every drawing is current; when one is not, three or four more (create the
    row, mark it asked, queue the task)."""
    specs = _specs(report)
    if not specs:
        return {}
    keys = {kind: spec_key(spec) for kind, spec in specs.items()}
    rows = {row.kind: row for row in ChartDrawing.objects.filter(assessment=assessment, kind__in=list(specs))}
    wanted = [
        kind for kind in specs if kind not in rows or rows[kind].key != keys[kind] or not rows[kind].svg
    ]
    if wanted and _ask(assessment, {kind: specs[kind] for kind in wanted}, keys, rows, data_as_of):
        # The tasks ran at once (tests, or a deployment without a worker): show their drawings.
        rows = {
            row.kind: row for row in ChartDrawing.objects.filter(assessment=assessment, kind__in=list(specs))
        }
    page = {}
    for kind in specs:
        row = rows.get(kind)
        current = row is not None and row.key == keys[kind] and bool(row.svg)
        shown = row.svg if row is not None else ""
        page[kind] = PageChart(
            kind=kind,
            key=keys[kind],
            svg=shown,
            current=current,
            as_of=cache.as_of_label(row.data_as_of) if row is not None and shown and row.data_as_of else "",
        )
    return page


def _ask(
    assessment, specs: dict[str, charts.ChartSpec], keys: dict[str, str], rows: dict, data_as_of
) -> bool:
    """Queue the drawing of each chart in `specs` unless the same drawing is already queued.
    True when every queued drawing is already done (the immediate backend)."""
    missing = [ChartDrawing(assessment=assessment, kind=kind) for kind in specs if kind not in rows]
    if missing:
        ChartDrawing.objects.bulk_create(missing, ignore_conflicts=True)
    now = timezone.now()
    done = True
    for kind, spec in specs.items():
        key = keys[kind]
        # Claim the drawing (the one page among those asking at once that queues it) and queue
        # it in one transaction: a queue that refuses leaves no claim behind.
        with transaction.atomic():
            claimed = (
                ChartDrawing.objects.filter(assessment=assessment, kind=kind)
                .filter(~Q(asked_key=key) | Q(asked_at__isnull=True) | Q(asked_at__lt=now - ASKED_LOST_AFTER))
                .update(asked_key=key, asked_at=now, last_error="")
            )
            if not claimed:
                done = False
                continue
            result = draw_report_chart.enqueue(assessment.pk, spec_json(spec), key, data_as_of.isoformat())
        done = done and result.status == TaskResultStatus.SUCCESSFUL
    return done


@task(priority=10)
def draw_report_chart(assessment_id: int, spec: dict, key: str, data_as_of: str) -> str:
    """Draw one chart of a report and keep it (unless a drawing of newer data is kept already).
    A failure is logged and written on the row, which stays asked: a page that needs the same
    drawing asks again once ASKED_LOST_AFTER has passed, not on every view."""
    chart = spec_from_json(spec)
    taken = datetime.fromisoformat(data_as_of)
    if spec_key(chart) != key:
        # The worker runs other code than the page that asked (a deploy in between): the
        # drawing is kept under the key of what it shows.
        key = spec_key(chart)
    row = ChartDrawing.objects.filter(assessment_id=assessment_id, kind=chart.kind).first()
    if row is None:
        return "skipped"  # the assessment was deleted
    if row.key == key and row.svg:
        _not_asked(assessment_id, chart.kind, key)
        return "kept"
    started = time.perf_counter()
    try:
        svg = charts.svg_for(chart.kind, chart.points, chart.year, chart.ranked)
    except Exception as exc:
        logger.exception("Vẽ biểu đồ %s của đợt đánh giá %s không thành công", chart.kind, assessment_id)
        ChartDrawing.objects.filter(assessment_id=assessment_id, kind=chart.kind, asked_key=key).update(
            asked_at=timezone.now(), last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    store(
        assessment_id, chart.kind, key=key, svg=svg, data_as_of=taken, seconds=time.perf_counter() - started
    )
    return "drawn"


def store(assessment_id: int, kind: str, *, key: str, svg: str, data_as_of: datetime, seconds: float) -> bool:
    """Keep a drawing as the chart's newest, unless the row holds one of later data. True when
    kept."""
    kept = (
        ChartDrawing.objects.filter(assessment_id=assessment_id, kind=kind)
        .filter(Q(data_as_of__isnull=True) | Q(data_as_of__lte=data_as_of))
        .update(
            key=key,
            svg=svg,
            data_as_of=data_as_of,
            drawn_at=timezone.now(),
            draw_seconds=seconds,
            last_error="",
        )
    )
    _not_asked(assessment_id, kind, key)
    return bool(kept)


def _not_asked(assessment_id: int, kind: str, key: str) -> None:
    ChartDrawing.objects.filter(assessment_id=assessment_id, kind=kind, asked_key=key).update(
        asked_key="", asked_at=None
    )


def status(assessment) -> list[dict]:
    """Each kept drawing's key, for the status poll (one query): the page swaps in the drawing
    whose key it waits for, fetched from `url`."""
    out = []
    for row in ChartDrawing.objects.filter(assessment=assessment).order_by("kind"):
        out.append(
            {
                "kind": row.kind,
                "key": row.key if row.svg else "",
                "asked": bool(row.asked_key) and not row.last_error,
                # The reason is in the server's log; the page says the drawing failed.
                "failed": bool(row.last_error),
                "url": reverse("reports:chart", kwargs={"pk": assessment.pk, "kind": row.kind})
                + f"?k={row.key}",
            }
        )
    return out
