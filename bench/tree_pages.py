"""Benchmark of the pages that list a whole tree: a department's entry page and the council's
appraisal page, for frameworks of 100, 400 and 1 000 leaves (issue 14 §3).

Run from the project root:  .venv/bin/python bench/tree_pages.py [--sizes 100 400 1000] [--runs 7]
                            .venv/bin/python bench/tree_pages.py --profile 400   # cProfile of both pages

Builds, in a throw-away SQLite database (a temporary folder, migrated, deleted afterwards), for
each size a provincial framework of its own year laid out as offices write them — fields
(lĩnh vực) → sub-fields (tiêu chí) → leaves (tiêu chí thành phần), one leaf in ten with a
figures rule ("tỷ lệ", the department declares a / b), one in three with guidance — one
department that answers for every field, an open assessment and a score for every leaf
(self score and explanation; a council score and comment on two thirds). Then times, in-process
with Django's test client, the department editor's entry page (self-assessment phase) and the
appraiser's appraisal page (appraisal phase): median wall time and CPU time of this process
(time.process_time: the machine is shared) of --runs requests after a warm-up, the queries
issued and the size of the page. The load average is read before and after.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import statistics
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.alternate import QueryCounter, Side  # noqa: E402

EXPLANATION = "Đã ban hành kế hoạch và tổ chức thực hiện; tài liệu kiểm chứng kèm theo."
COMMENT = "Tài liệu kiểm chứng chưa đầy đủ; đề nghị bổ sung báo cáo kết quả thực hiện."
GUIDANCE = "Ban hành đúng thời hạn: điểm tối đa.\nBan hành chậm: 0 điểm."


def setup_django(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    os.environ.setdefault("AXES_ENABLED", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def shape(leaves: int) -> tuple[int, int, int]:
    """(fields, sub-fields per field, leaves per sub-field) for about `leaves` leaves."""
    return {100: (5, 4, 5), 400: (8, 5, 10), 1000: (10, 10, 10)}.get(leaves) or (
        10,
        max(1, leaves // 100),
        10,
    )


def build(leaves: int, province, agency, year: int):
    """A framework of `leaves` leaves that `agency` answers for, an open assessment, scores."""
    from assessments import scoring
    from assessments.decimals import round_score
    from assessments.models import Assessment, Criterion, CriterionAgency, Framework, Score, sort_key_for

    fields, subs, per_sub = shape(leaves)
    framework = Framework.objects.create(year=year, name=f"Bộ tiêu chí {leaves} tiêu chí thành phần")
    leaf_max = Decimal(100) / (fields * subs * per_sub)
    leaf_max = round_score(leaf_max)
    ratio = scoring.parse_notation("tỷ lệ [số nhiệm vụ hoàn thành / tổng số nhiệm vụ]")

    def criterion(code: str, name: str, maximum: Decimal, parent=None, **extra) -> Criterion:
        return Criterion(
            framework=framework,
            parent=parent,
            code=code,
            name=name,
            level=code.count(".") + 1,
            sort_key=sort_key_for(code),
            max_score=maximum,
            **extra,
        )

    top = Criterion.objects.bulk_create(
        criterion(str(f), f"Lĩnh vực {f}: công tác cải cách hành chính", leaf_max * subs * per_sub)
        for f in range(1, fields + 1)
    )
    middle = Criterion.objects.bulk_create(
        criterion(f"{p.code}.{s}", f"Tiêu chí {p.code}.{s} về thực hiện nhiệm vụ", leaf_max * per_sub, p)
        for p in top
        for s in range(1, subs + 1)
    )
    made = []
    number = 0
    for parent in middle:
        for n in range(1, per_sub + 1):
            number += 1
            leaf = criterion(
                f"{parent.code}.{n}",
                f"Tiêu chí thành phần {parent.code}.{n}: mức độ hoàn thành nhiệm vụ được giao trong năm",
                leaf_max,
                parent,
                guidance=GUIDANCE if number % 3 == 0 else "",
            )
            if number % 10 == 0:
                ratio.apply_to(leaf)
            made.append(leaf)
    made = Criterion.objects.bulk_create(made)
    CriterionAgency.objects.bulk_create(
        CriterionAgency(criterion=c, agency=agency, is_lead=True) for c in top
    )
    assessment = Assessment.objects.create(
        subject=province,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=10),
    )
    scores = []
    for number, leaf in enumerate(made):
        figures = ""
        if leaf.rule_kind != "none":
            figures = "38/41"
            self_score = round_score(leaf_max * 38 / 41)
        else:
            self_score = round_score(leaf_max * Decimal((10 - number % 4) / 10))
        appraised = number % 3 != 2
        scores.append(
            Score(
                assessment=assessment,
                criterion=leaf,
                self_score=self_score,
                self_figures=figures,
                explanation=EXPLANATION,
                appraised_score=round_score(self_score * Decimal("0.9")) if appraised else None,
                appraised_figures=figures if appraised else "",
                appraisal_comment=COMMENT if appraised and number % 2 else "",
            )
        )
    Score.objects.bulk_create(scores, batch_size=2000)
    return assessment, len(made)


def measure(client, url: str, runs: int, check) -> dict:
    from django.db import connection

    first = client.get(url)  # warm-up: templates compiled, caches filled
    assert first.status_code == 200, (url, first.status_code)
    check(first.content.decode())
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        client.get(url)
    timed = Side()
    for _ in range(runs):
        timed.run(lambda: client.get(url))
    return {
        "wall": statistics.median(timed.wall) * 1000,
        "cpu": statistics.median(timed.cpu) * 1000,
        "queries": counter.count,
        "kb": len(first.content) // 1024,
    }


def profile(client, url: str, title: str) -> None:
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        client.get(url)
    profiler.disable()
    print(f"\n=== cProfile: {title} (3 requests), by cumulative time")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    print(f"=== cProfile: {title}, by own time")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400, 1000])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (after a warm-up)")
    parser.add_argument("--profile", type=int, metavar="SIZE", help="print a cProfile of both pages instead")
    args = parser.parse_args()
    sizes = [args.profile] if args.profile else args.sizes

    with tempfile.TemporaryDirectory(prefix="parindex-tree-") as folder:
        setup_django(folder)
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from assessments.models import Agency, Assessment, Profile, Role, Subject, SubjectKind

        province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Đo Tải", code="BENCH")
        Agency.objects.create(province=province, name="Sở Nội vụ", short_name="SNV", is_process_owner=True)
        agency = Agency.objects.create(province=province, name="Sở Đo Tải", short_name="SĐT")
        editor = get_user_model().objects.create_user("bench-editor")
        Profile.objects.create(user=editor, role=Role.DEPARTMENT_EDITOR, agency=agency, province=province)
        appraiser = get_user_model().objects.create_user("bench-council")
        Profile.objects.create(user=appraiser, role=Role.APPRAISER, province=province)
        editor_client, council_client = Client(), Client()
        editor_client.force_login(editor)
        council_client.force_login(appraiser)

        load_before = os.getloadavg()
        results = []
        for index, size in enumerate(sizes):
            assessment, leaves = build(size, province, agency, 2040 + index)

            def entry_check(html, leaves=leaves):
                assert html.count('class="score-input') == leaves, html.count('class="score-input')

            def appraisal_check(html, leaves=leaves):
                assert html.count('class="score-input"') == leaves, html.count('class="score-input"')

            entry_url = reverse("assessments:entry", args=[assessment.pk, agency.pk])
            appraisal_url = reverse("assessments:appraisal", args=[assessment.pk])
            if args.profile:
                profile(editor_client, entry_url, f"entry page, {leaves} leaves")
            else:
                results.append((leaves, "entry", measure(editor_client, entry_url, args.runs, entry_check)))
            Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.APPRAISAL)
            if args.profile:
                profile(council_client, appraisal_url, f"appraisal page, {leaves} leaves")
            else:
                results.append(
                    (leaves, "appraisal", measure(council_client, appraisal_url, args.runs, appraisal_check))
                )
        load_after = os.getloadavg()
        from django.db import connections

        connections.close_all()
    if args.profile:
        return
    print(
        f"medians of {args.runs} requests after a warm-up; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after, {os.cpu_count()} CPUs"
    )
    print(f"{'leaves':>6}  {'page':<10} {'wall ms':>8} {'CPU ms':>8} {'queries':>8} {'KB':>6}")
    for leaves, page, r in results:
        print(f"{leaves:>6}  {page:<10} {r['wall']:>8.0f} {r['cpu']:>8.0f} {r['queries']:>8} {r['kb']:>6}")


if __name__ == "__main__":
    main()
