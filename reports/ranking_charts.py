"""The ranking page's charts, drawn by matplotlib as SVG with text kept as text: the number
of units of each grade, and each unit's index (best first). Cached per process by their data,
so a page of 150 units draws them once."""

from __future__ import annotations

import textwrap
from functools import lru_cache

from assessments.decimals import format_index
from assessments.scoring.ranking import Block

from .charts import _matplotlib
from .trend_charts import _svg

BAR_COLOUR = "#1d4e89"
GRADE_COLOURS = ["#2a9d8f", "#1d4e89", "#e9c46a", "#f4a261", "#a4161a", "#8d99ae"]


@lru_cache(maxsize=32)
def grade_svg(counts: tuple[tuple[str, int], ...]) -> str:
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6.0, 3.0), dpi=100)
    ax = fig.add_subplot()
    labels = [label for label, _n in counts]
    values = [n for _label, n in counts]
    colours = [GRADE_COLOURS[i % len(GRADE_COLOURS)] for i in range(len(counts))]
    bars = ax.bar(labels, values, color=colours, width=0.6)
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(
            str(value),
            (bar.get_x() + bar.get_width() / 2, value),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=9,
        )
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Số đơn vị")
    ax.set_ylim(0, max([*values, 1]) * 1.2)
    ax.grid(axis="y", color="#e5e9ee", linewidth=0.6)
    fig.tight_layout()
    return _svg(fig, "ranking-grades")


@lru_cache(maxsize=32)
def index_svg(points: tuple[tuple[str, float], ...]) -> str:
    """One horizontal bar per unit, best at the top; the height grows with the units."""
    _matplotlib()
    from matplotlib.figure import Figure

    n = len(points)
    fig = Figure(figsize=(7.2, max(2.4, 0.26 * n + 0.9)), dpi=100)
    ax = fig.add_subplot()
    names = ["\n".join(textwrap.wrap(name, 38)[:1]) for name, _v in points]
    values = [v for _name, v in points]
    positions = list(range(n))
    ax.barh(positions, values, color=BAR_COLOUR, height=0.7)
    for y, value in zip(positions, values, strict=True):
        ax.text(value + 0.6, y, format_index_float(value), va="center", fontsize=7)
    ax.set_yticks(positions, names, fontsize=7 if n > 30 else 8)
    ax.set_ylim(n - 0.4, -0.6)
    ax.set_xlim(0, 108)
    ax.set_xlabel("Chỉ số (%)")
    ax.grid(axis="x", color="#e5e9ee", linewidth=0.6)
    fig.tight_layout()
    return _svg(fig, "ranking-index")


def format_index_float(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def ranking_charts(block: Block) -> list[dict]:
    """[{title, svg, alt}] for the page: grades, then the index of each ranked unit."""
    ranked = block.ranked
    if not ranked:
        return []
    counts = tuple(block.grade_counts())
    # Drawn from the 2-decimal index as shown; the order is the ranking's.
    points = tuple((u.subject.name, float(format_index(u.index).replace(",", "."))) for u in ranked)
    return [
        {
            "title": f"Số đơn vị theo xếp loại năm {block.year}",
            "svg": grade_svg(counts),
            "alt": "; ".join(f"{label}: {n} đơn vị" for label, n in counts),
        },
        {
            "title": f"Chỉ số (%) từng đơn vị năm {block.year}, theo thứ hạng",
            "svg": index_svg(points),
            "alt": "; ".join(f"{u.rank}. {u.subject.name}: {format_index(u.index)}%" for u in ranked),
        },
    ]
