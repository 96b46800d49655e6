"""The report's charts: matplotlib SVG with text as text (svg.fonttype "none") against glyph
paths, in size, drawing time and WeasyPrint layout time.

Run from the project root:  .venv/bin/python bench/report_charts.py [--runs 5]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")

import django

django.setup()

from assessments.models import Assessment  # noqa: E402
from assessments.reference_data import load_reference_data  # noqa: E402


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    load_reference_data()
    assessment = Assessment.objects.get(subject__code="70", framework__year=2023)

    import matplotlib
    from weasyprint import HTML

    from reports import charts
    from reports.compose import build_report
    from reports.pdf import BASE_URL, report_css, url_fetcher

    report = build_report(assessment)
    specs = [b.spec for b in report.blocks if b.kind == "chart"]
    print(f"{'svg.fonttype':<14} {'SVG bytes':>10} {'draw s':>8} {'PNG draw s':>11} {'WeasyPrint s':>13}")
    for fonttype in ("none", "path"):

        def draw(fonttype=fonttype):
            charts.svg_for.cache_clear()
            out = []
            for spec in specs:
                fig = charts._figure(spec.kind, spec.points, spec.year, spec.ranked)
                matplotlib.rcParams["svg.fonttype"] = fonttype  # read when saving
                import io

                buffer = io.StringIO()
                fig.savefig(buffer, format="svg")
                out.append(buffer.getvalue())
            return out

        draw_t = median_time(draw, runs)
        svgs = draw()
        size = sum(len(s.encode()) for s in svgs)
        documents = {f"{BASE_URL}charts/{i}.svg": s.encode() for i, s in enumerate(svgs)}
        html = (
            f"<html><head><style>{report_css()}</style></head><body>"
            + "".join(f'<figure class="chart"><img src="charts/{i}.svg"></figure>' for i in range(len(svgs)))
            + "</body></html>"
        )
        layout_t = median_time(
            lambda html=html, documents=documents: HTML(
                string=html, base_url=BASE_URL, url_fetcher=url_fetcher(documents)
            ).write_pdf(),
            runs,
        )

        def png(fonttype=fonttype):
            charts.png_for.cache_clear()
            for spec in specs:
                charts.png_for(spec.kind, spec.points, spec.year, spec.ranked)

        png_t = median_time(png, runs)
        print(f"{fonttype:<14} {size:>10,} {draw_t:>8.3f} {png_t:>11.3f} {layout_t:>13.3f}")
    matplotlib.rcParams["svg.fonttype"] = "none"


if __name__ == "__main__":
    main()
