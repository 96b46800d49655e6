"""The trends page's line charts (index by year, rank by year), drawn by matplotlib as SVG with
text kept as text; cached per process by their data."""

from __future__ import annotations

import io
import re
from functools import lru_cache

from assessments.scoring.trends import PUBLISHED, Trend

from .charts import _COMMENT, _XML_DECL, _matplotlib

COLOURS = ["#a4161a", "#1d4e89", "#2a9d8f", "#e9c46a", "#6d597a", "#f4a261", "#264653", "#8d99ae", "#588157"]

# (label, ((year, value, is_published), …)) per line
Line = tuple[str, tuple[tuple[int, float, bool], ...]]


def _svg(fig, key: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _COMMENT.sub("", _XML_DECL.sub("", buffer.getvalue()))
    svg = re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        r'<svg\1 class="chart-svg" aria-hidden="true"',
        svg,
        count=1,
    )
    svg = svg.replace(' id="', f' id="{key}-').replace("url(#", f"url(#{key}-")
    return svg.replace('xlink:href="#', f'xlink:href="#{key}-').strip()


@lru_cache(maxsize=64)
def line_svg(key: str, lines: tuple[Line, ...], ylabel: str, invert: bool, top: int) -> str:
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(7.2, 3.6), dpi=100)
    ax = fig.add_subplot()
    years = sorted({year for _label, points in lines for year, _v, _p in points})
    for position, (label, points) in enumerate(lines):
        colour = COLOURS[position % len(COLOURS)]
        width = 2.4 if position == 0 else 1.2
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        ax.plot(xs, ys, "-", color=colour, linewidth=width, label=label)
        for year, value, is_published in points:
            ax.plot(
                [year],
                [value],
                "o",
                color=colour,
                markersize=5,
                markerfacecolor=colour if is_published else "white",
            )
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelrotation=45 if len(years) > 8 else 0, labelsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="#e5e9ee", linewidth=0.6)
    if invert:
        ax.set_ylim(top + 1, 0)
    ax.plot(
        [], [], "o", color="#444", label="● công bố   ○ tính từ điểm", markerfacecolor="white", linestyle=""
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False, fontsize=8)
    fig.tight_layout()
    return _svg(fig, key)


def _points(rows, value_of) -> tuple[tuple[int, float, bool], ...]:
    found = []
    for row in rows:
        value = value_of(row.shown)
        if value is not None:
            found.append((row.year, float(value), row.source == PUBLISHED))
    return tuple(found)


def index_lines(trend: Trend) -> tuple[Line, ...]:
    """The total index of each subject of the lineage, then the subject's field indices."""
    lines: list[Line] = []
    series = trend.series()
    for subject, rows in series:
        points = _points(rows, lambda f: f.total.index)
        if points:
            lines.append((f"Chỉ số chung – {subject.name}", points))
    own = next((rows for subject, rows in series if subject.pk == trend.subject.pk), [])
    for code in trend.field_codes:
        points = _points(own, lambda f, code=code: f.fields[code].index if code in f.fields else None)
        if len(points) > 1:
            lines.append((f"Lĩnh vực {code}", points))
    return tuple(lines)


def rank_lines(trend: Trend) -> tuple[Line, ...]:
    lines: list[Line] = []
    for subject, rows in trend.series():
        points = _points(rows, lambda f: f.total.rank)
        if points:
            lines.append((f"Thứ hạng – {subject.name}", points))
    return tuple(lines)


def trend_charts(trend: Trend) -> list[dict]:
    """[{title, svg}] for the page: indices, and ranks where any rank is known."""
    charts = []
    lines = index_lines(trend)
    if lines:
        charts.append(
            {"title": "Chỉ số (%) qua các năm", "svg": line_svg("trend-index", lines, "Chỉ số (%)", False, 0)}
        )
    ranks = rank_lines(trend)
    if ranks:
        top = max(
            [row.shown.total.ranked_count or 0 for row in trend.rows]
            + [int(v) for _label, points in ranks for _y, v, _p in points]
        )
        charts.append(
            {
                "title": "Thứ hạng chung qua các năm (1 là cao nhất)",
                "svg": line_svg("trend-rank", ranks, "Thứ hạng", True, top),
            }
        )
    return charts
