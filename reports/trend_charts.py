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
def line_svg(
    key: str, lines: tuple[Line, ...], ylabel: str, invert: bool, top: int, counts: tuple = ()
) -> str:
    """counts: ((year, number ranked), …), written under each year of a rank chart."""
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
            if invert:
                ax.annotate(
                    str(int(value)),
                    (year, value),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=7,
                    color=colour,
                )
    ax.set_xticks(years)
    if counts:
        ranked = dict(counts)
        ax.set_xticklabels([f"{y}\n/{ranked[y]}" if ranked.get(y) else str(y) for y in years])
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


def _rank(figures):
    """A rank worth drawing: among more than one unit (a rank computed among the one subject
    scored on a framework says nothing; the table still shows it with its "/1")."""
    total = figures.total
    if total.rank is None or (total.ranked_count or 0) < 2:
        return None
    return total.rank


def rank_lines(trend: Trend) -> tuple[Line, ...]:
    lines: list[Line] = []
    for subject, rows in trend.series():
        points = _points(rows, _rank)
        if points:
            lines.append((f"Thứ hạng – {subject.name}", points))
    return tuple(lines)


def ranked_counts(trend: Trend) -> tuple:
    """The number ranked each year (the subject's own row first), for the rank chart's axis."""
    found: dict[int, int] = {}
    for row in sorted(trend.rows, key=lambda r: r.is_predecessor, reverse=True):
        if row.shown.total.ranked_count and (row.shown.total.ranked_count or 0) > 1:
            found[row.year] = row.shown.total.ranked_count
    return tuple(sorted(found.items()))


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
                "title": "Thứ hạng chung qua các năm (1 là cao nhất; dưới mỗi năm: số đơn vị xếp hạng)",
                "svg": line_svg("trend-rank", ranks, "Thứ hạng", True, top, ranked_counts(trend)),
            }
        )
    return charts
