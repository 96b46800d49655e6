"""Benchmark: importing national-scale annex tables, beside openpyxl's bare read time.

    .venv/bin/python bench/import_national.py                    # SQLite in a temporary folder
    .venv/bin/python bench/import_national.py --database-url postgres://postgres@127.0.0.1:5432/parindex_bench

Generates one workbook with a sheet per province (63 provinces × the 2023 annex: 133
criteria + the TỔNG ĐIỂM row = 134 rows, laid out as offices send it: title rows, merged
title cells, the header repeated mid-table, numbers alternately numeric cells and text with
a decimal comma, italic comments). Then, in a fresh database holding the reference data:

1. bare read: openpyxl.load_workbook(read_only=True, data_only=True) and iterating every
   row's values;
2. import: assessments.exchange reading the workbook (safety checks included), parsing and
   checking every sheet against the 2023 framework, and writing 63 × 101 scores with their
   history rows, in one transaction (rolled back after each timed run);

the two alternated A-B-B-A (--repeat rounds, bench/alternate.py), and reports time, rows
per second, the import/bare-read ratio and peak Python memory
(tracemalloc, in a separate run rolled back afterwards so it does not slow the timed run).
With a PostgreSQL URL the database is created, then dropped unless --keep-db.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.alternate import alternate  # noqa: E402


def setup_django(database_url: str | None, folder: str) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    os.environ.setdefault("AXES_ENABLED", "0")
    if database_url and database_url.startswith("postgres"):
        import psycopg

        base, _, name = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from assessments.models import Assessment
    from assessments.reference_data import load_reference_data

    load_reference_data()
    # The shipped sample is published and locked; the benchmark re-imports its year, as an
    # office does after Sở Nội vụ unlocks it.
    Assessment.objects.update(is_locked=False)


def drop_database(database_url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def build_workbook(provinces, seed: int) -> tuple[bytes, int]:
    """A sheet per province, each the 2023 annex with random (consistent) scores."""
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Font

    from assessments import scoring
    from assessments.decimals import format_score, round_score
    from assessments.models import Criterion, Framework, Score, ScoringMethod

    rng = random.Random(seed)
    framework = Framework.objects.get(year=2023, subject_kind="province")
    criteria = list(Criterion.objects.filter(framework=framework).order_by("sort_key"))
    parents = {c.code.rpartition(".")[0] for c in criteria}
    leaves = [c for c in criteria if c.code not in parents]
    header = [
        "STT",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "Điểm chuẩn",
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        "Ý kiến hội đồng thẩm định",
    ]
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for province in provinces:
        scores = {}
        for leaf in leaves:
            appraised = round_score(leaf.max_score * Decimal(rng.randint(60, 100)) / 100)
            self_score = None if leaf.method != ScoringMethod.SELF_ASSESSED else leaf.max_score
            scores[leaf.code] = Score(self_score=self_score, appraised_score=appraised, applicable=True)
        fields, by_code = scoring.roll_up_table(criteria, scores)
        total = scoring.Result(framework=framework, fields=fields, by_code=by_code)
        ws = wb.create_sheet(title=province.code)
        ws.append(["ỦY BAN NHÂN DÂN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
        ws.merge_cells("A1:C1")
        ws.merge_cells("D1:F1")
        ws.append([f"PHỤ LỤC – KẾT QUẢ CHỈ SỐ CCHC NĂM 2023 CỦA {province.title.upper()}"])
        ws.merge_cells("A2:F2")
        ws.append([])
        ws.append(header)
        for position, criterion in enumerate(criteria):
            if position == 70:
                ws.append(header)
            node = by_code[criterion.code]
            as_text = position % 2 == 1
            values = [node.max, node.self_score, node.appraised]
            cells = [(format_score(v) if as_text else v) if v is not None else None for v in values]
            ws.append([criterion.code, criterion.name, *cells])
            if node.is_leaf and node.appraised < node.max:
                ws.cell(row=ws.max_row, column=6).value = CellRichText(
                    TextBlock(InlineFont(i=True), "Theo kết quả thẩm định:"),
                    f" đạt {format_score(node.appraised)}/{format_score(node.max)} điểm.",
                )
            elif node.is_leaf and node.is_survey:
                ws.cell(row=ws.max_row, column=6).value = (
                    "Kết quả SIPAS 2023" if node.method == "people_survey" else "Kết quả điều tra xã hội học"
                )
            if criterion.level == 1:
                for c in ws[ws.max_row]:
                    c.font = bold
        ws.append(["TỔNG ĐIỂM", None, total.max, total.self_score, format_score(total.appraised)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), len(provinces) * (len(criteria) + 1)


def bare_read(data: bytes) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = 0
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            rows += 1
    wb.close()
    return rows


def import_all(data: bytes) -> list[str]:
    """The whole import, as `import_annex PATH --year 2023 --all-sheets` runs it: read (with
    the safety checks), parse, check, write; one transaction."""
    from assessments.exchange.annex import import_annex_workbook

    outcome = import_annex_workbook(data, 2023, filename="national.xlsx")
    return [str(e) for e in outcome.errors]


def peak_memory(function, *args) -> tuple[float, object]:
    tracemalloc.start()
    try:
        result = function(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024 / 1024, result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--repeat", type=int, default=3, help="A-B-B-A rounds (default 3)")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--database-url", help="PostgreSQL URL of a database to create (default: SQLite)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        setup_django(args.database_url, folder)
        import datetime

        from django.db import connection, transaction

        from assessments.models import Score, Subject

        provinces = list(
            Subject.objects.filter(kind="province").valid_on(datetime.date(2023, 12, 31)).order_by("code")
        )[: args.provinces]
        started = time.perf_counter()
        data, rows = build_workbook(provinces, args.seed)
        print(
            f"workbook: {len(provinces)} sheets, {len(data) / 1024:.0f} KiB, built in "
            f"{time.perf_counter() - started:.1f} s"
        )

        def rolled_back_import():
            with transaction.atomic():
                errors = import_all(data)
                transaction.set_rollback(True)
            if errors:
                raise SystemExit("\n".join(errors[:20]))

        # Alternated A-B-B-A, so that a change of load falls on both alike.
        timings = alternate(lambda: bare_read(data), rolled_back_import, args.repeat)
        bare_peak, _ = peak_memory(bare_read, data)
        import_peak, _ = peak_memory(rolled_back_import)
        # And once for real, to show what it writes.
        scores_before = Score.objects.count()
        import_all(data)
        written = Score.objects.count() - scores_before
        history = Score.history.filter(change_source="import").count()
        print(f"database: {connection.vendor}; rows read by openpyxl: {bare_read(data)}")
        print("\n".join(timings.summary("bare openpyxl read", "import (rolled back)")))
        best, best_cpu = min(timings.b.wall), min(timings.b.cpu)
        print(
            f"import: {rows} table rows, best {best:.2f} s wall, {best_cpu:.2f} s CPU = "
            f"{rows / best:,.0f} rows/s; peak {import_peak:.1f} MiB (bare read {bare_peak:.1f} MiB); "
            f"writes {written} new scores and {history} history rows"
        )
        print(
            f"import / bare read: {timings.ratio('cpu'):.2f}× CPU, {timings.ratio('wall'):.2f}× wall "
            "(medians of the alternated runs)"
        )
        if args.database_url and not args.keep_db:
            drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
