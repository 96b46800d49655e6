"""The report's two charts, drawn once by matplotlib: SVG for HTML and PDF, PNG for Word.

Both formats come from the same figure. Text stays text in the SVG (svg.fonttype "none"):
5× smaller and 3× faster to lay out in WeasyPrint than glyph paths, and the browser and the
PDF draw it with the shipped Liberation Serif. Figures are cached per process by their data.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from assessments.decimals import format_index

from .document import Chart

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FAMILY = "Liberation Serif"
THIS_YEAR_COLOUR = "#a4161a"
LAST_YEAR_COLOUR = "#9aa6b2"


def _matplotlib():
    """Import matplotlib with a persistent font cache and the shipped font registered."""
    cache = Path(os.environ.get("MPLCONFIGDIR") or Path(settings.CACHE_DIR) / "matplotlib")
    cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MPLCONFIGDIR", str(cache))
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    if not getattr(_matplotlib, "_fonts", False):
        for path in sorted(FONT_DIR.glob("LiberationSerif-*.ttf")):
            font_manager.fontManager.addfont(str(path))
        _matplotlib._fonts = True
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "parindex",
            "font.family": FONT_FAMILY,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return matplotlib


def warm_up() -> None:
    """Import matplotlib's figure machinery and draw one small figure, so that the first
    trends or ranking page a server process serves does not wait for it (1–2 s on the
    reference server; the report page draws nothing, reports/drawings.py). gunicorn calls it
    when a worker starts (parindex/warmup.py)."""
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: F401 - imported to warm up

    fig = Figure(figsize=(2, 1), dpi=100)
    ax = fig.add_subplot()
    ax.barh([0], [1.0], label="Năm")
    ax.set_yticks([0])
    ax.set_yticklabels(["Chỉ số"])
    ax.legend()
    fig.savefig(io.StringIO(), format="svg")


@dataclass(frozen=True)
class FieldPoint:
    code: str
    name: str
    index: Decimal | None
    previous_index: Decimal | None
    rank: int | None
    previous_rank: int | None


def _label(point: FieldPoint, width: int = 36) -> str:
    """ "7. Xây dựng và phát triển chính quyền điện," / "chính quyền số": two lines at most."""
    lines = textwrap.wrap(f"{point.code}. {point.name}", width=width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=width, placeholder="…")]
    return "\n".join(lines)


def _labels(points) -> list[str]:
    return [_label(p) for p in points]


def _figure(kind: str, points: tuple[FieldPoint, ...], year: int, ranked: int):
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    n = len(points)
    fig = Figure(figsize=(6.5, 0.38 * n + 0.85), dpi=100)
    ax = fig.add_subplot()
    ys = list(range(n))[::-1]
    labels = _labels(points)
    if kind == "index":
        has_prev = any(p.previous_index is not None for p in points)
        height = 0.38 if has_prev else 0.6
        now = [float(p.index or 0) for p in points]
        ax.barh(
            [y + (height / 2 if has_prev else 0) for y in ys],
            now,
            height=height,
            color=THIS_YEAR_COLOUR,
            label=f"Năm {year}",
        )
        for y, p in zip(ys, points, strict=True):
            if p.index is not None:
                ax.text(
                    float(p.index) + 0.6,
                    y + (height / 2 if has_prev else 0),
                    format_index(p.index),
                    va="center",
                    fontsize=8,
                )
        if has_prev:
            prev = [float(p.previous_index or 0) for p in points]
            ax.barh(
                [y - height / 2 for y in ys],
                prev,
                height=height,
                color=LAST_YEAR_COLOUR,
                label=f"Năm {year - 1}",
            )
            for y, p in zip(ys, points, strict=True):
                if p.previous_index is not None:
                    ax.text(
                        float(p.previous_index) + 0.6,
                        y - height / 2,
                        format_index(p.previous_index),
                        va="center",
                        fontsize=8,
                        color="#3d4752",
                    )
        lowest = min(
            [v for v in now if v] + [float(p.previous_index) for p in points if p.previous_index],
            default=0,
        )
        ax.set_xlim(max(0, (int(lowest) // 10) * 10 - 10), 104)
        ax.set_xlabel("Chỉ số (%)")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}"))
    else:
        for y, p in zip(ys, points, strict=True):
            if p.rank is None:
                continue
            if p.previous_rank is not None and p.previous_rank != p.rank:
                better = p.rank < p.previous_rank
                ax.annotate(
                    "",
                    xy=(p.rank, y),
                    xytext=(p.previous_rank, y),
                    arrowprops={"arrowstyle": "->", "color": "#1b7f3b" if better else "#b45309", "lw": 1.4},
                )
                ax.plot([p.previous_rank], [y], "o", color=LAST_YEAR_COLOUR, markersize=6)
            ax.plot([p.rank], [y], "o", color=THIS_YEAR_COLOUR, markersize=7)
            ax.text(p.rank, y + 0.28, str(p.rank), ha="center", fontsize=8)
        ax.plot([], [], "o", color=THIS_YEAR_COLOUR, label=f"Năm {year}")
        if any(p.previous_rank for p in points):
            ax.plot([], [], "o", color=LAST_YEAR_COLOUR, label=f"Năm {year - 1}")
        ax.set_xlim(ranked + 1, 0)
        ax.set_xticks([1, *range(10, ranked + 1, 10)])
        ax.set_xlabel(f"Thứ hạng (1 là cao nhất, trên {ranked})")
        ax.grid(axis="x", color="#e5e9ee", linewidth=0.6)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=9, linespacing=1.0)
    ax.set_ylim(-0.7, n - 0.3)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=9)
    _lay_out(fig, _layout_key(kind, points, labels, year, ranked))
    return fig


# The margins tight_layout finds depend on the texts around the axes (field names, legend,
# axis label, tick labels), not on the bars: they are the same for every redraw of a province's
# charts while its scores change. tight_layout lays out the figure once more to measure them,
# most of a first drawing's extra time; the margins are kept, in the process and in a small file
# per key under CACHE_DIR/chart-margins (so the other workers of the server and its next start
# find them), and set directly after the first time. Only a cache: the SVG is the same either
# way (tests/report/test_figures.py); a file that cannot be read or written is ignored.
_MARGINS: dict[tuple, dict[str, float]] = {}
_MARGINS_KEPT = 256
_MARGIN_NAMES = ("left", "right", "bottom", "top")


def _layout_key(
    kind: str, points: tuple[FieldPoint, ...], labels: list[str], year: int, ranked: int
) -> tuple:
    values = [float(v) for p in points for v in (p.index, p.previous_index) if v is not None]
    has_prev = any(p.previous_index is not None for p in points) if kind == "index" else None
    # A value label close to the right edge (an index near 100) may reach past the axes.
    near_edge = max((int(v) for v in values if v >= 98), default=None) if kind == "index" else None
    lowest = min([v for v in values if v], default=0) // 10 if kind == "index" else None
    return (kind, tuple(labels), year, ranked, has_prev, near_edge, lowest, len(points))


def _margins_file(key: tuple) -> Path:
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return Path(settings.CACHE_DIR) / "chart-margins" / f"{digest}.json"


def _stored_margins(key: tuple) -> dict[str, float] | None:
    try:
        stored = json.loads(_margins_file(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stored.get("key") != repr(key) or not all(isinstance(stored.get(n), float) for n in _MARGIN_NAMES):
        return None
    return {name: stored[name] for name in _MARGIN_NAMES}


def _store_margins(key: tuple, margins: dict[str, float]) -> None:
    path = _margins_file(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
            json.dump({"key": repr(key), **margins}, handle)
        os.replace(handle.name, path)
    except OSError:
        return


def _lay_out(fig, key: tuple) -> None:
    margins = _MARGINS.get(key) or _stored_margins(key)
    if margins is not None:
        fig.subplots_adjust(**margins)
    else:
        fig.tight_layout()
        pars = fig.subplotpars
        margins = {name: float(getattr(pars, name)) for name in _MARGIN_NAMES}
        _store_margins(key, margins)
    if len(_MARGINS) >= _MARGINS_KEPT:
        _MARGINS.clear()
    _MARGINS[key] = margins


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->|<metadata>.*?</metadata>", re.DOTALL)


@lru_cache(maxsize=64)
def svg_for(kind: str, points: tuple[FieldPoint, ...], year: int, ranked: int) -> str:
    fig = _figure(kind, points, year, ranked)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _COMMENT.sub("", _XML_DECL.sub("", buffer.getvalue()))
    # Scale with the page: drop the fixed size, keep the viewBox.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart-svg"', svg, count=1)
    # Two charts share one HTML page: give each its own ids (clip paths, markers).
    svg = svg.replace(' id="', f' id="{kind}-').replace("url(#", f"url(#{kind}-")
    svg = svg.replace('xlink:href="#', f'xlink:href="#{kind}-')
    return svg.strip()


@lru_cache(maxsize=64)
def png_for(kind: str, points: tuple[FieldPoint, ...], year: int, ranked: int) -> bytes:
    fig = _figure(kind, points, year, ranked)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200, metadata={"Software": None})
    return buffer.getvalue()


@dataclass(frozen=True)
class ChartSpec:
    kind: str
    points: tuple[FieldPoint, ...]
    year: int
    ranked: int

    def svg(self) -> str:
        return svg_for(self.kind, self.points, self.year, self.ranked)

    def png(self) -> bytes:
        return png_for(self.kind, self.points, self.year, self.ranked)


class LazyChart(Chart):
    """A Chart whose SVG and PNG are drawn when a renderer first asks."""

    def __init__(self, title: str, spec: ChartSpec, alt: str):
        super().__init__(title=title, svg="", key=spec.kind, alt=alt)
        self.spec = spec

    @property
    def svg_markup(self) -> str:
        return self.spec.svg()

    @property
    def png_bytes(self) -> bytes:
        return self.spec.png()


def index_chart(points: tuple[FieldPoint, ...], year: int) -> LazyChart:
    has_prev = any(p.previous_index is not None for p in points)
    title = f"Chỉ số các lĩnh vực năm {year}" + (f" so với năm {year - 1}" if has_prev else "")
    alt = "; ".join(
        f"Lĩnh vực {p.code}: {format_index(p.index)}%"
        + (f" (năm {year - 1}: {format_index(p.previous_index)}%)" if p.previous_index is not None else "")
        for p in points
    )
    return LazyChart(title, ChartSpec("index", points, year, 0), alt)


def rank_chart(points: tuple[FieldPoint, ...], year: int, ranked: int) -> LazyChart:
    title = f"Thứ hạng các lĩnh vực năm {year}" + (
        f" so với năm {year - 1}" if any(p.previous_rank for p in points) else ""
    )
    alt = "; ".join(
        f"Lĩnh vực {p.code}: hạng {p.rank}"
        + (f" (năm {year - 1}: hạng {p.previous_rank})" if p.previous_rank else "")
        for p in points
        if p.rank
    )
    return LazyChart(title, ChartSpec("rank", points, year, ranked), alt)
