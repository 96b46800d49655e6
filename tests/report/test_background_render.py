"""Report files are rendered in the background: a download serves the newest file at once,
labelled with its data's time, queues at most one fresh rendering per report and format
(coalesced while the assessment is open), and a failed rendering is retried, logged and shown
to Sở Nội vụ without breaking a page."""

import logging
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from reports import cache, tasks
from reports.models import RenderedReport, RenderState
from tests.report.queue import change_a_score, run_queued
from tests.responses import close_download

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def download(a, fmt="pdf"):
    return reverse("reports:download", kwargs={"pk": a.pk, "fmt": fmt})


def detail(a):
    return reverse("reports:detail", kwargs={"pk": a.pk})


def files(a):
    return reverse("reports:files", kwargs={"pk": a.pk})


def body(response) -> bytes:
    """The file of a download (closed afterwards), or the page."""
    if not response.streaming:
        return response.content
    try:
        return b"".join(response.streaming_content)
    finally:
        close_download(response)


@pytest.fixture
def renders(monkeypatch):
    """Rendering replaced by a fast stand-in that counts its calls (the real renderers are
    tested in test_rendering.py); `renders.fail` makes the next calls raise."""

    class Calls:
        count = 0
        fail = False

    def fake(assessment, fmt):
        Calls.count += 1
        if Calls.fail:
            raise RuntimeError("WeasyPrint hết bộ nhớ")
        return f"{fmt} #{Calls.count}".encode()

    monkeypatch.setattr(cache, "render", fake)
    return Calls


# --- a download never waits -------------------------------------------------------------------


def test_first_download_says_the_file_is_being_prepared_and_queues_one_rendering(
    client, owner, sample_assessment, renders, queued_only
):
    client.force_login(owner)
    response = client.get(download(sample_assessment))
    assert response.status_code == 202
    page = body(response).decode()
    assert "đang được chuẩn bị" in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert renders.count == 0  # nothing rendered in the web request
    assert len(queued_only.results) == 1
    assert RenderedReport.objects.get(assessment=sample_assessment, format="pdf").state == RenderState.QUEUED

    assert client.get(download(sample_assessment)).status_code == 202
    assert len(queued_only.results) == 1  # already queued: not again

    run_queued(queued_only)
    response = client.get(download(sample_assessment))
    assert response.status_code == 200
    assert body(response) == b"pdf #1"
    assert response["X-Report-Cache"] == "hit"
    row = RenderedReport.objects.get(assessment=sample_assessment, format="pdf")
    stamp = timezone.localtime(row.data_as_of).strftime("%Y%m%d-%H%M")
    assert f'filename="bao-cao-chi-so-cchc-2023-70-so-lieu-{stamp}.pdf"' in response["Content-Disposition"]
    assert response["X-Report-Data-As-Of"] == timezone.localtime(row.data_as_of).isoformat(timespec="seconds")
    assert row.state == RenderState.IDLE


def test_after_a_change_the_old_file_comes_at_once_labelled_and_a_fresh_one_is_queued(
    client, owner, sample_assessment, renders, queued_only
):
    client.force_login(owner)
    client.get(download(sample_assessment, "docx"))
    run_queued(queued_only)
    old = RenderedReport.objects.get(assessment=sample_assessment, format="docx")
    change_a_score(sample_assessment)

    response = client.get(download(sample_assessment, "docx"))
    assert response.status_code == 200
    assert body(response) == b"docx #1"  # the newest file there is, without waiting
    assert response["X-Report-Cache"] == "stale"
    assert timezone.localtime(old.data_as_of).strftime("%Y%m%d-%H%M") in response["Content-Disposition"]
    assert renders.count == 1 and len(queued_only.results) == 1

    page = body(client.get(detail(sample_assessment))).decode()
    assert "Bản hiện có: " + cache.as_of_label(old.data_as_of) in page
    assert '<span class="file-pending">Đang tạo bản mới…</span>' in page
    assert "js/report-files.js" in page and "<script>" not in page

    run_queued(queued_only)
    response = client.get(download(sample_assessment, "docx"))
    assert body(response) == b"docx #2" and response["X-Report-Cache"] == "hit"
    assert '<span class="file-pending" hidden>' in body(client.get(detail(sample_assessment))).decode()


def test_cached_download_reads_the_stored_file_with_bounded_queries(
    client, owner, sample_assessment, renders, django_assert_max_num_queries
):
    client.force_login(owner)
    body(client.get(download(sample_assessment)))  # rendered at once by the test backend
    with django_assert_max_num_queries(10):
        response = client.get(download(sample_assessment))
    assert body(response) == b"pdf #1" and renders.count == 1


def test_real_rendering_runs_in_the_task_and_the_download_serves_it(client, owner, sample_assessment):
    client.force_login(owner)
    response = client.get(download(sample_assessment, "docx"))
    content = body(response)
    assert response.status_code == 200
    assert content.startswith(b"PK")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    row = RenderedReport.objects.get(assessment=sample_assessment, format="docx")
    assert row.size == len(content) and row.render_seconds > 0
    with cache.report_storage().open(row.file_name) as stored:
        assert stored.read() == content


def test_a_fresh_file_replaces_the_previous_one_in_storage(
    client, owner, sample_assessment, renders, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    body(client.get(download(sample_assessment)))
    first = RenderedReport.objects.get(assessment=sample_assessment, format="pdf").file_name
    change_a_score(sample_assessment)
    with django_capture_on_commit_callbacks(execute=True):
        body(client.get(download(sample_assessment)))
    second = RenderedReport.objects.get(assessment=sample_assessment, format="pdf").file_name
    storage = cache.report_storage()
    assert second != first and storage.exists(second)
    assert not storage.exists(first)  # deleted once the row pointed to the new file


# --- at most one rendering, coalesced while open ------------------------------------------------


def test_at_most_one_rendering_per_report_and_format(client, owner, sample_assessment, renders, queued_only):
    client.force_login(owner)
    for _ in range(3):
        client.get(download(sample_assessment, "pdf"))
    assert len(queued_only.results) == 1
    client.get(download(sample_assessment, "docx"))
    assert [r.args[1] for r in queued_only.results] == ["pdf", "docx"]
    # a duplicate task (say, queued twice by a lost-row recovery) finds nothing to do
    run_queued(queued_only)
    assert tasks.render_report_file.call(sample_assessment.pk, "pdf") == "skipped"
    assert renders.count == 2


def test_renderings_of_an_open_assessment_are_at_least_the_debounce_apart(
    client, owner, sample_assessment, renders, queued_only, settings
):
    settings.REPORT_RENDER_DEBOUNCE_SECONDS = 60
    Assessment.objects.filter(pk=sample_assessment.pk).update(phase=Assessment.Phase.SELF_ASSESSMENT)
    client.force_login(owner)
    client.get(download(sample_assessment))
    assert queued_only.results[0].task.run_after is None  # the first one at once
    run_queued(queued_only)
    first_queued = RenderedReport.objects.get(assessment=sample_assessment, format="pdf").queued_at

    change_a_score(sample_assessment)
    body(client.get(download(sample_assessment)))
    assert queued_only.results[0].task.run_after == first_queued + timedelta(seconds=60)
    row = RenderedReport.objects.get(assessment=sample_assessment, format="pdf")
    assert row.state == RenderState.QUEUED and row.run_after == first_queued + timedelta(seconds=60)


def test_a_published_assessment_renders_at_once(client, owner, sample_assessment, renders, queued_only):
    client.force_login(owner)
    client.get(download(sample_assessment))
    run_queued(queued_only)
    change_a_score(sample_assessment)
    body(client.get(download(sample_assessment)))
    assert queued_only.results[0].task.run_after is None


def test_a_rendering_lost_with_its_worker_is_queued_again(
    client, owner, sample_assessment, renders, queued_only
):
    client.force_login(owner)
    client.get(download(sample_assessment))
    RenderedReport.objects.filter(assessment=sample_assessment).update(
        state=RenderState.RUNNING, started_at=timezone.now() - timedelta(minutes=20)
    )
    client.get(download(sample_assessment))
    assert len(queued_only.results) == 2
    assert RenderedReport.objects.get(assessment=sample_assessment).state == RenderState.QUEUED


# --- failures -----------------------------------------------------------------------------------


def test_a_failed_rendering_is_retried_logged_and_shown_to_home_affairs_only(
    client, owner, viewer, sample_assessment, renders, caplog, settings
):
    settings.REPORT_RENDER_ATTEMPTS = 3
    renders.fail = True
    client.force_login(owner)
    with caplog.at_level(logging.ERROR, logger="reports.tasks"):
        response = client.get(download(sample_assessment))
    assert response.status_code == 202  # no file yet: the page says so, no error page
    assert renders.count == 3  # tried three times in all, then given up
    failures = [r for r in caplog.records if r.name == "reports.tasks"]
    assert len(failures) == 3 and "không thành công" in failures[0].getMessage()
    row = RenderedReport.objects.get(assessment=sample_assessment, format="pdf")
    assert row.state == RenderState.IDLE and row.attempts == 3
    assert row.last_error == "RuntimeError: WeasyPrint hết bộ nhớ"
    assert "Chưa tạo được tệp PDF" in body(response).decode()

    page = client.get(detail(sample_assessment))
    assert page.status_code == 200
    failed_at = timezone.localtime(row.last_error_at).strftime("%H:%M %d/%m/%Y")  # Vietnam time
    shown = f"Lần tạo gần nhất lúc {failed_at} không thành công (đã thử 3 lần): RuntimeError: WeasyPrint"
    assert shown in page.content.decode()
    assert "88,01/100 điểm" in page.content.decode()  # the report itself is still there
    client.force_login(viewer)
    assert "WeasyPrint" not in client.get(detail(sample_assessment)).content.decode()
    assert "WeasyPrint" not in client.get(files(sample_assessment)).content.decode()

    renders.fail = False
    client.force_login(owner)
    response = client.get(download(sample_assessment))
    assert response.status_code == 200 and body(response) == b"pdf #4"
    row.refresh_from_db()
    assert row.last_error == "" and row.attempts == 0


def test_a_failure_keeps_the_previous_file_downloadable(client, owner, sample_assessment, renders):
    client.force_login(owner)
    body(client.get(download(sample_assessment)))
    renders.fail = True
    change_a_score(sample_assessment)
    response = client.get(download(sample_assessment))
    assert response.status_code == 200 and body(response) == b"pdf #1"
    assert response["X-Report-Cache"] == "stale"


# --- the status the page polls ------------------------------------------------------------------


def test_files_status_is_json_for_readers_and_refused_to_department_editors(
    client, owner, editor, sample_assessment, renders, queued_only
):
    client.force_login(owner)
    client.get(download(sample_assessment, "docx"))
    data = client.get(files(sample_assessment)).json()["files"]
    assert [f["format"] for f in data] == ["pdf", "docx"]
    assert data[0]["ready"] is False and data[0]["pending"] is False
    assert data[1]["pending"] is True and data[1]["url"] == download(sample_assessment, "docx")
    run_queued(queued_only)
    data = client.get(files(sample_assessment)).json()["files"]
    row = RenderedReport.objects.get(format="docx")
    assert data[1]["pending"] is False and data[1]["as_of"] == cache.as_of_label(row.data_as_of)
    assert data[1]["as_of"].startswith("số liệu tính đến ")
    client.force_login(editor)
    assert (
        client.get(files(sample_assessment)).status_code == 404
    )  # the report is not a department editor's: as its page


# --- the real queue: the database backend and its worker ---------------------------------------


def test_the_database_queue_holds_the_rendering_until_the_worker_runs_it(
    client, owner, sample_assessment, renders, settings, monkeypatch
):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker closes stale connections between tasks; here its connection is the test's,
    # holding the test's transaction (on PostgreSQL closing it would end the test's data).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = DATABASE_QUEUE
    client.force_login(owner)
    assert client.get(download(sample_assessment)).status_code == 202
    assert DBTaskResult.objects.count() == 1 and renders.count == 0
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert renders.count == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    response = client.get(download(sample_assessment))
    assert response.status_code == 200 and body(response) == b"pdf #1"


def test_production_settings_queue_tasks_in_the_database():
    import parindex.settings as production

    assert production.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    # Installed under its own name, through parindex.apps.TasksConfig (named in Vietnamese).
    assert "parindex.apps.TasksConfig" in production.INSTALLED_APPS
    assert apps.is_installed("django_tasks_db")
