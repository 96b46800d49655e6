"""Benchmark of a province's own index at commune scale: the ranking of 150 communes (scoring
alone, the page, the Excel annex) and the announcement PDF and Word.

Run from the project root:  .venv/bin/python bench/ranking.py [--units 150] [--runs 5]
Uses the database in settings (SQLite by default) in one transaction that is rolled back:
nothing is left behind. The communes' scores are generated (assessments.demo_units) and
written in bulk.
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments.demo_units import demo_framework, demo_score  # noqa: E402
from assessments.models import Assessment, Profile, Role, Score, Section, Subject, SubjectKind  # noqa: E402
from assessments.scoring import compute_framework, ranking  # noqa: E402
from bench.alternate import QueryCounter  # noqa: E402


class Rollback(Exception):
    pass


def count_queries(fn) -> int:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        fn()
    return counter.count


def timed(fn, runs):
    """(median wall time, median CPU time of this process, last result): the machine is shared,
    CPU time is the steadier figure."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu), result


def build(count: int):
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Đo Tải", code="BENCH")
    framework = demo_framework(province, 2030, SubjectKind.COMMUNE)
    leaves = list(compute_framework(framework).leaves())
    units = Subject.objects.bulk_create(
        Subject(kind=SubjectKind.COMMUNE, name=f"Xã Số {i:03d}", code=f"XB{i:03d}", parent=province)
        for i in range(count)
    )
    assessments = Assessment.objects.bulk_create(Assessment(subject=u, framework=framework) for u in units)
    scores = []
    for position, assessment in enumerate(assessments):
        for number, leaf in enumerate(leaves):
            if leaf.criterion.section == Section.MAIN:
                value = demo_score(position, number, leaf.max, 2030)
            else:
                value = leaf.max if (position + number) % 3 == 0 else 0
            scores.append(
                Score(
                    assessment=assessment, criterion=leaf.criterion, self_score=value, appraised_score=value
                )
            )
    Score.objects.bulk_create(scores, batch_size=2000)
    user = get_user_model().objects.create_user("bench-snv")
    Profile.objects.create(user=user, role=Role.PROCESS_OWNER, province=province)
    return province, user, len(scores)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from reports.announcement import build_announcement
    from reports.docx import render_docx
    from reports.pdf import render_pdf

    rows = []
    try:
        with transaction.atomic():
            province, user, score_count = build(args.units)
            kind = SubjectKind.COMMUNE
            queries = count_queries(lambda: ranking.rank_block(province, 2030, kind))
            median, best, block = timed(lambda: ranking.rank_block(province, 2030, kind), args.runs)
            rows.append(("ranking (scoring.ranking.rank_block)", median, best, queries))
            client = Client()
            client.force_login(user)
            url = reverse("reports:ranking", args=[province.pk])
            first = client.get(url, {"nam": 2030, "khoi": "xã"})  # charts drawn once per process
            assert first.status_code == 200, first.status_code
            assert first.content.decode().count('<td class="num rank">') == args.units
            queries_page = count_queries(lambda: client.get(url, {"nam": 2030, "khoi": "xã"}))
            median, best, _ = timed(lambda: client.get(url, {"nam": 2030, "khoi": "xã"}), args.runs)
            rows.append(("ranking page (HTML, charts cached)", median, best, queries_page))
            xlsx = reverse("reports:ranking_xlsx", args=[province.pk])
            median, best, _ = timed(lambda: client.get(xlsx, {"nam": 2030, "khoi": "xã"}), args.runs)
            rows.append(("ranking Excel annex", median, best, None))
            median, best, report = timed(lambda: build_announcement(province, 2030), args.runs)
            rows.append(("announcement composed", median, best, None))
            median, best, pdf = timed(lambda: render_pdf(report), args.runs)
            rows.append((f"announcement PDF ({len(pdf) // 1024} KB)", median, best, None))
            median, best, docx = timed(lambda: render_docx(report), args.runs)
            rows.append((f"announcement Word ({len(docx) // 1024} KB)", median, best, None))
            raise Rollback
    except Rollback:
        pass
    print(
        f"{args.units} communes, {len(block.ranked)} ranked, {score_count} scores; "
        f"medians of {args.runs} runs"
    )
    print(f"{'what':<42} {'wall s':>9} {'CPU s':>8} {'queries':>8}")
    for what, median, best, count in rows:
        print(f"{what:<42} {median:>9.3f} {best:>8.3f} {count if count is not None else '':>8}")


if __name__ == "__main__":
    main()
