"""Database side of bench/load_test.py, run in the environment of the server under test.

    python bench/load_db.py seed --users 50 --viewers 5 --out plan.json
    python bench/load_db.py verify --plan plan.json --acks acks.json

`seed` loads the reference data, opens a 2024 self-assessment for Bình Phước (the 2023
framework copied), creates the department users (spread over the agencies, each given its
own criteria so that two simulated users never type into the same box) and a few leaders
who download the report, and writes the plan the client follows.

`verify` checks every save the server acknowledged (a 302 after the POST): the history row
with that save's unique explanation exists with the same score, and each criterion's current
value is its owner's last acknowledged save.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")

PASSWORD = "tai-kiem-tra-2024"  # noqa: S105 - throwaway accounts in a throwaway database
YEAR = 2024


def setup_django():
    import django

    django.setup()


def report_urls(assessment) -> list[dict]:
    """What a leader opens: the report page, then its PDF and Word files in turn."""
    from django.urls import reverse

    pages = [{"name": "report page GET", "url": reverse("reports:detail", kwargs={"pk": assessment.pk})}]
    for fmt in ("pdf", "docx"):
        url = reverse("reports:download", kwargs={"pk": assessment.pk, "fmt": fmt})
        pages.append({"name": f"report file .{fmt} GET", "url": url})
    return pages


def seed(args) -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse
    from django.utils import timezone

    from assessments import scoring
    from assessments.models import Assessment, Framework, Profile, Role, Subject, SubjectKind
    from assessments.reference_data import load_reference_data
    from assessments.services.setup import copy_framework, open_assessment

    load_reference_data()
    sample = Assessment.objects.select_related("subject", "framework").get(
        subject__code="70", framework__year=2023
    )
    framework = copy_framework(Framework.objects.get(pk=sample.framework_id), YEAR)
    province = Subject.objects.get(pk=sample.subject_id)
    assert province.kind == SubjectKind.PROVINCE
    assessment = open_assessment(
        province,
        framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=7),
    )
    result = scoring.compute(assessment)
    agencies = sorted(
        {agency for node in result.leaves() for agency in node.responsible} - {None},
        key=lambda agency: agency.pk,
    )
    own_leaves = {
        agency.pk: [
            node.criterion.pk
            for node in scoring.lead_leaves(result, agency.pk)
            if not node.is_survey and not node.criterion.rule.takes_figures  # a typed score, not figures
        ]
        for agency in agencies
    }
    agencies = [agency for agency in agencies if own_leaves[agency.pk]]
    maxima = {node.criterion.pk: str(node.max) for node in result.leaves()}

    User = get_user_model()
    password = make_password(PASSWORD)  # one hash for all: PBKDF2 is slow on purpose
    users = []
    editors_of: dict[int, list[str]] = {}
    for number in range(args.users):
        agency = agencies[number % len(agencies)]
        username = f"canbo{number:02d}"
        user = User.objects.create(username=username, password=password, first_name=f"Cán bộ {number:02d}")
        Profile.objects.create(user=user, role=Role.DEPARTMENT_EDITOR, agency=agency, province=province)
        editors_of.setdefault(agency.pk, []).append(username)
        users.append({"username": username, "agency": agency.pk, "kind": "editor"})
    criteria_of = {}
    taken: set[int] = set()
    for agency_pk, names in editors_of.items():
        # Each criterion is scored by its lead agency only; within it, each goes to one
        # simulated user only, so that a refused save (someone else changed the box since the page
        # was opened — the app's conflict check) never happens by construction.
        leaves = [cid for cid in own_leaves[agency_pk] if cid not in taken]
        taken.update(leaves)
        for index, username in enumerate(names):
            criteria_of[username] = leaves[index :: len(names)]
    for user in users:
        user["criteria"] = criteria_of[user["username"]]
        user["entry_url"] = reverse("assessments:entry", args=[assessment.pk, user["agency"]])
    for number in range(args.viewers):
        username = f"lanhdao{number:02d}"
        user = User.objects.create(username=username, password=password, first_name=f"Lãnh đạo {number:02d}")
        Profile.objects.create(user=user, role=Role.PROCESS_OWNER, agency=None, province=province)
        users.append({"username": username, "kind": "viewer", "criteria": []})
    plan = {
        "password": PASSWORD,
        "assessment": assessment.pk,
        "login_url": reverse("login"),
        "home_url": reverse("assessments:home"),
        "progress_url": reverse("assessments:progress", args=[assessment.pk]),
        "reports": report_urls(assessment),
        "report_files_url": reverse("reports:files", kwargs={"pk": assessment.pk}),
        "maxima": maxima,
        "users": users,
    }
    Path(args.out).write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    covered = sum(len(u["criteria"]) for u in users)
    print(
        f"seeded: assessment {assessment.pk}, {len(agencies)} agencies, {args.users} editors "
        f"({covered} criteria assigned), {args.viewers} leaders, {len(plan['reports'])} report urls"
    )


def renders(assessment: int) -> dict:
    """What the report worker did: its tasks by name and outcome, each stored file, and the
    report page's charts it drew (reports/drawings.py)."""
    from collections import Counter

    from django_tasks_db.models import DBTaskResult

    from reports.models import ChartDrawing, RenderedReport

    files = RenderedReport.objects.filter(assessment_id=assessment).order_by("format")
    drawn = ChartDrawing.objects.filter(assessment_id=assessment).exclude(svg="").order_by("kind")
    tasks = DBTaskResult.objects.values_list("task_path", "status")
    return {
        "tasks": {f"{path.rsplit('.', 1)[-1]} {status}": n for (path, status), n in Counter(tasks).items()},
        "files": [
            {"format": f.format, "render_s": round(f.render_seconds, 2), "error": f.last_error[:200]}
            for f in files
        ],
        "charts": [
            {"kind": c.kind, "draw_s": round(c.draw_seconds, 3), "error": c.last_error[:200]} for c in drawn
        ],
    }


def verify(args) -> None:
    setup_django()
    from assessments.models import Score

    plan = json.loads(Path(args.plan).read_text())
    acks = json.loads(Path(args.acks).read_text())
    assessment = plan["assessment"]
    history = Score.history.filter(assessment_id=assessment)
    by_explanation = {}
    for row in history.values("explanation", "self_score", "history_user__username"):
        by_explanation.setdefault(row["explanation"], []).append(row)
    missing = []
    for ack in acks:
        rows = by_explanation.get(ack["explanation"], [])
        if not any(
            row["self_score"] == Decimal(ack["self_score"]) and row["history_user__username"] == ack["user"]
            for row in rows
        ):
            missing.append(ack)
    last: dict[int, dict] = {}
    for ack in sorted(acks, key=lambda a: a["acked_at"]):
        last[ack["criterion"]] = ack
    current = {
        score.criterion_id: score
        for score in Score.objects.filter(assessment_id=assessment, criterion_id__in=list(last))
    }
    stale = [
        {
            "criterion": cid,
            "expected": ack["explanation"],
            "found": getattr(current.get(cid), "explanation", None),
        }
        for cid, ack in last.items()
        if current.get(cid) is None
        or current[cid].explanation != ack["explanation"]
        or current[cid].self_score != Decimal(ack["self_score"])
    ]
    report = {
        "renders": renders(assessment),
        "acknowledged_saves": len(acks),
        "found_in_history": len(acks) - len(missing),
        "missing": missing[:20],
        "missing_count": len(missing),
        "criteria_checked": len(last),
        "stale_current_values": stale[:20],
        "stale_count": len(stale),
        "history_rows": history.count(),
    }
    print(json.dumps(report, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seed_parser = commands.add_parser("seed")
    seed_parser.add_argument("--users", type=int, default=50)
    seed_parser.add_argument("--viewers", type=int, default=5)
    seed_parser.add_argument("--out", required=True)
    verify_parser = commands.add_parser("verify")
    verify_parser.add_argument("--plan", required=True)
    verify_parser.add_argument("--acks", required=True)
    args = parser.parse_args()
    {"seed": seed, "verify": verify}[args.command](args)


if __name__ == "__main__":
    main()
