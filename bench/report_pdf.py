"""Benchmark of the BC-SNV report: PDF against WeasyPrint alone, the HTML page, the .docx.

Run from the project root:  .venv/bin/python bench/report_pdf.py [--rounds 3] [--runs 5]
The PDF ratio alternates WeasyPrint alone and the whole PDF A-B-B-A (bench/alternate.py).
Uses the database in settings (SQLite by default) and loads the reference data if missing.
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

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments import permissions  # noqa: E402
from assessments.models import Assessment, Profile, Role  # noqa: E402
from assessments.reference_data import load_reference_data  # noqa: E402
from bench.alternate import alternate  # noqa: E402


def timed(fn, runs):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="runs of each secondary measure")
    parser.add_argument("--rounds", type=int, default=3, help="A-B-B-A rounds of the PDF ratio")
    args = parser.parse_args()
    runs = args.runs

    load_reference_data()
    assessment = Assessment.objects.select_related("subject", "framework").get(
        subject__code="70", framework__year=2023
    )

    from reports import charts
    from reports.cache import fingerprint, rendered_file
    from reports.compose import build_report
    from reports.docx import render_docx
    from reports.pdf import chart_documents, html_to_pdf, print_html, render_pdf

    rows = []

    start = time.perf_counter()
    pdf = render_pdf(build_report(assessment))
    rows.append(("PDF, first in a process (imports, fonts, charts drawn)", time.perf_counter() - start, None))

    # The same saved HTML for both measurements.
    report = build_report(assessment)
    saved_html = print_html(report)
    documents = chart_documents(report)
    Path("var").mkdir(exist_ok=True)
    Path("var/bench-report.html").write_text(saved_html, encoding="utf-8")

    # Alternated A-B-B-A, so that a change of load falls on both alike (a fixed order
    # inflated the ratio by 5-12 %); CPU time of this process besides wall time, since it
    # hardly depends on that load.
    def whole_pdf():
        nonlocal pdf
        pdf = render_pdf(build_report(assessment))

    timings = alternate(lambda: html_to_pdf(saved_html, documents), whole_pdf, args.rounds)
    alone, alone_min = statistics.median(timings.a.wall), min(timings.a.wall)
    full, full_min = statistics.median(timings.b.wall), min(timings.b.wall)
    rows.append(("WeasyPrint alone on the saved HTML (median)", alone, alone_min))
    rows.append(("PDF produced from the database (compose + HTML + WeasyPrint, median)", full, full_min))

    def compose_only():
        report = build_report(assessment)
        return print_html(report), chart_documents(report)

    compose_t, compose_min, _ = timed(compose_only, runs)
    rows.append(("  of which compose + HTML (charts cached, median)", compose_t, compose_min))

    def charts_cold():
        charts.svg_for.cache_clear()
        return compose_only()

    charts_t, charts_min, _ = timed(charts_cold, runs)
    rows.append(("  compose + HTML with both charts redrawn (median)", charts_t, charts_min))

    docx_t, docx_min, docx = timed(lambda: render_docx(build_report(assessment)), runs)
    rows.append(("Word .docx (median, PNG charts cached)", docx_t, docx_min))

    fp_t, fp_min, _ = timed(lambda: fingerprint(assessment), runs)
    rows.append(("Fingerprint (5 aggregate queries)", fp_t, fp_min))
    rendered_file(assessment, "pdf")
    hit_t, hit_min, hit = timed(lambda: rendered_file(assessment, "pdf"), runs)
    assert hit.from_cache
    rows.append(("Cached PDF download (fingerprint + stored bytes)", hit_t, hit_min))

    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-report")
    Profile.objects.update_or_create(
        user=user, defaults={"role": Role.PROCESS_OWNER, "province": permissions.province_of(assessment)}
    )
    client = Client()
    client.force_login(user)
    url = reverse("reports:detail", kwargs={"pk": assessment.pk})
    client.get(url)
    reset_queries()  # the debug query log is a bounded deque: empty it before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert b"88,01/100" in response.content
    page_t, page_min, _ = timed(lambda: client.get(url), runs)
    rows.append((f"HTML page GET {url} (median; {len(queries)} queries)", page_t, page_min))

    print(f"Database: {connection.vendor}; runs: {runs}; PDF {len(pdf):,} bytes, DOCX {len(docx):,} bytes")
    print(f"{'Measure':<75} {'median s':>9} {'min s':>7}")
    for label, median, minimum in rows:
        print(f"{label:<75} {median:>9.3f} {'' if minimum is None else f'{minimum:.3f}':>7}")
    print("\n".join(timings.summary("WeasyPrint alone", "PDF from the database")))
    print(
        f"Ratio PDF from database / WeasyPrint alone, CPU time (medians): {timings.ratio('cpu'):.3f} "
        "(target < 1,15)"
    )
    print(f"Ratio, wall time: {full / alone:.3f} (medians), {full_min / alone_min:.3f} (minima)")
    print(f"Load average at the end: {os.getloadavg()[0]:.2f} (1 min), CPUs: {os.cpu_count()}")
    print(f"HTML page queries: {len(queries)}")


if __name__ == "__main__":
    main()
