"""A leader downloads the report after the data changed: the old file comes at once, labelled
with its data's time; the page says "Đang tạo bản mới…" (static/js/report-files.js polls, no
inline script) and announces the fresh file when the worker has made it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Assessment, Profile, Role
from reports import cache, tasks
from reports.models import RenderedReport
from tests.browser.entry_world import PASSWORD, login, watched_page
from tests.report.queue import QUEUED_ONLY, change_a_score


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stale_download_then_fresh_file_announced(chromium, live_server, screenshots, settings, monkeypatch):
    from assessments.reference_data import load_reference_data

    load_reference_data()
    settings.TASKS = QUEUED_ONLY  # the worker's turn is played by this test
    monkeypatch.setattr(cache, "render", lambda assessment, fmt: b"%PDF-1.7 " + fmt.encode())
    assessment = Assessment.objects.select_related("subject", "framework").get(
        subject__code="70", framework__year=2023
    )
    cache.render_and_store(assessment, "pdf")
    RenderedReport.objects.update(data_as_of=timezone.now() - timedelta(hours=2))
    old = RenderedReport.objects.get()
    change_a_score(assessment)
    user = get_user_model().objects.create_user(username="lanhdao", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.PROCESS_OWNER, province=assessment.subject)

    base = live_server.url
    context = chromium.new_context(
        viewport={"width": 1360, "height": 900}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        login(page, base, "lanhdao")
        page.goto(f"{base}/bao-cao/{assessment.pk}/")
        pdf = page.locator('.report-file[data-format="pdf"]')
        assert "Bản hiện có: " + cache.as_of_label(old.data_as_of) in pdf.inner_text()
        assert not pdf.locator(".file-pending").is_visible()

        with page.expect_download() as download:
            pdf.locator("a").click()
        stamp = timezone.localtime(old.data_as_of).strftime("%Y%m%d-%H%M")
        assert download.value.suggested_filename == f"bao-cao-chi-so-cchc-2023-70-so-lieu-{stamp}.pdf"
        pdf.locator(".file-pending").wait_for(state="visible", timeout=10_000)
        screenshots(page, "20-bao-cao-dang-tao-ban-moi", full_page=False)

        assert tasks.render_report_file.call(assessment.pk, "pdf") == "rendered"
        pdf.locator(".file-fresh").wait_for(state="visible", timeout=15_000)
        assert not pdf.locator(".file-pending").is_visible()
        new = RenderedReport.objects.get()
        assert "Bản hiện có: " + cache.as_of_label(new.data_as_of) in pdf.inner_text()
        screenshots(page, "21-bao-cao-ban-moi-san-sang", full_page=False)
        with page.expect_download() as download:
            pdf.locator("a").click()
        assert re.search(r"so-lieu-\d{8}-\d{4}\.pdf$", download.value.suggested_filename)
        assert download.value.suggested_filename != f"bao-cao-chi-so-cchc-2023-70-so-lieu-{stamp}.pdf"
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_drawn_by_the_worker_appear_without_a_reload(chromium, live_server, screenshots, settings):
    """The report page draws no chart (reports/drawings.py): the first time it shows where each
    chart will be and asks the worker; when the worker has drawn them, the page puts them in."""
    from assessments.reference_data import load_reference_data
    from reports import drawings
    from reports.compose import build_report

    load_reference_data()
    settings.TASKS = QUEUED_ONLY  # the worker's turn is played by this test
    assessment = Assessment.objects.select_related("subject", "framework").get(
        subject__code="70", framework__year=2023
    )
    user = get_user_model().objects.create_user(username="lanhdao", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.PROCESS_OWNER, province=assessment.subject)

    base = live_server.url
    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    page, errors = watched_page(context)
    try:
        login(page, base, "lanhdao")
        page.goto(f"{base}/bao-cao/{assessment.pk}/")
        waiting = page.locator("figure.chart[data-waiting]")
        assert waiting.count() == 2
        box = page.locator('figure.chart[data-chart="index"] .chart-wait')
        assert box.inner_text() == "Đang vẽ biểu đồ; biểu đồ sẽ tự hiện khi vẽ xong."
        box.scroll_into_view_if_needed()
        screenshots(page, "22-bao-cao-dang-ve-bieu-do", full_page=False)

        # The worker: draw what the page asked for.
        now = timezone.now().isoformat()
        for block in build_report(assessment).all_blocks():
            if block.kind == "chart":
                spec = block.spec
                assert (
                    drawings.draw_report_chart.call(
                        assessment.pk, drawings.spec_json(spec), drawings.spec_key(spec), now
                    )
                    == "drawn"
                )
        waiting.first.wait_for(state="detached", timeout=15_000)
        page.locator("figure.chart[data-waiting]").last.wait_for(state="detached", timeout=15_000)
        assert page.locator("figure.chart svg.chart-svg").count() == 2
        assert page.locator(".chart-note").count() == 0 and page.locator(".chart-wait").count() == 0
        # The drawing is the one the renderer makes, its text still text.
        assert "Năm 2023" in page.locator('figure.chart[data-chart="index"] svg').text_content()
        page.locator('figure.chart[data-chart="index"]').scroll_into_view_if_needed()
        screenshots(page, "23-bao-cao-bieu-do-da-ve", full_page=False)

        # A score changes: the page shows the kept drawing at once, says which data it is from,
        # and puts the new one in when the worker has drawn it.
        change_a_score(assessment)
        page.reload()
        note = page.locator('.chart-note[data-chart-note="index"]')
        kept = drawings.ChartDrawing.objects.get(assessment=assessment, kind="index")
        assert note.inner_text() == (
            f"Biểu đồ đang hiển thị vẽ theo {cache.as_of_label(kept.data_as_of)}; "
            "đang vẽ lại theo số liệu hiện tại."
        )
        assert page.locator('figure.chart[data-chart="rank"][data-waiting]').count() == 0  # no rank moved
        note.scroll_into_view_if_needed()
        screenshots(page, "24-bao-cao-bieu-do-cu-dang-ve-lai", full_page=False)
        page.set_viewport_size({"width": 390, "height": 844})
        note.scroll_into_view_if_needed()
        # report-phone.css (the page's only) applies: narrow margins, nothing scrolls sideways.
        assert (
            page.evaluate("parseFloat(getComputedStyle(document.querySelector('.paper')).paddingLeft)") < 20
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshots(page, "25-bao-cao-bieu-do-cu-dien-thoai", full_page=False)
        page.set_viewport_size({"width": 1360, "height": 900})
        now = timezone.now().isoformat()
        spec = next(b.spec for b in build_report(assessment).all_blocks() if getattr(b, "key", "") == "index")
        drawings.draw_report_chart.call(assessment.pk, drawings.spec_json(spec), drawings.spec_key(spec), now)
        note.wait_for(state="detached", timeout=15_000)
        assert page.locator("figure.chart[data-waiting]").count() == 0
        assert "Năm 2023" in page.locator('figure.chart[data-chart="index"] svg').text_content()
        assert not errors, errors
    finally:
        context.close()
