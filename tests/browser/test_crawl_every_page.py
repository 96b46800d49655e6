"""Every page, as each role finds it (issue 13: "the crawl of every page as each role finds no
English word, no error and no page over 1 s").

On the demo's data (the reference data and `load_demo_accounts`: Bình Phước 2023 published,
2024 in self-assessment, the province's block of departments) with an assessment in every
phase, evidence, an extension, a report text, an API token, a failed login and a background
task, each account signs in through the login form in Chromium and opens every page its links
reach (tests/browser/crawl.py), the admin included for the superuser (every model's list, add
and change page) and for Sở Nội vụ's staff account (lists and change pages). Each page answers
below 400, without a console or script error, in `<html lang="vi">`, in less than a second,
with no English word. One screenshot of each kind of page per role goes to
test-output/screenshots/crawl/<role>/, and the pages with their times to report.txt there."""

import datetime
import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from api.models import ApiToken
from api.tokens import create_token
from assessments import scoring, services
from assessments.demo_units import DEMO_BLOCK_YEAR, unit_code
from assessments.management.commands.load_demo_accounts import DEMO_PASSWORD, province_in_year
from assessments.models import Agency, Assessment, Profile, Role, Subject, SubjectKind
from parindex.warmup import warm_up
from reports.services import save_narrative
from tests.browser.conftest import SCREENSHOTS
from tests.browser.crawl import crawl, page_words
from tests.browser.entry_world import PDF, fill_except

REPORT = SCREENSHOTS / "crawl"


def _admin_but_add_forms(name: str) -> bool:
    """The superuser's admin pages: every list, change form, import page, history and delete
    page, the account pages; an add form only for accounts (another model's add form shows the
    fields of its change form, which the data gives nearly every model)."""
    return not name.endswith("_add") or name == "admin:auth_user_add"


def _admin_lists(name: str) -> bool:
    """Sở Nội vụ's staff account: the lists, change forms and histories its rights open."""
    return name in ("admin:index", "admin:app_list") or name.endswith(("_changelist", "_change", "_history"))


# role (the screenshot folder), username, pages of each of the site's URL patterns (two where
# the role's pages differ from one assessment's phase to another's), which admin pages it opens
ROLES = [
    ("quan-tri", "admin", 1, _admin_but_add_forms),
    ("so-noi-vu", "snv", 2, _admin_lists),
    ("hoi-dong-tham-dinh", "thamdinh", 2, None),
    ("lanh-dao", "lanhdao", 1, None),
    ("can-bo-so", "cb-stp", 2, None),
    ("can-bo-don-vi", "cb-syt", 2, None),
    ("chua-co-tinh", "chuacotinh", 1, None),
]
MAX_PAGES = 150


def crawl_world():
    """The demo's world, with an assessment in each phase and one of each record the admin
    lists. Returns the words of the data an English check should let pass (user names, agency
    short names)."""
    call_command("load_demo_accounts", stdout=StringIO())
    User = get_user_model()
    province = province_in_year("70", 2024)
    snv = User.objects.get(username="snv")
    # Sở Nội vụ's officer also keeps the province's data in the admin, as a staff account.
    snv.is_staff = True
    snv.save()
    snv.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["assessments", "reports"])
    )
    officers = Group.objects.create(name="Chuyên viên Sở Nội vụ")
    officers.permissions.set(Permission.objects.filter(content_type__app_label="assessments"))
    # An account an administrator has not yet given a province (after an upgrade).
    orphan = User.objects.create_user(
        username="chuacotinh", password=DEMO_PASSWORD, first_name="Hà", last_name="Trần Thu"
    )
    Profile.objects.create(user=orphan, role=Role.VIEWER)

    # Bình Phước 2024: Sở Tư pháp has saved its part but two criteria, with a piece of evidence,
    # and has three more days; the 2023 report has its document number.
    current = Assessment.objects.get(subject=province, framework__year=2024)
    stp = Agency.objects.get(province=province, short_name="STP")
    editor = User.objects.get(username="cb-stp")
    fill_except(current, stp, editor, keep=("1.1", "2.1.1"))
    leaf = next(n for n in scoring.lead_leaves(scoring.compute(current), stp.pk) if not n.is_survey)
    services.add_evidence(
        user=editor,
        assessment=current,
        agency=stp,
        criterion=leaf.criterion,
        upload=SimpleUploadedFile("ke-hoach-cchc-2024.pdf", PDF, content_type="application/pdf"),
    )
    services.extend_deadline(
        user=snv,
        assessment=current,
        agency=stp,
        until=timezone.now() + datetime.timedelta(days=13),
        reason="Sở Tư pháp xin thêm thời gian tổng hợp số liệu",
    )
    published = Assessment.objects.get(subject=province, framework__year=2023)
    save_narrative(published, snv, {"document_number": "215/BC-SNV"})
    create_token(actor=snv, owner=snv, name="Bảng tổng hợp của Sở")

    # The block of departments: explanation, re-check, published; next year in preparation.
    units = {
        unit.code: Assessment.objects.get(subject=unit, framework__year=DEMO_BLOCK_YEAR)
        for unit in Subject.objects.filter(kind=SubjectKind.DEPARTMENT, parent=province)
    }
    in_a_week = timezone.now() + datetime.timedelta(days=7)
    for code, phase in [
        ("07", Assessment.Phase.EXPLANATION),
        ("08", Assessment.Phase.RECHECK),
        ("06", Assessment.Phase.PUBLISHED),
    ]:
        services.set_phase(
            user=snv, assessment=units[unit_code(code)], phase=phase, explanation_deadline=in_a_week
        )
    block = units[unit_code("01")].framework
    following = services.copy_framework(
        block, DEMO_BLOCK_YEAR + 1, name=block.name.replace(str(DEMO_BLOCK_YEAR), str(DEMO_BLOCK_YEAR + 1))
    )
    services.open_assessment(units[unit_code("01")].subject, following, phase=Assessment.Phase.PREPARATION)

    # A report file made in the background (production's database queue; tests run tasks at once).
    now = timezone.now()
    DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [published.pk, "pdf"], "kwargs": {}},
        task_path="reports.tasks.render_report_file",
        backend_name="default",
        run_after=now,
        started_at=now,
        finished_at=now,
        return_value="pdf",
    )
    return {
        *User.objects.values_list("username", flat=True),
        *Agency.objects.exclude(short_name="").values_list("short_name", flat=True),
        *ApiToken.objects.values_list("prefix", flat=True),
    }


def login(page, base, username, password=DEMO_PASSWORD):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def summary(reports, built, total):
    lines = [f"data {built:.1f} s, everything {total:.1f} s"]
    for report in reports:
        slow = ", ".join(f"{v.name} {v.seconds:.2f} s" for v in report.slowest())
        lines.append(
            f"{report.role}: {len(report.visits)} pages, {len(report.downloads)} downloads, "
            f"{sum(report.skipped.values())} links not followed; slowest: {slow}"
        )
    visits = [v for r in reports for v in r.visits]
    first_only = [f"{v.name} {v.seconds:.2f} s then {v.again:.2f} s" for v in visits if v.again is not None]
    if first_only:
        lines.append("slow once, then fast: " + "; ".join(first_only))
    return lines


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_page_as_each_role_is_vietnamese_error_free_and_fast(chromium, live_server, reference_data):
    started = time.perf_counter()
    allowed = crawl_world()
    # As gunicorn's workers do before their first request (parindex/gunicorn.conf.py).
    warm_up()
    built = time.perf_counter() - started
    reports, problems = [], []
    for role, username, per_pattern, admin_view in ROLES:
        context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        try:
            if role == "quan-tri":  # a mistyped password first: the lockout's records in the admin
                login(page, live_server.url, username, "sai-mat-khau")
                if "Đăng nhập" not in page.title() or page.locator(".errorlist, .error").count() == 0:
                    problems.append(f"{role}: the login form says nothing of a wrong password")
                problems.extend(f"login page: {word}" for word in page_words(page))
            login(page, live_server.url, username)
            page.wait_for_url(f"{live_server.url}/")
            report = crawl(
                page,
                live_server.url,
                role,
                per_pattern=per_pattern,
                max_pages=MAX_PAGES,
                admin_view=admin_view or (lambda name: False),
                shots=REPORT / role,
                allowed=allowed,
            )
        finally:
            context.close()
        reports.append(report)
        problems.extend(f"{role}: {problem}" for problem in report.problems)
    lines = summary(reports, built, time.perf_counter() - started)
    visits = [
        f"{r.role} {v.status} {v.seconds:.3f} s (server {v.server:.3f} s) {v.name} {v.url}"
        for r in reports
        for v in sorted(r.visits, key=lambda v: v.seconds, reverse=True)
    ]
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / "report.txt").write_text("\n".join([*lines, "", *problems, "", *visits]) + "\n")
    print("\n".join(lines))
    assert not problems, "\n".join(problems)
    assert all(len(r.visits) >= 5 for r in reports), lines
