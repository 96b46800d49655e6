"""What the crawl of every page found English in the admin (tests/browser/test_crawl_every_page.py),
checked here page by page without a browser: the catalogues in locale/vi (committed compiled),
the yes/no icons, the search icon, the permissions of an account, the background tasks, the
two-list selector's script strings and django-axes' records."""

import gettext
import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from tests.browser.crawl import english_words

LOCALE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalogue_is_compiled_from_its_source(domain, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed (scripts/system-packages.sh)")
    subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "fresh.mo"), str(LOCALE / f"{domain}.po")], check=True
    )
    with (tmp_path / "fresh.mo").open("rb") as fresh, (LOCALE / f"{domain}.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog, (
            f"run `python manage.py compilemessages -l vi --ignore=.venv` and commit {domain}.mo"
        )


def test_django_and_its_apps_speak_vietnamese_where_their_catalogues_do_not():
    with translation.override("vi"):
        for english, vietnamese in [
            ("Models in the %(name)s application", "Các mục dữ liệu của %(name)s"),
            ("Show counts", "Hiện số lượng"),
            ("Sessions", "Phiên đăng nhập"),
            ("Task Results", "tác vụ nền"),
            ("Raw passwords are not stored, so there is no way to see the user’s password.", None),
            ("Change reason", "Lý do thay đổi"),
        ]:
            said = translation.gettext(english)
            assert said != english, english
            assert vietnamese is None or said == vietnamese, said
        assert translation.pgettext("Task", "Successful") == "Xong"


@pytest.fixture
def root_client(client, db):
    root = get_user_model().objects.create_superuser("root", "root@example.test", "x-test-pass-123")
    client.force_login(root)
    return client, root


def _english(html: str) -> list[str]:
    """English in the page's text and in the attributes a user reads or hears."""
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.DOTALL)
    attributes = re.findall(r'(?:alt|title|placeholder|aria-label)="([^"]*)"', text)
    text = re.sub(r"<[^>]+>", " ", text)
    return english_words(unescape("\n".join([text, *attributes])), {"root"})


def test_admin_lists_and_forms_leave_no_english(root_client, reference_data):
    client, root = root_client
    index = client.get(reverse("admin:index")).content.decode()
    assert "Tasks Database Backend" not in index and "Task Results" not in index
    assert "Tác vụ nền" in index and "Các mục dữ liệu của" in index
    agencies = client.get(reverse("admin:assessments_agency_changelist")).content.decode()
    assert 'alt="True"' not in agencies and 'alt="False"' not in agencies
    assert 'alt="Có"' in agencies and 'alt="Tìm kiếm"' in agencies
    account = client.get(reverse("admin:auth_user_change", args=[root.pk])).content.decode()
    assert "Can add" not in account and "Can view" not in account
    assert "Phiên đăng nhập | Thêm phiên đăng nhập" in account
    for html in (index, agencies, account):
        assert _english(html) == []


def test_background_tasks_in_vietnamese(root_client):
    client, _root = root_client
    now = timezone.now()
    task = DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [7, "pdf"], "kwargs": {}},
        task_path="reports.tasks.render_report_file",
        backend_name="default",
        run_after=now,
        started_at=now,
        finished_at=now,
    )
    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    page = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk])
    ).content.decode()
    for html in (listing, page):
        assert "Tạo tệp báo cáo" in html and "Xong" in html
        assert _english(html) == []
    assert "7, pdf" in page and "DBTaskResult" not in page


def test_the_admin_scripts_strings_are_vietnamese(root_client):
    client, _root = root_client
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    for vietnamese in ["Chọn tất cả %s", "Gõ vào ô này để lọc danh sách %s đã chọn.", "Thứ hai"]:
        assert json.dumps(vietnamese) in catalogue, vietnamese  # the catalogue escapes non-ASCII


def test_login_throttling_records_are_named_in_vietnamese():
    from axes.models import AccessAttempt, AccessLog

    when = timezone.make_aware(timezone.datetime(2025, 3, 31, 17, 0))
    assert (
        str(AccessLog(username="snv", attempt_time=when)) == "Lượt đăng nhập của snv lúc 17:00:00 31/03/2025"
    )
    assert str(AccessAttempt(username="snv", attempt_time=when)).startswith("Đăng nhập sai của snv")
