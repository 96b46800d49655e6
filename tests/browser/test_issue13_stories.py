"""Issue 13 ("The council's day and the departments' day"), story by story, in Chromium.

Each story of the issue, and each point of it, walked as its user walks it; screenshots in
test-output/screenshots/ (desktop 1360 px and, where a phone matters, 390 px). The tests of
this file are named test_storyN_…; the others live beside the feature they were written with.
Files: AF = test_appraisal_flow, EP = test_entry_page_flow, EF = test_entry_figures_flow,
NF = test_notifications_flow, here = this file; tests/report/test_docx_layout (LibreOffice).

| story | point                                                    | walked by                              |
|-------|----------------------------------------------------------|----------------------------------------|
| 1     | score, declared figures, explanation, evidence (new tab), | AF the_council_appraises_with_         |
|       | responsible agency, own score and remark on one screen    | everything_on_one_screen; AF on_a_phone|
|       | last year's appraised score                               | here story1                            |
|       | filters: field, agency, below max, not yet appraised      | here story1                            |
|       | filter "changed from self score"; search                  | AF everything_on_one_screen            |
|       | "take the self score": one row / a whole field            | here story1 / AF everything_on_one_... |
|       | live total per field and overall                          | AF everything_on_one_screen, story1    |
|       | fast with 400 rows                                        | tests/appraisal/test_appraisal_queries |
|       |                                                           | (queries and time; not a browser test) |
| 2     | explanation asked only where the council lowered a score  | here story3 (only Sở Tư pháp asked,    |
|       |                                                           | 0 / 1); AF progress_follows_the_phase  |
|       | the council's remark readable where the department answers| EP explanation_remark_readable_…       |
| 3     | progress title and actions follow the phase               | AF progress_follows_the_phase…; story3 |
|       | moving phase warns which agencies have not submitted      | here story3                            |
| 4     | scoring method and guidance beside the field              | here story4 (desktop, 390);            |
|       |                                                           | EF declares_figures ("Cách tính điểm") |
|       | the council's remark in the explanation phase             | EP explanation_remark_readable_…       |
|       | subtotal's maximum counts what the agency enters ("/ 6")  | here story4                            |
| 5     | after submission and during appraisal the page says so    | here story5 (desktop, 390)             |
|       | home to-do says "bị trả lại" with the reason              | here story5 (desktop, 390)             |
|       | after the lock: part and results reached, no 403          | EP …results_after_the_lock; story5     |
| 6     | upload message beside its row; "Tải lên" without a file;  | EP entry_page_on_a_phone_with_         |
|       | the same file twice listed once                           | evidence_feedback                      |
| 7     | bell with unread count; part returned (with the comment)  | NF returned_part_reaches_its_editor…   |
|       | by e-mail (locmem outbox)                                 | (desktop, 390); here story7            |
|       | part submitted → Sở Nội vụ (bell and e-mail)              | here story7                            |
|       | phase change → everyone; explanation requested            | here story3                            |
|       | deadline extended; assessment reopened                    | here story7                            |
|       | each person turns e-mail off and gets none                | here story7                            |
|       | reminders before deadlines stay                           | here story5 (the to-do's deadline);    |
|       |                                                           | tests/entry/test_reminders (sending)   |
| 8     | entry page at 390 px: cards, save bar reachable           | EP entry_page_on_a_phone…; EF          |
|       |                                                           | figures_on_a_phone                     |
| 9     | Ctrl+P on the report prints the report alone              | AF ctrl_p_on_the_report…               |
|       | entry page prints as a clean table                        | here story9                            |
|       | appraisal (and progress) page prints as a clean table     | AF everything_on_one_screen,           |
|       |                                                           | progress_follows_the_phase             |
|       | a department downloads its part as Excel                  | test_part_export_flow (desktop, 390 px)|
| 10    | lang="vi" on every page                                   | here story10 (and EP required_field…)  |
|       | required-field message set by the page                    | EP required_field_message_…; story10   |
|       | number message when a wrong number is typed               | here story10                           |
|       | dates typed and shown dd/mm/yyyy, 24-hour                 | here story7 (extension), story3        |
|       |                                                           | (explanation deadline), story10 (the   |
|       |                                                           | American form refused); EP required_…  |
|       | admin: login throttling and "Show counts" in Vietnamese   | here story10 (what is Vietnamese now)  |
| 11    | search on the entry page: by code, by words w/o accents   | here story11; EF declares_figures      |
|       | search on the appraisal page: by code, by words           | here story11 (desktop, 390); AF        |
|       | search on the history page                                | AF history_search_finds_…              |
| 12    | a risen field's draft: direction and amount, criteria     | here story12 (report page and editor,  |
|       | that lost points with the points, agencies, what was done | desktop and 390)                       |
|       | well, no contradiction; a fallen field's                  |                                        |
|       | one rule for last year's figure, stated where used        | here story12; tests/report/test_drafts |
| 13    | the Word file laid out by LibreOffice: motto and title    | tests/report/test_docx_layout (PNGs of |
|       | lines whole, recipients with the signature, page count    | the first pages: word-trang-NN.png)    |
"""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from assessments import services
from assessments.decimals import format_index, format_score
from assessments.models import Assessment, Criterion, DeadlineExtension, Notification, Role, RuleKind, Score
from reports.facts import gather
from tests.accounts import make_account
from tests.appraisal.world import last_year, scored_world
from tests.entry import conftest as entry_fixtures

from . import entry_world
from .conftest import SCREENSHOTS
from .entry_world import agency, login, open_2024, watched_page

# The workflow tests' small world (one province, Sở Tư pháp answering for field 1, Văn phòng
# UBND for field 2) and its named users: alice (Sở Nội vụ), bob (Sở Tư pháp), carol (Văn
# phòng UBND), dave (appraiser), erin (viewer), each with an e-mail address.
small = entry_fixtures.small
make_user = entry_fixtures.make_user
SMALL_PASSWORD = "x-test-pass-123"

DESKTOP = {"width": 1360, "height": 900}
PHONE = {"width": 390, "height": 844}


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"trang rộng {width} px"


def _lang_vi(page):
    assert page.evaluate("document.documentElement.lang") == "vi", page.url


# --- Story 4: guidance beside the field; the subtotal counts what the agency enters ----------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story4_guidance_beside_the_field_and_a_subtotal_of_what_the_agency_enters(
    chromium, live_server, reference_data, screenshots
):
    assessment = open_2024()
    stp = agency(assessment, "STP")
    entry_world.make_user("cb-stp", Role.DEPARTMENT_EDITOR, stp)
    guidance = (
        "Đạt 2 điểm nếu ban hành kế hoạch theo dõi thi hành pháp luật trước ngày 31/01; "
        "ban hành sau thời hạn: 1 điểm; không ban hành: 0 điểm."
    )
    framework = assessment.framework
    framework.criteria.filter(code="2.1.1").update(guidance=guidance)  # as the framework's table gives it
    first = framework.criteria.get(code="2.1.1").pk
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "390")):
        context = chromium.new_context(viewport=viewport, locale="vi-VN")
        page, errors = watched_page(context)
        try:
            login(page, live_server.url, "cb-stp")
            page.click("a:has-text('Nhập liệu của cơ quan')")
            page.wait_for_selector("#entry-form")
            # Field 2 is worth 10 points; 4 of them come from the leader survey: Sở Tư pháp
            # enters 6, and its subtotal says so.
            heading = page.locator("#entry-table tr.heading", has=page.locator("td.code", has_text="2")).first
            assert heading.locator("td.num").first.inner_text() == "10"
            subtotal = page.locator("span.subtotal[data-subtotal-for='2']")
            assert subtotal.inner_text().endswith("/ 6"), subtotal.inner_text()
            page.fill(f"#id_self_score_{first}", "1,5")
            assert page.locator("output[data-subtotal-value='2']").inner_text() == "1,5"
            assert subtotal.inner_text().endswith("1,5 / 6")
            row = page.locator(f"#tc-{first}")
            assert "Cách tính điểm: Nhập điểm trực tiếp" in row.inner_text()
            row.locator("details.guidance summary:has-text('Hướng dẫn chấm điểm')").click()
            assert row.locator("details.guidance div").inner_text() == guidance
            assert row.locator("details.guidance div").is_visible()
            _fits(page)
            heading.scroll_into_view_if_needed()
            screenshots(page, f"story4-guidance-subtotal-{name}", full_page=False)
            assert not errors, errors
        finally:
            context.close()


# --- Story 5: statuses that say what is true ------------------------------------------------

RETURN_COMMENT = "Đề nghị bổ sung giải trình cho TC 1.2: chưa nêu số văn bản đã thẩm định"


def _open_my_part(page, base):
    """From the home page, as a clerk goes to its part."""
    page.goto(f"{base}/")
    page.click("a:has-text('Nhập liệu của cơ quan')")
    page.wait_for_selector("#entry-form")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story5_a_departments_page_says_where_its_part_is(chromium, live_server, small, screenshots):
    a, c, stp = small["assessment"], small["criteria"], small["agency"]
    base = live_server.url
    clerk_context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    owner_context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    phone_context = chromium.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True)
    try:
        clerk, errors = watched_page(clerk_context)
        login(clerk, base, "bob", SMALL_PASSWORD)
        _open_my_part(clerk, base)
        assert "Bản nháp, chưa gửi" in clerk.inner_text("#part-status")
        clerk.fill(f"#id_self_score_{c['1.1'].pk}", "1")
        clerk.fill(f"#id_self_score_{c['1.2'].pk}", "2")
        clerk.fill(f"#id_explanation_{c['1.2'].pk}", "Đã thẩm định 12 văn bản")
        clerk.click("#submit-button")
        clerk.wait_for_selector(".badge.ok:has-text('Đã gửi')")
        status = clerk.inner_text("#part-status")
        assert "chờ Sở Nội vụ xem xét" in status and "Bản nháp" not in status
        screenshots(clerk, "story5-1-submitted", full_page=False)

        owner, owner_errors = watched_page(owner_context)
        login(owner, base, "alice", SMALL_PASSWORD)
        owner.goto(f"{base}/danh-gia/{a.pk}/tien-do/")
        row = owner.locator('tr[data-agency="STP"]')
        row.locator("textarea[name=comment]").fill(RETURN_COMMENT)
        row.locator("button:has-text('Trả lại')").click()
        owner.wait_for_selector(".message.success")

        # The clerk's home: the to-do says "bị trả lại" and why, on a desktop and on a phone.
        clerk.goto(f"{base}/")
        todo = clerk.locator("section.notice .due-list li", has_text="Sở Tư pháp")
        assert "bị trả lại" in todo.inner_text() and RETURN_COMMENT in todo.inner_text()
        assert "chưa gửi" not in todo.inner_text()
        # The deadline reminder stays beside it.
        assert re.search(r"hạn \d\d:\d\d ngày \d\d/\d\d/\d{4} còn \d+ ngày", todo.inner_text()), (
            todo.inner_text()
        )
        screenshots(clerk, "story5-2-home-returned", full_page=False)
        phone, phone_errors = watched_page(phone_context)
        login(phone, base, "bob", SMALL_PASSWORD)
        phone_todo = phone.locator("section.notice .due-list li", has_text="Sở Tư pháp")
        assert "bị trả lại" in phone_todo.inner_text()
        _fits(phone)
        screenshots(phone, "story5-3-home-returned-390", full_page=False)
        todo.locator("a:has-text('Mở trang nhập liệu')").click()
        clerk.wait_for_selector("#entry-form")
        assert "Bị trả lại" in clerk.inner_text("#part-status")
        assert RETURN_COMMENT in clerk.inner_text(".banner.warn")
        clerk.click("#submit-button")
        clerk.wait_for_selector(".badge.ok:has-text('Đã gửi')")

        # Sở Nội vụ moves to the appraisal: the part says it was sent and is being appraised.
        services.set_phase(
            user=small["users"]["process_owner"], assessment=a, phase=Assessment.Phase.APPRAISAL
        )
        clerk.goto(f"{base}/")
        closed = clerk.locator("h2:has-text('Phần việc và kết quả của cơ quan') + table")
        assert "Thẩm định" in closed.inner_text()
        closed.locator(f"a[href='/danh-gia/{a.pk}/co-quan/{stp.pk}/']").click()
        status = clerk.inner_text("#part-status")
        assert "Đang thẩm định" in status and "Đã gửi tự đánh giá lúc" in status, status
        assert "hội đồng đang thẩm định" in status
        assert "Bản nháp" not in status and "không có thời hạn" not in status
        assert clerk.locator("button[value=save]").count() == 0
        screenshots(clerk, "story5-4-during-appraisal", full_page=False)
        phone.goto(f"{base}/danh-gia/{a.pk}/co-quan/{stp.pk}/")
        assert "Đang thẩm định" in phone.inner_text("#part-status")
        _fits(phone)
        screenshots(phone, "story5-5-during-appraisal-390", full_page=False)

        # After the lock the clerk still reaches its part and results, and no link of its home
        # page leads to a refusal.
        services.lock(user=small["users"]["process_owner"], assessment=a, reason="Chốt kết quả")
        clerk.goto(f"{base}/")
        closed = clerk.locator("h2:has-text('Phần việc và kết quả của cơ quan') + table")
        assert "đã khóa" in closed.inner_text()
        links = clerk.locator("main a[href^='/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert f"/danh-gia/{a.pk}/co-quan/{stp.pk}/" in links
        for href in sorted(set(links)):
            response = clerk.goto(base + href)
            assert response is not None and response.status == 200, href
        clerk.goto(f"{base}/danh-gia/{a.pk}/co-quan/{stp.pk}/")
        assert "Đã khóa" in clerk.inner_text("#part-status")
        assert "2" in clerk.locator(f"#tc-{c['1.2'].pk}").inner_text()
        assert not errors + owner_errors + phone_errors, errors + owner_errors + phone_errors
    finally:
        for context in (clerk_context, owner_context, phone_context):
            context.close()


# --- Story 7 (with story 10's dates): the bell, e-mail, and each person's choice -------------


def _mail_to(address):
    return [m.subject for m in mail.outbox if address in m.to]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story7_email_follows_each_persons_choice_and_an_extension_typed_dd_mm_yyyy(
    chromium, live_server, small, screenshots
):
    a, c, stp = small["assessment"], small["criteria"], small["agency"]
    base = live_server.url
    clerk_context = chromium.new_context(viewport=DESKTOP, locale="en-US")  # the browser's own words: English
    owner_context = chromium.new_context(viewport=DESKTOP, locale="en-US")
    try:
        clerk, errors = watched_page(clerk_context)
        login(clerk, base, "bob", SMALL_PASSWORD)
        # Bob turns e-mail off on his account page (the header's name leads there).
        clerk.click("header a.who")
        clerk.wait_for_url(f"{base}/tai-khoan/")
        box = clerk.get_by_label("Nhận thông báo qua thư điện tử")
        assert box.is_checked()
        box.uncheck()
        clerk.click("form.account-prefs button:has-text('Lưu')")
        clerk.wait_for_selector(".message.success")
        assert "không qua thư điện tử" in clerk.inner_text(".messages")
        assert not clerk.get_by_label("Nhận thông báo qua thư điện tử").is_checked()
        screenshots(clerk, "story7-1-account-email-off", full_page=False)
        _open_my_part(clerk, base)
        clerk.fill(f"#id_self_score_{c['1.1'].pk}", "1")
        clerk.fill(f"#id_self_score_{c['1.2'].pk}", "2")
        clerk.click("#submit-button")
        clerk.wait_for_selector(".badge.ok:has-text('Đã gửi')")
        # A part submitted: Sở Nội vụ is told, by e-mail too.
        assert _mail_to("alice@example.test") == ["[ParIndex] Sở Tư pháp đã gửi phần tự đánh giá"]

        owner, owner_errors = watched_page(owner_context)
        login(owner, base, "alice", SMALL_PASSWORD)
        assert owner.inner_text(".bell-count") == "1"
        owner.goto(f"{base}/danh-gia/{a.pk}/tien-do/")
        row = owner.locator('tr[data-agency="STP"]')
        row.locator("textarea[name=comment]").fill(RETURN_COMMENT)
        row.locator("button:has-text('Trả lại')").click()
        owner.wait_for_selector(".message.success")
        # The deadline extension, typed as offices write it: dd/mm/yyyy, 24-hour clock.
        owner.select_option("#extend_agency", label="Sở Tư pháp")
        owner.fill("#extend_until", "31/12/2031 17:30")
        owner.fill("#extend_reason", "Chờ số liệu của Bộ Tư pháp")
        screenshots(owner, "story7-2-extension-typed", full_page=False)
        owner.click("button:has-text('Gia hạn')")
        owner.wait_for_selector(".message.success")
        assert "Đã gia hạn đến 17:30 ngày 31/12/2031." in owner.inner_text(".messages")
        extension = DeadlineExtension.objects.get(assessment=a, agency=stp)
        until = timezone.localtime(extension.until)
        assert (until.date(), until.hour, until.minute) == (datetime.date(2031, 12, 31), 17, 30)
        assert str(until.tzinfo) == "Asia/Ho_Chi_Minh"
        assert "17:30 ngày 31/12/2031" in owner.locator('tr[data-agency="STP"]').inner_text()
        assert owner.locator("[id=id_reason]").count() == 1  # the phase form's; the extension's has its own
        screenshots(owner, "story7-3-extension-saved")
        # Locked, then reopened: the province is told of the reopening.
        owner.fill("#lock-reason", "Chốt số liệu để báo cáo UBND tỉnh")
        owner.click("button:has-text('Khóa')")
        owner.wait_for_selector("#unlock-reason")
        owner.fill("#unlock-reason", "Mở lại để Sở Tư pháp bổ sung tài liệu")
        owner.click("button:has-text('Mở khóa')")
        owner.wait_for_selector("#lock-reason")
        reopened = "[ParIndex] Chỉ số CCHC năm 2031 của tỉnh Tỉnh Thử được mở lại"
        assert reopened in _mail_to("carol@example.test")

        # Bob: the three notices in the bell, no e-mail (he turned it off).
        clerk.goto(f"{base}/")
        assert clerk.inner_text(".bell-count") == "3"
        clerk.click("a.bell")
        items = clerk.locator("li.notification.unread")
        texts = items.all_inner_texts()
        assert any("Phần tự đánh giá của Sở Tư pháp bị trả lại" in t and RETURN_COMMENT in t for t in texts)
        assert any("Gia hạn tự đánh giá" in t and "17:30 ngày 31/12/2031" in t for t in texts), texts
        assert any("được mở lại" in t and "Sở Tư pháp bổ sung tài liệu" in t for t in texts), texts
        assert _mail_to("bob@example.test") == []
        screenshots(clerk, "story7-4-bell-no-email")
        assert Notification.objects.filter(user=small["users"]["editor"], emailed=True).count() == 0
        assert not errors + owner_errors, errors + owner_errors
    finally:
        clerk_context.close()
        owner_context.close()


# --- Story 3 (with 2, 7 and 10): moving phase warns who has not submitted; who is told ---------

PHASE_MAIL = "[ParIndex] Chỉ số CCHC năm 2031 của tỉnh Tỉnh Thử chuyển sang giai đoạn “{}”"


def _move_phase(page, label, **deadlines):
    """Sở Nội vụ's two steps on the progress page: choose, see who has not sent, confirm."""
    page.select_option("#id_phase", label=label)
    for name, text in deadlines.items():
        page.fill(f"#id_{name}", text)
    page.click("button:has-text('Lưu giai đoạn…')")
    page.wait_for_selector("#phase .banner.warn")
    warning = page.inner_text("#phase .banner.warn")
    return warning


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story3_moving_phase_warns_and_tells_each_person_what_concerns_them(
    chromium, live_server, small, screenshots
):
    a, c, stp = small["assessment"], small["criteria"], small["agency"]
    bob = small["users"]["editor"]
    services.save_part(
        user=bob,
        assessment=a,
        agency=stp,
        rows={
            c["1.1"].pk: services.RowInput(0, {"self_score": D("1")}),
            c["1.2"].pk: services.RowInput(0, {"self_score": D("2"), "explanation": "Đủ hồ sơ"}),
        },
    )
    services.submit_part(user=bob, assessment=a, agency=stp)
    mail.outbox.clear()
    base = live_server.url
    owner_context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    council_context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    try:
        owner, errors = watched_page(owner_context)
        login(owner, base, "alice", SMALL_PASSWORD)
        owner.goto(f"{base}/danh-gia/{a.pk}/tien-do/")
        assert owner.inner_text("h1") == "Tiến độ tự đánh giá"
        warning = _move_phase(owner, "Thẩm định")
        assert "1 cơ quan chưa gửi phần tự đánh giá" in warning
        assert owner.locator("ul.pending-agencies li").all_inner_texts() == ["Văn phòng UBND tỉnh"]
        assert Assessment.objects.get(pk=a.pk).phase == Assessment.Phase.SELF_ASSESSMENT  # not yet
        owner.locator("#phase").scroll_into_view_if_needed()
        screenshots(owner, "story3-1-phase-warning", full_page=False)
        owner.click("button:has-text('Xác nhận chuyển giai đoạn')")
        owner.wait_for_selector(".message.success")
        assert owner.inner_text("h1") == "Tiến độ thẩm định"
        assert owner.locator("button:has-text('Trả lại')").count() == 0
        told = PHASE_MAIL.format("Thẩm định")
        for name in ("bob", "carol", "dave", "erin"):
            assert told in _mail_to(f"{name}@example.test"), name
        assert _mail_to("alice@example.test") == []  # not told of her own action

        # The council lowers 1.2 (2 -> 1) and keeps 1.1.
        council, council_errors = watched_page(council_context)
        login(council, base, "dave", SMALL_PASSWORD)
        council.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/")
        council.fill(f"#id_score_{c['1.1'].pk}", "1")
        council.fill(f"#id_score_{c['1.2'].pk}", "1")
        council.fill(f"#id_comment_{c['1.2'].pk}", "Thiếu biên bản thẩm định của 3 văn bản")
        council.click("button.primary:has-text('Lưu')")
        council.wait_for_selector(".message.success")

        # Explanation: its deadline typed dd/mm/yyyy; only Sở Tư pháp, whose score was lowered,
        # is asked to explain, and is told which criterion.
        mail.outbox.clear()
        owner.goto(f"{base}/danh-gia/{a.pk}/tien-do/")
        _move_phase(owner, "Giải trình", explanation_deadline="15/01/2032 17:00")
        owner.click("button:has-text('Xác nhận chuyển giai đoạn')")
        owner.wait_for_selector(".message.success")
        deadline = timezone.localtime(Assessment.objects.get(pk=a.pk).explanation_deadline)
        assert (deadline.date(), deadline.hour, deadline.minute) == (datetime.date(2032, 1, 15), 17, 0)
        assert owner.input_value("#id_explanation_deadline") == "15/01/2032 17:00"
        assert owner.inner_text("h1") == "Tiến độ giải trình"
        progress = owner.inner_text("table.progress")
        assert "Sở Tư pháp" in progress and "0 / 1" in progress and "Văn phòng UBND tỉnh" not in progress
        screenshots(owner, "story3-2-explanation-progress", full_page=False)
        asked = [m for m in mail.outbox if m.to == ["bob@example.test"]]
        assert [m.subject for m in asked] == [
            "[ParIndex] Đề nghị giải trình 1 tiêu chí bị hội đồng thẩm định hạ điểm"
        ]
        assert "TC 1.2" in asked[0].body and "17:00 ngày 15/01/2032" in asked[0].body
        assert PHASE_MAIL.format("Giải trình") in _mail_to("carol@example.test")
        assert not errors + council_errors, errors + council_errors
    finally:
        owner_context.close()
        council_context.close()


# --- Story 9: the entry page prints as a clean table (the appraisal page: test_appraisal_flow) -


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story9_the_entry_page_prints_as_a_clean_table(chromium, live_server, small, screenshots):
    c = small["criteria"]
    Criterion.objects.filter(pk=c["1.1"].pk).update(
        rule_kind=RuleKind.RATIO, figure_labels="số nhiệm vụ hoàn thành / tổng số nhiệm vụ"
    )
    base = live_server.url
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    try:
        page, errors = watched_page(context)
        login(page, base, "bob", SMALL_PASSWORD)
        _open_my_part(page, base)
        page.fill(f"#id_self_figures_{c['1.1'].pk}_0", "3")
        page.fill(f"#id_self_figures_{c['1.1'].pk}_1", "4")
        page.fill(f"#id_explanation_{c['1.1'].pk}", "Ban hành kế hoạch CCHC ngày 05/01/2031")
        page.click("button[value=save]")
        page.wait_for_selector(".message.success")
        page.fill(f"#id_self_score_{c['1.2'].pk}", "1,5")  # typed, not saved: printed as typed
        page.emulate_media(media="print")
        for hidden in ("header.topbar", ".messages", "form.search-form", "#save-bar", "footer.footer"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert not page.locator("button:visible").count(), page.locator("button:visible").all_inner_texts()
        assert not page.locator("input[type=file]:visible").count()
        assert page.locator("#entry-table").is_visible()
        first, second = page.locator(f"#tc-{c['1.1'].pk}"), page.locator(f"#tc-{c['1.2'].pk}")
        assert first.locator(".score-cell input.score-input").is_visible()
        assert first.locator(".score-cell input.score-input").input_value() == "0,75"
        assert [first.locator(f"#id_self_figures_{c['1.1'].pk}_{i}").is_visible() for i in (0, 1)] == [
            True
        ] * 2
        assert "số nhiệm vụ hoàn thành" in first.locator(".score-cell").inner_text()
        assert first.locator("textarea").is_visible()
        box = first.locator("textarea").bounding_box()
        assert box is not None and box["height"] >= 12
        assert second.locator(".score-cell input.score-input").input_value() == "1,5"
        assert page.locator("output[data-subtotal-value='1']").inner_text() == "2,25"
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        screenshots(page, "story9-entry-print")
        page.pdf(path=str(SCREENSHOTS / "story9-entry-print.pdf"))
        assert not errors, errors
    finally:
        context.close()


# --- Story 10: the browser's own words in Vietnamese, on a browser set to English ------------

REQUIRED = "Ô này bắt buộc: hãy nhập."


def _message(page, selector):
    return page.eval_on_selector(selector, "e => e.validationMessage")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story10_the_browsers_words_are_vietnamese(chromium, live_server, small, screenshots):
    a, c, stp = small["assessment"], small["criteria"], small["agency"]
    services.save_part(
        user=small["users"]["other_editor"],
        assessment=a,
        agency=small["other"],
        rows={c["2.1"].pk: services.RowInput(0, {"self_score": D("3")})},
    )
    services.submit_part(user=small["users"]["other_editor"], assessment=a, agency=small["other"])
    get_user_model().objects.create_superuser("quantri", "quantri@example.test", SMALL_PASSWORD)
    base = live_server.url
    context = chromium.new_context(viewport=DESKTOP, locale="en-US")
    try:
        page, errors = watched_page(context)
        # The login form sent without a password: said beside the box, in Vietnamese.
        page.goto(f"{base}/dang-nhap/")
        _lang_vi(page)
        page.fill("#id_username", "bob")
        page.click("button:has-text('Đăng nhập')")
        page.wait_for_selector("#id_password-error")
        assert page.inner_text("#id_password-error") == "Trường này là bắt buộc."
        assert page.input_value("#id_username") == "bob"
        screenshots(page, "story10-0-login-without-password", full_page=False)
        login(page, base, "bob", SMALL_PASSWORD)
        _lang_vi(page)
        _open_my_part(page, base)
        _lang_vi(page)
        # A wrong number: marked while typing, refused beside the box in Vietnamese on saving.
        box = f"#id_self_score_{c['1.1'].pk}"
        page.fill(box, "1,2,3")
        assert "preview-invalid" in (page.get_attribute(box, "class") or "")
        # … and said beside it at once, in the server's words.
        live = page.locator(f"#tc-{c['1.1'].pk} [data-live-error]")
        assert live.inner_text() == "'1,2,3' không phải là số: nhập một số, ví dụ 0,9388 hoặc 0.9388."
        page.fill(box, "9")
        assert live.inner_text().startswith("Điểm 9 lớn hơn điểm tối đa ")
        page.fill(box, "0,5")
        assert live.is_hidden() and page.get_attribute(box, "aria-invalid") is None
        page.fill(box, "1,2,3")
        page.fill(f"#id_self_score_{c['1.2'].pk}", "1,5")
        page.click("button[value=save]")
        page.wait_for_selector(f"{box}-error")
        assert page.inner_text(f"{box}-error") == (
            "'1,2,3' không phải là số: nhập một số, ví dụ 0,9388 hoặc 0.9388."
        )
        assert "Chưa lưu: có ô nhập chưa đúng" in page.inner_text(".messages")
        assert page.input_value(f"#id_self_score_{c['1.2'].pk}") == "1,5"  # what was typed stays
        page.locator(f"#tc-{c['1.1'].pk}").scroll_into_view_if_needed()
        screenshots(page, "story10-1-wrong-number", full_page=False)
        for path in ("/thong-bao/", "/tai-khoan/", f"/danh-gia/{a.pk}/tieu-chi/{c['1.1'].pk}/lich-su/"):
            page.goto(base + path)
            _lang_vi(page)
        page.click("button:has-text('Đăng xuất')")
        page.wait_for_url(re.compile(r".*/dang-nhap/.*"))

        # Sở Nội vụ: a date typed the American way is refused by the page in Vietnamese; a
        # return without a comment is asked for one.
        login(page, base, "alice", SMALL_PASSWORD)
        page.goto(f"{base}/danh-gia/{a.pk}/tien-do/")
        _lang_vi(page)
        page.select_option("#extend_agency", label="Sở Tư pháp")
        page.fill("#extend_until", "12/31/2031 5:30 PM")
        page.fill("#extend_reason", "Chờ số liệu")
        page.click("button:has-text('Gia hạn')")
        assert _message(page, "#extend_until") == (
            "Ngày giờ dạng dd/mm/yyyy hh:mm, giờ 24 (ví dụ 31/03/2025 17:00)."
        )
        assert not DeadlineExtension.objects.exists()
        page.locator('tr[data-agency="VP UBND"] button:has-text("Trả lại")').click()
        assert _message(page, 'tr[data-agency="VP UBND"] textarea[name=comment]') == REQUIRED
        assert page.locator(".message").count() == 0  # nothing was sent
        screenshots(page, "story10-2-progress-refusals", full_page=False)
        for path in (f"/danh-gia/{a.pk}/tham-dinh/", f"/danh-gia/{a.pk}/co-quan/{stp.pk}/"):
            page.goto(base + path)
            _lang_vi(page)
        page.click("button:has-text('Đăng xuất')")
        page.wait_for_url(re.compile(r".*/dang-nhap/.*"))

        # The admin: what is already Vietnamese there (login throttling, "Show counts").
        login(page, base, "quantri", SMALL_PASSWORD)
        page.goto(f"{base}/admin/")
        _lang_vi(page)
        index = page.inner_text("#content-main")
        for words in ("Chống dò mật khẩu (khóa đăng nhập)", "Các lần đăng nhập sai", "Nhật ký đăng nhập"):
            assert words.upper() in index.upper(), words
        page.goto(f"{base}/admin/axes/accessattempt/")
        _lang_vi(page)
        assert page.locator("#changelist-filter a:has-text('Hiện số lượng')").count() == 1
        assert "Show counts" not in page.inner_text("body")
        screenshots(page, "story10-3-admin-throttling", full_page=False)
        assert not errors, errors
    finally:
        context.close()


# --- Story 11: search by code and by words without accents, on the entry and appraisal pages --


def _listed_codes(page):
    return page.locator("tr.leaf").evaluate_all(
        "rows => rows.map(r => r.dataset.code || r.querySelector('td.code').textContent.trim())"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story11_search_finds_a_criterion_by_code_and_by_words_without_accents(
    chromium, live_server, reference_data, screenshots
):
    assessment = open_2024()
    stp = agency(assessment, "STP")
    entry_world.make_user("cb-stp", Role.DEPARTMENT_EDITOR, stp)
    make_account("hd", Role.APPRAISER, assessment.subject)
    base = live_server.url
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    phone_context = chromium.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True)
    try:
        page, errors = watched_page(context)
        login(page, base, "cb-stp")
        _open_my_part(page, base)
        page.fill("#q", "2.2")  # a code: the criterion and those under it
        page.press("#q", "Enter")
        page.wait_for_selector("text=tiêu chí khớp với “2.2”")
        assert _listed_codes(page) == ["2.2.1", "2.2.2"]
        page.fill("#q", "xu ly ket qua theo doi")  # words of the name, typed without accents
        page.press("#q", "Enter")
        page.wait_for_selector("text=tiêu chí khớp với “xu ly ket qua theo doi”")
        assert _listed_codes(page) == ["2.1.2"]
        assert "Xử lý kết quả theo dõi thi hành pháp luật" in page.inner_text("#entry-table")
        screenshots(page, "story11-1-entry-search-words", full_page=False)
        page.click("a:has-text('Bỏ lọc')")
        page.wait_for_selector("#entry-form")
        assert len(_listed_codes(page)) > 2
        page.click("button:has-text('Đăng xuất')")

        Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.APPRAISAL)
        login(page, base, "hd", SMALL_PASSWORD)
        page.goto(f"{base}/danh-gia/{assessment.pk}/tham-dinh/")
        page.fill("#f-q", "7.3.5")
        page.click("button:has-text('Lọc')")
        page.wait_for_url(re.compile(r"q=7\.3\.5"))
        assert _listed_codes(page) == ["7.3.5"]
        page.fill("#f-q", "cong bo danh muc van ban het hieu luc")
        page.click("button:has-text('Lọc')")
        page.wait_for_url(re.compile(r"q=cong\+bo"))
        assert _listed_codes(page) == ["2.2.1"]
        assert "Đang hiện 1 /" in page.inner_text(".filter-count")
        screenshots(page, "story11-2-appraisal-search-words", full_page=False)

        phone, phone_errors = watched_page(phone_context)
        login(phone, base, "hd", SMALL_PASSWORD)
        phone.goto(f"{base}/danh-gia/{assessment.pk}/tham-dinh/")
        phone.fill("#f-q", "1.3")
        phone.click("button:has-text('Lọc')")
        phone.wait_for_url(re.compile(r"q=1\.3"))
        assert _listed_codes(phone) == ["1.3.1", "1.3.2"]
        _fits(phone)
        phone.locator("tr.leaf").first.scroll_into_view_if_needed()
        screenshots(phone, "story11-3-appraisal-search-390", full_page=False)
        assert not errors + phone_errors, errors + phone_errors
    finally:
        context.close()
        phone_context.close()


# --- Story 12: a generated draft reads as an officer would write it ---------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story12_the_draft_of_a_field_that_rose_reads_without_contradiction(
    chromium, live_server, sample_assessment, screenshots
):
    facts = gather(sample_assessment)
    rose = next(f for f in facts.fields if f.comparison.change and f.comparison.change > 0 and f.below_max)
    fell = next(f for f in facts.fields if f.comparison.change and f.comparison.change < 0 and f.below_max)
    make_account("snv", Role.PROCESS_OWNER, sample_assessment.subject)
    base = live_server.url
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    phone_context = chromium.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True)
    try:
        page, errors = watched_page(context)
        login(page, base, "snv", SMALL_PASSWORD)
        page.goto(f"{base}/bao-cao/{sample_assessment.pk}/")
        movement = (
            f"So với năm {facts.previous_year}, Chỉ số của lĩnh vực tăng "
            f"{format_index(rose.comparison.change)} điểm phần trăm (từ {format_index(rose.previous.index)}% "
            f"theo kết quả công bố lên {format_index(rose.index)}%)"
        )
        paragraph = page.locator(".paper p", has_text=movement)
        assert paragraph.count() == 1, movement
        text = paragraph.inner_text()
        # What rose, by how much and against which figure; then the points still lost, each
        # criterion with its points and its agency; nothing that reads as the cause of a fall.
        lost = [f"{n.label} bị trừ {format_score(n.max - n.appraised)} điểm" for n in rose.below_max]
        for words in lost:
            assert words in text, words
        assert "Tuy nhiên, lĩnh vực vẫn còn bị trừ tổng cộng" in text
        assert text.index(movement) < text.index("Tuy nhiên")
        for agency_ in {a.name for n in rose.below_max for a in n.responsible}:
            assert agency_ in text, agency_
        at_max = [n for n in facts.result.at_max_criteria if n.code.split(".")[0] == rose.code]
        assert f"{len(at_max):02d}/{len(at_max) + len(rose.below_max):02d} tiêu chí" in text
        for contradiction in ("Nguyên nhân chủ yếu", "giảm", "do vẫn còn", "Chỉ số giảm"):
            assert contradiction not in text, contradiction
        # The criteria that lost points follow, each with the council's reason.
        first = rose.below_max[0]
        item = page.locator(".paper p", has_text=f"{first.label} {first.name.rstrip('.')}")
        assert (
            f"đạt {format_score(first.appraised)}/{format_score(first.max)} điểm" in item.first.inner_text()
        )
        if first.comment.strip():
            assert page.locator(".paper p", has_text="Lý do: " + first.comment.strip()[:40]).count() >= 1
        # A field that fell says so, and its lost points are its cause, not a "however".
        fell_text = page.locator(
            ".paper p",
            has_text=f"Chỉ số của lĩnh vực giảm {format_index(-fell.comparison.change)} điểm phần trăm",
        ).inner_text()
        assert "Tuy nhiên, lĩnh vực vẫn còn" not in fell_text
        assert f"Năm {facts.year}, lĩnh vực bị trừ tổng cộng" in fell_text
        # Last year's figure follows one rule, stated where it is used.
        assert (
            f"Ghi chú: Số liệu năm {facts.previous_year} dùng để so sánh là kết quả do Bộ Nội vụ công bố."
            in (page.inner_text(".paper"))
        )
        paragraph.scroll_into_view_if_needed()
        screenshots(page, "story12-1-report-risen-field", full_page=False)

        # The officer's editor starts from the same draft.
        page.click("a:has-text('Sửa nội dung báo cáo')")
        draft = page.input_value(f"textarea[name=field_{rose.code}]")
        assert movement in draft and lost[0] in draft

        phone, phone_errors = watched_page(phone_context)
        login(phone, base, "snv", SMALL_PASSWORD)
        phone.goto(f"{base}/bao-cao/{sample_assessment.pk}/")
        screenshots(phone, "story12-2-report-top-390", full_page=False)
        phone.locator(".paper p", has_text=movement).scroll_into_view_if_needed()
        _fits(phone)
        screenshots(phone, "story12-3-report-risen-field-390", full_page=False)
        assert not errors + phone_errors, errors + phone_errors
    finally:
        context.close()
        phone_context.close()


# --- Story 1: the appraisal page's filters, last year's score, "take the self score" per row --


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story1_the_council_filters_and_takes_a_self_score_row_by_row(
    chromium, live_server, small, screenshots
):
    a = scored_world(small)
    c = small["criteria"]
    last_year(small, {"1.1": "0.8", "1.2": "2", "2.1": "2.75"})
    base = live_server.url
    context = chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    phone_context = chromium.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True)
    try:
        page, errors = watched_page(context)
        login(page, base, "dave", SMALL_PASSWORD)
        page.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/")
        assert page.locator("table.appraisal-grid th:has-text('Năm 2030')").count() == 1
        assert page.locator(f"#tc-{c['1.1'].pk} td.previous").inner_text() == "0,8"
        assert page.locator(f"#tc-{c['2.1'].pk} td.previous").inner_text() == "2,75"
        # "Lấy điểm TĐG" on one row: 1.2 takes its self score (2), saved at once.
        page.locator(f"#tc-{c['1.2'].pk} button:has-text('Lấy điểm TĐG')").click()
        page.wait_for_selector(".message.success")
        assert "Đã lấy điểm tự đánh giá cho 1 tiêu chí: 1.2." in page.inner_text(".messages")
        assert page.url.endswith(f"#tc-{c['1.2'].pk}")
        assert Score.objects.get(assessment=a, criterion=c["1.2"]).appraised_score == D("2")
        assert page.locator("output[data-overall-value]").inner_text() == "2"
        # 1.1 lowered from its figures, saved.
        page.fill(f"#id_figures_{c['1.1'].pk}", "36/41")
        page.fill(f"#id_comment_{c['1.1'].pk}", "Năm nhiệm vụ chưa hoàn thành")
        page.click("button.primary:has-text('Lưu')")
        page.wait_for_selector(".message.success")
        # The filters, one by one, as the council narrows the list.
        shown = lambda: [t.strip() for t in page.locator("tr.leaf td.code").all_inner_texts()]  # noqa: E731
        page.select_option("#f-agency", label="Văn phòng UBND tỉnh")
        page.click("button:has-text('Lọc')")
        page.wait_for_url(re.compile(r"agency="))
        assert shown() == ["2.1"]
        page.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/")
        page.select_option("#f-field", value="1")
        page.click("button:has-text('Lọc')")
        page.wait_for_url(re.compile(r"field=1"))
        assert shown() == ["1.1", "1.2", "1.3"]
        page.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/")
        page.check("input[name=below_max]")
        page.click("button:has-text('Lọc')")
        page.wait_for_url(re.compile(r"below_max=1"))
        assert shown() == ["1.1", "2.1"]  # 1.1 lowered to 0,878; 2.1 self-scored 2,5 of 3
        page.uncheck("input[name=below_max]")
        page.check("input[name=pending]")
        page.click("button:has-text('Lọc')")
        page.wait_for_url(re.compile(r"pending=1"))
        assert "1.2" not in shown() and "1.1" not in shown() and "2.1" in shown()
        assert "Tổng lĩnh vực và tổng điểm luôn tính trên mọi tiêu chí" in page.inner_text(".filter-count")
        screenshots(page, "story1-1-filter-pending", full_page=False)
        # Taking the row's self score keeps the filters on the way back.
        page.locator(f"#tc-{c['2.1'].pk} button:has-text('Lấy điểm TĐG')").click()
        page.wait_for_selector(".message.success")
        assert "pending=1" in page.url
        assert Score.objects.get(assessment=a, criterion=c["2.1"]).appraised_score == D("2.5")
        assert page.locator("output[data-overall-value]").inner_text() == "5,378"  # 0,878 + 2 + 2,5
        phone, phone_errors = watched_page(phone_context)
        login(phone, base, "dave", SMALL_PASSWORD)
        phone.goto(f"{base}/danh-gia/{a.pk}/tham-dinh/?below_max=1")
        _fits(phone)
        phone.locator(f"#tc-{c['1.1'].pk}").scroll_into_view_if_needed()
        assert "0,8" in phone.locator(f"#tc-{c['1.1'].pk} td.previous").inner_text()
        screenshots(phone, "story1-2-below-max-390", full_page=False)
        assert not errors + phone_errors, errors + phone_errors
    finally:
        context.close()
        phone_context.close()
