"""Scale simulation: a national ParIndex, measured page by page.

    .venv/bin/python bench/national_scale.py                  # small: 4 provinces × 3 years, ~1 min
    .venv/bin/python bench/national_scale.py --full           # national size, a few minutes, ~1,2 GB
    .venv/bin/python bench/national_scale.py --full --own-years 1  # own indices for the last year only

Generates, with bulk_create and COPY, in a dedicated PostgreSQL database on 127.0.0.1 (created, then
dropped unless --keep-db), at the full size (--full; the default run is the same on a small scale):
- 34 provinces × 10 years (2016–2025): a provincial framework per year (the 2023 tree, 133
  criteria), one assessment per province and year with every leaf scored, appraised and
  commented, and two history rows per score;
- each province's own index: ~20 departments and ~100 communes, each assessed every year
  (--own-years) against the department and the commune framework the province issues
  itself that year (~42 leaves each), one history row per score (two when appraised);
- per province 20 agencies (the departments that answer for the criteria, linked to the
  criteria), a Sở Nội vụ user and one editor per agency; submissions for the open year.

Then it times, in-process with Django's test client (median of --repeat runs after a
warm-up) and counts queries for: a department's entry page, the progress page, the home
page (--home editor|all), the province's own index (the ranking page of its communes and of
its departments, and the progress page of its communes' block), and the report views (open and
published year); and the database size (pg_database_size) and the largest tables.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import secrets
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.alternate import QueryCounter  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
BATCH = 5000
FIRST_YEAR = 2016
# The default run is small (a minute); --full is the national size the figures are quoted at.
SMALL = {"provinces": 4, "years": 3, "departments": 5, "communes": 10}
FULL = {"provinces": 34, "years": 10, "departments": 20, "communes": 100}


def admin_sql(statement: str, pg_url: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as connection:
        connection.execute(statement)


class Timer:
    def __init__(self):
        self.started = time.monotonic()
        self.steps: list[tuple[str, float]] = []

    def step(self, name: str) -> None:
        now = time.monotonic()
        self.steps.append((name, now - self.started))
        print(f"  {name}: {now - self.started:.1f} s", flush=True)
        self.started = now


def q4(value: float) -> Decimal:
    return Decimal(value).quantize(Decimal("0.0001"))


def tree_spec(fields: int, criteria_per_field: int, leaves_per_criterion: int, total: Decimal) -> list[tuple]:
    """(code, name, max, method) rows of a synthetic framework whose maxima add up."""
    rows = []
    leaf_max = q4(float(total) / (fields * criteria_per_field * leaves_per_criterion))
    for f in range(1, fields + 1):
        rows.append((str(f), f"Lĩnh vực {f}", None, "self"))
        for c in range(1, criteria_per_field + 1):
            rows.append((f"{f}.{c}", f"Tiêu chí {f}.{c}", None, "self"))
            for leaf in range(1, leaves_per_criterion + 1):
                rows.append((f"{f}.{c}.{leaf}", f"Tiêu chí thành phần {f}.{c}.{leaf}", leaf_max, "self"))
    return rows


def create_framework(year: int, kind: str, name: str, spec: list[tuple], owner=None):
    """bulk_create a framework tree level by level; maxima of parents are the sums."""
    from assessments.models import Criterion, Framework, sort_key_for

    framework = Framework.objects.create(year=year, subject_kind=kind, name=name, owner=owner)
    maxima: dict[str, Decimal] = {}
    for code, _name, maximum, _method in sorted(spec, key=lambda r: -r[0].count(".")):
        if maximum is not None:
            maxima[code] = maximum
        parent = code.rpartition(".")[0]
        if parent:
            maxima[parent] = maxima.get(parent, Decimal(0)) + maxima.get(code, Decimal(0))
    created: dict[str, object] = {}
    for level in range(1, 6):
        batch = [
            Criterion(
                framework=framework,
                parent=created.get(code.rpartition(".")[0]),
                code=code,
                name=name_,
                level=level,
                sort_key=sort_key_for(code),
                max_score=maxima[code],
                method=method,
            )
            for code, name_, _maximum, method in spec
            if code.count(".") + 1 == level
        ]
        if not batch:
            break
        for criterion in Criterion.objects.bulk_create(batch):
            created[criterion.code] = criterion
    return framework, created


def copy_reference_tree(source, year: int):
    from assessments.models import Criterion

    spec = [
        (c.code, c.name, c.max_score if not c.children.exists() else None, c.method)
        for c in Criterion.objects.filter(framework=source).order_by("sort_key")
    ]
    return create_framework(year, source.subject_kind, source.name, spec)


def generate(args, timer: Timer) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from assessments.models import (
        Agency,
        Assessment,
        Criterion,
        Framework,
        Profile,
        Role,
        Score,
        Subject,
        SubjectKind,
        Submission,
    )
    from assessments.reference_data import load_reference_data

    rng = random.Random(2025)
    load_reference_data()
    timer.step("reference data")
    provinces = list(
        Subject.objects.filter(kind=SubjectKind.PROVINCE, valid_until__isnull=True).order_by("code")
    )[: args.provinces]
    source = Framework.objects.get(year=2023, subject_kind=SubjectKind.PROVINCE)
    years = list(range(FIRST_YEAR, FIRST_YEAR + args.years))
    last_year = years[-1]
    province_frameworks = {}
    for year in years:
        framework = source if year == 2023 else copy_reference_tree(source, year)[0]
        province_frameworks[year] = framework
    own_years = years[-args.own_years :] if args.own_years else []
    own_frameworks = {}
    # Each province issues its own department and commune frameworks every year.
    department_spec = tree_spec(7, 3, 2, Decimal(100))
    commune_spec = tree_spec(7, 3, 2, Decimal(100))
    for year in own_years:
        for p in provinces:
            own_frameworks[(year, SubjectKind.DEPARTMENT, p.pk)] = create_framework(
                year, SubjectKind.DEPARTMENT, f"Chỉ số CCHC các sở, ban, ngành {p.name}", department_spec, p
            )[0]
            own_frameworks[(year, SubjectKind.COMMUNE, p.pk)] = create_framework(
                year, SubjectKind.COMMUNE, f"Chỉ số CCHC UBND cấp xã {p.name}", commune_spec, p
            )[0]
    timer.step(f"frameworks ({len(province_frameworks)} provincial, {len(own_frameworks)} own)")

    # Agencies: 20 per province; each level-2 criterion of every provincial framework is
    # answered for by one agency of every province.
    agency_names = [f"Sở số {n:02d}" for n in range(1, args.departments + 1)]
    agency_names[0] = "Sở Nội vụ"
    agencies = Agency.objects.bulk_create(
        [
            Agency(province=p, name=f"{name} tỉnh {p.name}", short_name=name, is_process_owner=(i == 0))
            for p in provinces
            for i, name in enumerate(agency_names)
        ]
    )
    agencies_of = {p.pk: [a for a in agencies if a.province_id == p.pk] for p in provinces}
    links = []
    Through = Criterion.agencies.through
    for framework in province_frameworks.values():
        level2 = list(Criterion.objects.filter(framework=framework, level=2).order_by("sort_key"))
        for index, criterion in enumerate(level2):
            for p in provinces:
                agency = agencies_of[p.pk][index % len(agencies_of[p.pk])]
                links.append(Through(criterion_id=criterion.pk, agency_id=agency.pk))
    Through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    timer.step(f"agencies ({len(agencies)}) and criterion links ({len(links)})")

    # Own-index subjects: departments and communes of every province.
    own_subjects = Subject.objects.bulk_create(
        [
            Subject(kind=SubjectKind.DEPARTMENT, name=f"{name} ({p.name})", parent=p)
            for p in provinces
            for name in agency_names
        ]
        + [
            Subject(kind=SubjectKind.COMMUNE, name=f"Xã số {n:03d} ({p.name})", parent=p)
            for p in provinces
            for n in range(1, args.communes + 1)
        ],
        batch_size=BATCH,
    )
    timer.step(f"own-index subjects ({len(own_subjects)})")

    now = timezone.now()
    assessments = []
    for year in years:
        for p in provinces:
            assessments.append(
                Assessment(
                    subject=p,
                    framework=province_frameworks[year],
                    phase=Assessment.Phase.SELF_ASSESSMENT
                    if year == last_year
                    else Assessment.Phase.PUBLISHED,
                    is_locked=year != last_year,
                    self_assessment_deadline=now + datetime.timedelta(days=7) if year == last_year else None,
                )
            )
        for s in own_subjects if year in own_years else []:
            assessments.append(
                Assessment(
                    subject=s,
                    framework=own_frameworks[(year, s.kind, s.parent_id)],
                    phase=Assessment.Phase.SELF_ASSESSMENT
                    if year == last_year
                    else Assessment.Phase.PUBLISHED,
                    is_locked=year != last_year,
                )
            )
    existing = set(Assessment.objects.values_list("subject_id", "framework_id"))
    assessments = [a for a in assessments if (a.subject_id, a.framework_id) not in existing]
    assessments = Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    timer.step(f"assessments ({len(assessments)})")

    leaves_of = {}
    for framework in list(province_frameworks.values()) + list(own_frameworks.values()):
        leaves_of[framework.pk] = list(
            Criterion.objects.filter(framework=framework, children__isnull=True).values_list(
                "pk", "max_score", "method"
            )
        )
    HistoricalScore = Score.history.model
    comments = [
        "Chưa ban hành kế hoạch kiểm tra công tác cải cách hành chính đúng thời hạn.",
        "Tài liệu kiểm chứng chưa đầy đủ; báo cáo gửi chậm so với quy định.",
        "",
        "",
    ]
    # Scores by COPY (bulk_create builds a Python object per row: ~10 times slower at this
    # size), then their history rows by INSERT … SELECT in the database.
    columns = (
        "assessment_id, criterion_id, applicable, self_score, explanation, appraised_score, "
        "appraisal_comment, response, recheck_comment, version, updated_at, self_figures, "
        "appraised_figures, appraised_override_reason"
    )
    scores_written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {Score._meta.db_table} ({columns}) FROM STDIN") as copy:
            for assessment in assessments:
                open_year = assessment.phase == Assessment.Phase.SELF_ASSESSMENT
                for criterion_id, maximum, method in leaves_of[assessment.framework_id]:
                    fraction = rng.choice((1, 1, 1, 0.9, 0.75, 0.5, 0))
                    self_score = None if method != "self" else q4(float(maximum) * max(fraction, 0.5))
                    appraised = None if open_year else q4(float(maximum) * fraction)
                    copy.write_row(
                        (
                            assessment.pk,
                            criterion_id,
                            True,
                            self_score,
                            "Đã thực hiện theo kế hoạch" if self_score is not None else "",
                            appraised,
                            "" if open_year or fraction == 1 else rng.choice(comments),
                            "",
                            "",
                            1 if open_year else 2,
                            now,
                            "",
                            "",
                            "",
                        )
                    )
                    scores_written += 1
        history = HistoricalScore._meta.db_table
        shared = (
            "id, assessment_id, criterion_id, applicable, self_score, explanation, response, "
            "recheck_comment, version, updated_at, self_figures, appraised_figures, appraised_override_reason"
        )
        # Table and column names come from the models, values are parameters.
        insert = f"INSERT INTO {history} ({shared}, appraised_score, appraisal_comment, history_date, history_type, change_source) "  # noqa: E501
        created = f"SELECT {shared}, NULL, '', %s, '+', 'form' FROM {Score._meta.db_table}"  # noqa: S608
        appraised = f"SELECT {shared}, appraised_score, appraisal_comment, %s, '~', 'import' FROM {Score._meta.db_table} WHERE appraised_score IS NOT NULL"  # noqa: E501, S608
        cursor.execute(insert + created, [now - datetime.timedelta(days=30)])
        cursor.execute(insert + appraised, [now - datetime.timedelta(days=10)])
    history_written = HistoricalScore.objects.count()
    timer.step(f"scores ({scores_written}) and history rows ({history_written})")

    User = get_user_model()
    password = make_password(secrets.token_urlsafe(12))
    users = User.objects.bulk_create(
        [User(username=f"snv{p.code}", password=password) for p in provinces]
        + [User(username=f"sb{a.pk}", password=password) for a in agencies],
        batch_size=BATCH,
    )
    by_name = {u.username: u for u in users}
    Profile.objects.bulk_create(
        [Profile(user=by_name[f"snv{p.code}"], role=Role.PROCESS_OWNER, province=p) for p in provinces]
        + [
            Profile(
                user=by_name[f"sb{a.pk}"], role=Role.DEPARTMENT_EDITOR, agency=a, province_id=a.province_id
            )
            for a in agencies
        ],
        batch_size=BATCH,
    )
    open_assessments = {
        a.subject_id: a for a in Assessment.objects.filter(framework=province_frameworks[last_year])
    }
    Submission.objects.bulk_create(
        [
            Submission(
                assessment=open_assessments[a.province_id],
                agency=a,
                status=Submission.Status.SUBMITTED if i % 3 == 0 else Submission.Status.DRAFT,
                submitted_at=now if i % 3 == 0 else None,
            )
            for i, a in enumerate(agencies)
        ],
        batch_size=BATCH,
    )
    timer.step(f"users ({len(users)}), profiles, submissions")
    return {
        "provinces": len(provinces),
        "years": len(years),
        "own_years": len(own_years),
        "departments_per_province": args.departments,
        "communes_per_province": args.communes,
        "assessments": Assessment.objects.count(),
        "scores": Score.objects.count(),
        "history_rows": HistoricalScore.objects.count(),
        "criteria": Criterion.objects.count(),
        "agencies": Agency.objects.count(),
        "subjects": Subject.objects.count(),
        "users": User.objects.count(),
    }


def measure(args) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from assessments import permissions, scoring
    from assessments.models import Agency, Assessment, SubjectKind

    sys.path.insert(0, str(PROJECT / "bench"))
    from load_db import report_urls

    target = (
        Assessment.objects.select_related("subject", "framework")
        .filter(
            subject__kind=SubjectKind.PROVINCE,
            subject__valid_until__isnull=True,
            framework__year=FIRST_YEAR + args.years - 1,
        )
        .order_by("subject__code")
        .first()
    )
    result = scoring.compute(target)
    with_users = set(Agency.objects.filter(profiles__isnull=False).values_list("pk", flat=True))
    counts: dict[int, int] = {}
    province_id = permissions.province_id_of(target)
    for node in result.leaves():
        for agency in node.responsible:
            if agency.province_id == province_id and agency.pk in with_users:
                counts[agency.pk] = counts.get(agency.pk, 0) + 1
    agency = Agency.objects.get(pk=max(counts, key=counts.get))
    from django.contrib.auth import get_user_model

    User = get_user_model()
    editor = User.objects.get(parindex_profile__agency=agency)
    owner = User.objects.get(username=f"snv{target.subject.code}")
    superuser = User.objects.filter(username="quantri-scale").first() or User.objects.create_superuser(
        "quantri-scale", password=secrets.token_urlsafe(12)
    )

    pages = [
        (
            "entry page (editor, own agency)",
            editor,
            reverse("assessments:entry", args=[target.pk, agency.pk]),
        ),
        ("progress page (Sở Nội vụ)", owner, reverse("assessments:progress", args=[target.pk])),
    ]
    if args.home in ("editor", "all"):
        pages.append(("home page (editor)", editor, reverse("assessments:home")))
    if args.home == "all":
        pages.append(("home page (Sở Nội vụ, its province)", owner, reverse("assessments:home")))
        pages.append(("home page (superuser)", superuser, reverse("assessments:home")))
    # The province's own index: its communes and departments ranked, the communes' progress.
    province_pk = target.subject.pk
    own_year = FIRST_YEAR + args.years - 1
    for kind, label in (("commune", "communes"), ("department", "departments")):
        url = reverse("reports:ranking", args=[province_pk]) + f"?nam={own_year}&khoi={kind}"
        pages.append(
            (f"ranking page ({args.communes if kind == 'commune' else args.departments} {label})", owner, url)
        )
    pages.append(
        (
            f"block progress page ({args.communes} communes)",
            owner,
            reverse("assessments:block_progress", args=[province_pk, own_year, "commune"]),
        )
    )
    published = (
        Assessment.objects.filter(subject=target.subject, phase=Assessment.Phase.PUBLISHED)
        .order_by("-framework__year")
        .first()
    )
    for assessment, when in ((target, "open year"), (published, "published year")):
        if assessment is None:
            continue
        for report in report_urls(assessment):
            pages.append((f"report {report['name']} ({when} {assessment.year})", owner, report["url"]))

    measured = {}
    for label, user, url in pages:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        started = time.perf_counter()
        try:
            first = client.get(url)
        except Exception as exc:
            measured[label] = {"url": url, "error": f"{type(exc).__name__}: {exc}"}
            print(f"  {label}: {measured[label]}", flush=True)
            continue
        cold = time.perf_counter() - started
        runs = []
        queries = None
        repeat = args.repeat if cold < 5 else 1
        for _ in range(repeat):
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                response = client.get(url)
                runs.append(time.perf_counter() - started)
            queries = counter.count
        measured[label] = {
            "url": url,
            "status": response.status_code,
            "first_ms": round(cold * 1000, 1),
            "median_ms": round(statistics.median(runs) * 1000, 1),
            "queries": queries,
            "bytes": len(response.content),
        }
        print(f"  {label}: {measured[label]}", flush=True)
        if first.status_code >= 500:
            measured[label]["error"] = f"HTTP {first.status_code}"
    return {"target": str(target), "agency": agency.name, "pages": measured}


def database_size() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 8"
        )
        tables = [{"table": name, "mb": round(size / 1024 / 1024, 1)} for name, size in cursor.fetchall()]
    return {"database_mb": round(total / 1024 / 1024, 1), "largest_tables": tables}


def main() -> None:
    parser = argparse.ArgumentParser(description="ParIndex national scale simulation (loopback only).")
    parser.add_argument(
        "--full",
        action="store_true",
        help="the national size: 34 provinces × 10 years × (1 + 20 departments + 100 communes)",
    )
    parser.add_argument("--provinces", type=int, help="default 4 (34 with --full)")
    parser.add_argument("--years", type=int, help="default 3 (10 with --full)")
    parser.add_argument("--departments", type=int, help="per province, default 5 (20 with --full)")
    parser.add_argument("--communes", type=int, help="per province, default 10 (100 with --full)")
    parser.add_argument("--own-years", type=int, help="years of own indices (default: every year)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--home",
        choices=["none", "editor", "all"],
        default="editor",
        help="home pages to time (editor by default; all adds Sở Nội vụ and a superuser)",
    )
    parser.add_argument("--pg", default=PG)
    parser.add_argument("--db", help="reuse this database (no generation) instead of a new one")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    for name, value in (FULL if args.full else SMALL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.own_years is None:
        args.own_years = args.years
    if "127.0.0.1" not in args.pg and "localhost" not in args.pg:
        raise SystemExit("PostgreSQL must be on 127.0.0.1")

    db_name = args.db or f"parindex_scale_{int(time.time())}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="parindex.settings",
        DATABASE_URL=f"{args.pg}/{db_name}",
        DEBUG="1",  # static files without collectstatic; timings are of views and queries
        DB_CONN_MAX_AGE="60",
        MPLCONFIGDIR=str(PROJECT / "var" / "matplotlib"),
        LOG_LEVEL="ERROR",
    )
    if not args.db:
        admin_sql(f'CREATE DATABASE "{db_name}"', args.pg)
    results: dict = {"settings": vars(args)}
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["testserver"]
        timer = Timer()
        if not args.db:
            call_command("migrate", verbosity=0)
            timer.step("migrate")
            results["data"] = generate(args, timer)
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            timer.step("analyze")
            results["generation_s"] = {name: round(seconds, 1) for name, seconds in timer.steps}
            print(json.dumps(results["data"], ensure_ascii=False))
        results["size"] = database_size()
        print(json.dumps(results["size"], ensure_ascii=False))
        results["measured"] = measure(args)
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db and not args.db:
            admin_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)', args.pg)
        else:
            print(f"database kept: {db_name}")


if __name__ == "__main__":
    main()
