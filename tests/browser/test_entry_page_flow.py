"""The department's entry page as its clerk uses it (issue 13 items 4, 5, 6, 8, 10): on a
390 px phone (cards, no horizontal scroll, the save bar on screen); evidence messages in the
row they concern; "Tải lên" without a file; the same file twice; the browser's required-field
message in Vietnamese; the council's remark readable in the explanation phase; and after the
lock the clerk's part and results, read-only, reached from the home page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Assessment, Evidence, Role

from .entry_world import PDF, agency, fill_except, login, make_user, open_2024, watched_page

PHONE = {"width": 390, "height": 844}


def _no_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"trang rộng {width} px"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_entry_page_on_a_phone_with_evidence_feedback(chromium, live_server, reference_data, screenshots):
    assessment = open_2024()
    stp = agency(assessment, "STP")
    make_user("cb-stp", Role.DEPARTMENT_EDITOR, stp)
    target = next(n for n in scoring.lead_leaves(scoring.compute(assessment), stp.pk) if not n.is_survey)
    cid = target.criterion.pk
    context = chromium.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page, errors = watched_page(context)
    try:
        login(page, live_server.url, "cb-stp")
        _no_overflow(page)
        page.click("a:has-text('Nhập liệu của cơ quan')")
        page.wait_for_selector("#entry-form")
        _no_overflow(page)
        screenshots(page, "entry-phone-01-top", full_page=False)
        save = page.locator("button[value=save]")
        assert save.is_visible()
        # Halfway down the page the save bar is still on screen.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        box = save.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        screenshots(page, "entry-phone-02-middle", full_page=False)

        page.fill(f"#id_self_score_{cid}", "0,5")
        page.fill(f"#id_explanation_{cid}", "Đã ban hành kế hoạch")
        save.click()
        page.wait_for_selector(".message.success")
        _no_overflow(page)

        # "Tải lên" without a file: said in the row, the page stays.
        row = page.locator(f"#tc-{cid}")
        row.locator("button:has-text('Tải lên')").click()
        assert "Chọn một tệp" in row.locator("[data-upload-error]").inner_text()
        # An upload: the page lands on the row, the message is in it, on screen.
        page.set_input_files(
            f'input[type=file][form="ev-{cid}"]',
            files=[{"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        row.locator("button:has-text('Tải lên')").click()
        page.wait_for_selector(f"#tc-{cid} .row-message.success")
        message = page.locator(f"#tc-{cid} .row-message")
        assert "đã tải lên “ke-hoach.pdf”" in message.inner_text()
        assert message.is_visible() and message.bounding_box()["y"] < PHONE["height"]
        assert page.locator("ul.messages").count() == 0  # not at the top of the page
        _no_overflow(page)
        screenshots(page, "entry-phone-03-upload-message", full_page=False)
        # The same file again: refused in the row, listed once.
        page.set_input_files(
            f'input[type=file][form="ev-{cid}"]',
            files=[{"name": "ke-hoach-2.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        page.locator(f"#tc-{cid} button:has-text('Tải lên')").click()
        page.wait_for_selector(f"#tc-{cid} .row-message.error")
        assert "đã được tải lên rồi" in page.locator(f"#tc-{cid} .row-message.error").inner_text()
        assert Evidence.objects.filter(criterion_id=cid).count() == 1
        assert page.locator(f"#tc-{cid} .file").count() == 1
        screenshots(page, "entry-phone-04-same-file", full_page=False)
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_required_field_message_is_vietnamese(chromium, live_server, reference_data, screenshots):
    assessment = open_2024()
    owner = make_user("snv", Role.PROCESS_OWNER, agency(assessment, "SNV"), ("Minh", "Trần Văn"))
    stp = agency(assessment, "STP")
    assert owner
    leaf = next(n for n in scoring.lead_leaves(scoring.compute(assessment), stp.pk) if not n.is_survey)
    cid = leaf.criterion.pk
    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="en-US")
    page, errors = watched_page(context)
    try:
        login(page, live_server.url, "snv")
        page.goto(f"{live_server.url}/danh-gia/{assessment.pk}/co-quan/{stp.pk}/")
        row = page.locator(f"#tc-{cid}")
        row.locator("details.applicability summary").click()
        row.locator("button:has-text('Đánh dấu không áp dụng')").click()
        message = page.eval_on_selector(f"#ap-reason-{cid}", "e => e.validationMessage")
        assert message == "Ô này bắt buộc: hãy nhập.", message
        assert page.evaluate("document.documentElement.lang") == "vi"
        # Deadlines are typed as dd/mm/yyyy hh:mm text, never the browser's date picker.
        page.goto(f"{live_server.url}/danh-gia/{assessment.pk}/tien-do/")
        deadline = page.locator("input[name=self_assessment_deadline]")
        assert deadline.get_attribute("type") == "text"
        local = timezone.localtime(assessment.self_assessment_deadline)
        assert deadline.input_value() == local.strftime("%d/%m/%Y %H:%M")
        assert page.locator("input[type=datetime-local]").count() == 0
        screenshots(page, "entry-vi-01-deadline-text", full_page=False)
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_explanation_remark_readable_and_results_after_the_lock(
    chromium, live_server, reference_data, screenshots
):
    assessment = open_2024()
    stp = agency(assessment, "STP")
    owner = make_user("snv", Role.PROCESS_OWNER, agency(assessment, "SNV"), ("Minh", "Trần Văn"))
    editor = make_user("cb-stp", Role.DEPARTMENT_EDITOR, stp)
    fill_except(assessment, stp, editor)
    leaf = next(n for n in scoring.lead_leaves(scoring.compute(assessment), stp.pk) if not n.is_survey)
    cid = leaf.criterion.pk
    # The department gave itself the maximum; the council lowers it to 0, so it is asked to explain.
    services.save_part(
        user=editor,
        assessment=assessment,
        agency=stp,
        rows={cid: services.RowInput(leaf.score.version, {"self_score": leaf.max})},
    )
    services.submit_part(user=editor, assessment=assessment, agency=stp)
    remark = (
        "Chưa có kế hoạch theo dõi tình hình thi hành pháp luật năm 2024 được ban hành đúng thời hạn; "
        "báo cáo kết quả gửi chậm so với quy định"
    )
    services.set_phase(user=owner, assessment=assessment, phase=Assessment.Phase.APPRAISAL)
    services.save_appraisal(
        user=owner,
        assessment=assessment,
        rows={cid: services.RowInput(2, {"appraised_score": Decimal("0"), "appraisal_comment": remark})},
    )
    services.set_phase(
        user=owner,
        assessment=assessment,
        phase=Assessment.Phase.EXPLANATION,
        explanation_deadline=timezone.now() + datetime.timedelta(days=3),
    )
    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    page, errors = watched_page(context)
    try:
        login(page, live_server.url, "cb-stp")
        page.click("a:has-text('Nhập liệu của cơ quan')")
        page.wait_for_selector("#entry-form")
        block = page.locator(f"#tc-{cid} .council-remark")
        assert remark in block.inner_text()
        assert block.bounding_box()["width"] >= 250  # readable, not a 40 px column
        page.locator(f"#tc-{cid}").scroll_into_view_if_needed()
        screenshots(page, "entry-explanation-01-remark", full_page=False)
        page.fill(f"#id_response_{cid}", "Kế hoạch đã ban hành ngày 15/01/2024, gửi kèm bản chụp.")
        page.click("#submit-button")
        page.wait_for_selector(".badge.ok:has-text('Đã gửi')")

        services.lock(user=owner, assessment=assessment, reason="Chốt kết quả năm 2024")
        page.goto(f"{live_server.url}/")
        href = f"/danh-gia/{assessment.pk}/co-quan/{stp.pk}/"
        link = page.locator(f"a[href='{href}']:has-text('Phần việc và kết quả của cơ quan')")
        assert link.count() == 1  # (2023's published part is listed too)
        screenshots(page, "entry-locked-01-home", full_page=False)
        link.click()
        assert "Đã khóa" in page.inner_text("#part-status")
        assert page.locator("button[value=save]").count() == 0
        assert remark in page.locator(f"#tc-{cid}").inner_text()
        screenshots(page, "entry-locked-02-results", full_page=False)
        assert not errors, errors
    finally:
        context.close()
