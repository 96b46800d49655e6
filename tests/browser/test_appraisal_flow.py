"""In the browser, as the council and Sở Nội vụ use them: the appraisal page (what the
department declared beside the team's boxes, a corrected figure giving the score and the
totals live, take the self score of a field, search without accents), on a desktop and at
390 px; the progress page during appraisal; the history page's search; and Ctrl+P (print
media) on the appraisal, progress and report pages. Screenshots in test-output/screenshots."""

import re
from decimal import Decimal

import pytest

from assessments.models import Assessment, Profile, Role, Score
from tests.appraisal.world import scored_world
from tests.browser.entry_world import login
from tests.entry import conftest as entry_fixtures

# The workflow tests' small world and its named users, reused as fixtures here.
agencies, make_user, small = entry_fixtures.agencies, entry_fixtures.make_user, entry_fixtures.small

PASSWORD = "x-test-pass-123"  # tests.entry.conftest.make_user's
D = Decimal


@pytest.fixture
def context_at(chromium):
    made = []

    def make(width, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        made.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield make
    for context in made:
        context.close()


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"trang rộng {width} px"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_council_appraises_with_everything_on_one_screen(context_at, live_server, small, screenshots):
    a = scored_world(small)
    c = small["criteria"]
    Score.objects.filter(assessment=a, criterion=c["1.2"]).update(appraised_score=D("1.5"))
    page, base = context_at(1360), live_server.url
    login(page, base, "dave", PASSWORD)
    page.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/")
    row = page.locator(f"#tc-{c['1.1'].pk}")
    assert "từ số liệu 40/41" in row.inner_text() and "Hoàn thành 40 nhiệm vụ" in row.inner_text()
    assert "Chủ trì: Sở Tư pháp" in row.inner_text()
    link = row.locator("a:has-text('ke-hoach-2031.pdf')")
    assert link.get_attribute("target") == "_blank"
    assert page.locator("#figure-check-title").inner_text() == "Đối chiếu số liệu"
    field_total = page.locator('output[data-subtotal-value="1"]')
    overall = page.locator("output[data-overall-value]")
    assert field_total.inner_text() == "1,5" and overall.inner_text() == "1,5"
    # A corrected figure gives the score, as the server computes it (half to even).
    page.fill(f"#id_figures_{c['1.1'].pk}", "38/41")
    assert page.input_value(f"#id_score_{c['1.1'].pk}") == "0,9268"
    assert "→ điểm 0,9268" in row.inner_text()
    assert field_total.inner_text() == "2,4268" and overall.inner_text() == "2,4268"
    page.fill(f"#id_figures_{c['1.1'].pk}", "42/41")
    assert "Tử số lớn hơn mẫu số." in row.inner_text()
    page.fill(f"#id_figures_{c['1.1'].pk}", "38/41")
    page.fill(f"#id_comment_{c['1.1'].pk}", "Hai nhiệm vụ chưa hoàn thành")
    screenshots(page, "appraisal-1-desktop-typed")
    page.click("button.primary:has-text('Lưu')")
    page.wait_for_selector(".message.success")
    assert "Đã lưu 1 tiêu chí." in page.inner_text(".messages")
    score = Score.objects.get(assessment=a, criterion=c["1.1"])
    assert score.appraised_score == D("0.9268") and score.appraised_figures == "38/41"
    # Take the self score for field 2 (not yet appraised): saved at once.
    page.click("button[name='take_field'][value='2']")
    page.wait_for_selector(".message.success")
    assert "Đã lấy điểm tự đánh giá cho 1 tiêu chí: 2.1." in page.inner_text(".messages")
    assert page.locator("output[data-overall-value]").inner_text() == "4,9268"  # 0,9268 + 1,5 + 2,5
    assert Score.objects.get(assessment=a, criterion=c["2.1"]).appraised_score == D("2.5")
    screenshots(page, "appraisal-2-desktop-saved")
    # Search without accents, then a filter.
    page.fill("#f-q", "tham dinh")
    page.click("button:has-text('Lọc')")
    page.wait_for_url(re.compile(r"q=tham\+dinh"))
    assert page.locator("tr.leaf").count() == 1 and page.locator(f"#tc-{c['1.2'].pk}").is_visible()
    page.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/?changed=1")
    assert [page.locator("tr.leaf td.code").nth(i).inner_text() for i in range(2)] == ["1.1", "1.2"]
    screenshots(page, "appraisal-3-desktop-filtered")
    # Ctrl+P: a clean table, values instead of boxes, no header, filters or buttons.
    page.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator("form.filters").is_visible()
    assert not page.locator(f"#id_score_{c['1.1'].pk}").is_visible()
    assert "0,9268 (38/41)" in page.locator(f"#tc-{c['1.1'].pk}").inner_text()
    assert not page.locator("button:has-text('Lấy điểm TĐG')").first.is_visible()
    screenshots(page, "appraisal-4-print")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_appraisal_page_on_a_phone(context_at, live_server, small, screenshots):
    a = scored_world(small)
    c = small["criteria"]
    page, base = context_at(390, 844), live_server.url
    login(page, base, "dave", PASSWORD)
    page.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/")
    _no_sideways_scroll(page)
    box = page.locator(f"#id_figures_{c['1.1'].pk}")
    box.scroll_into_view_if_needed()
    assert box.is_visible()
    box.fill("41/41")
    assert page.input_value(f"#id_score_{c['1.1'].pk}") == "1"
    screenshots(page, "appraisal-5-phone")
    save = page.locator("button.primary:has-text('Lưu')")
    assert save.is_visible()  # the sticky save bar stays within reach
    save.click()
    page.wait_for_selector(".message.success")
    assert Score.objects.get(assessment=a, criterion=c["1.1"]).appraised_score == D("1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_progress_follows_the_phase_and_prints_as_a_table(context_at, live_server, small, screenshots):
    a = scored_world(small)
    page, base = context_at(1360), live_server.url
    login(page, base, "alice", PASSWORD)
    page.goto(f"{base}/danh-gia/{a.pk}/tien-do/")
    assert page.inner_text("h1") == "Tiến độ thẩm định"
    assert page.locator("th:has-text('Đã thẩm định / tổng số')").is_visible()
    assert page.locator("button:has-text('Trả lại')").count() == 0
    screenshots(page, "progress-1-appraisal")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible() and not page.locator(".panels").is_visible()
    assert page.locator("table.progress").is_visible()
    screenshots(page, "progress-2-print")
    page.emulate_media(media="screen")
    Assessment.objects.filter(pk=a.pk).update(phase=Assessment.Phase.EXPLANATION)
    Score.objects.filter(assessment=a, criterion=small["criteria"]["1.2"]).update(appraised_score=D("1"))
    page.reload()
    assert page.inner_text("h1") == "Tiến độ giải trình"
    assert "0 / 1" in page.inner_text("table.progress")  # only 1.2 was lowered (2 -> 1)
    phone = context_at(390, 844)
    login(phone, base, "alice", PASSWORD)
    phone.goto(f"{base}/danh-gia/{a.pk}/tien-do/")
    screenshots(phone, "progress-3-explanation-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_history_search_finds_a_criterion_without_accents(context_at, live_server, small, screenshots):
    a = scored_world(small)
    c = small["criteria"]
    page, base = context_at(1360), live_server.url
    login(page, base, "dave", PASSWORD)
    page.goto(f"{base}/danh-gia/{a.pk}/tieu-chi/{c['1.1'].pk}/lich-su/")
    page.fill("#h-q", "tham dinh van ban")
    page.click("button:has-text('Tìm')")
    page.wait_for_selector(".search-results")
    assert "1 tiêu chí" in page.inner_text(".search-results h2")
    page.click(".search-results a:has-text('1.2')")
    page.wait_for_url(re.compile(rf"/tieu-chi/{c['1.2'].pk}/lich-su/"))
    assert "Công tác thẩm định văn bản quy phạm" in page.inner_text("main")
    screenshots(page, "history-search")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ctrl_p_on_the_report_prints_the_report_alone(context_at, live_server, reference_data, screenshots):
    from django.contrib.auth import get_user_model

    assessment = Assessment.objects.select_related("subject").get(subject__code="70", framework__year=2023)
    user = get_user_model().objects.create_user(username="snv", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.PROCESS_OWNER, province=assessment.subject)
    page, base = context_at(1360), live_server.url
    login(page, base, "snv", PASSWORD)
    page.goto(f"{base}/bao-cao/{assessment.pk}/")
    assert page.locator(".report-toolbar").is_visible()
    page.emulate_media(media="print")
    for hidden in ("header.topbar", ".report-toolbar", ".report-notes", ".figure-check", "footer.footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".paper .report-doc").first.is_visible()
    text = page.inner_text("body")
    assert "Đăng xuất" not in text and "Tải PDF" not in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    screenshots(page, "report-print", full_page=False)
