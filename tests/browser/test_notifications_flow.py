"""Sở Nội vụ returns a department's part from the progress page; the department's editor
logs in, sees the bell's unread count, opens the notification (with the comment) and lands
on its part; the bell is then clear. Desktop and a 390 px phone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Agency, Assessment, Notification, Profile, Role

PASSWORD = "Mat-khau-thu-2024"
COMMENT = "Đề nghị bổ sung tài liệu kiểm chứng cho các tiêu chí về theo dõi thi hành pháp luật"


def _user(username, role, agency, name):
    first, last = name
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first,
        last_name=last,
        email=f"{username}@example.test",
    )
    Profile.objects.create(user=user, role=role, agency=agency, province=agency.province)
    return user


def _login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_returned_part_reaches_its_editor_through_the_bell(
    chromium, live_server, reference_data, screenshots
):
    sample = Assessment.objects.get(subject__code="70", framework__year=2023)
    framework = services.copy_framework(sample.framework, 2024)
    assessment = services.open_assessment(
        sample.subject, framework, self_assessment_deadline=timezone.now() + datetime.timedelta(days=6)
    )
    stp = Agency.objects.get(province=sample.subject, short_name="STP")
    owner_agency = Agency.objects.get(province=sample.subject, is_process_owner=True)
    editor = _user("cb-stp", Role.DEPARTMENT_EDITOR, stp, ("Lan", "Nguyễn Thị"))
    _user("snv", Role.PROCESS_OWNER, owner_agency, ("Minh", "Trần Văn"))
    leaves = [n for n in scoring.responsible_leaves(scoring.compute(assessment), stp.pk) if not n.is_survey]
    rows = {n.criterion.pk: services.RowInput(0, {"self_score": Decimal("0")}) for n in leaves}
    services.save_part(user=editor, assessment=assessment, agency=stp, rows=rows)
    services.submit_part(user=editor, assessment=assessment, agency=stp)
    base = live_server.url
    errors = []

    def watch(page):
        page.on(
            "response",
            lambda r: (
                errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
            ),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))

    desktop = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    try:
        page = desktop.new_page()
        watch(page)
        _login(page, base, "snv")
        assert page.inner_text(".bell-count") == "1"  # Sở Tư pháp's submission
        page.goto(f"{base}/danh-gia/{assessment.pk}/tien-do/")
        row = page.locator('tr[data-agency="STP"]')
        row.locator("textarea[name=comment]").fill(COMMENT)
        row.locator("button:has-text('Trả lại')").click()
        page.wait_for_selector(".message.success")
        assert [m.to for m in mail.outbox if "bị trả lại" in m.subject] == [["cb-stp@example.test"]]

        page = desktop.new_page()  # the editor, in another session
        desktop.clear_cookies()
        watch(page)
        _login(page, base, "cb-stp")
        bell = page.locator("a.bell")
        assert page.inner_text(".bell-count") == "1"
        assert bell.get_attribute("aria-label") == "Thông báo: 1 chưa đọc"
        screenshots(page, "thong-bao-01-chuong", full_page=False)
        bell.click()
        page.wait_for_url(re.compile(r".*/thong-bao/$"))
        item = page.locator("li.notification.unread")
        assert item.count() == 1
        assert "Phần tự đánh giá của Sở Tư pháp bị trả lại" in item.inner_text()
        assert COMMENT in item.inner_text()
        screenshots(page, "thong-bao-02-danh-sach")

        phone_page = phone.new_page()
        watch(phone_page)
        _login(phone_page, base, "cb-stp")
        phone_page.goto(f"{base}/thong-bao/")
        screenshots(phone_page, "thong-bao-03-danh-sach-390")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width

        item.locator("button.notification-title").click()
        page.wait_for_url(f"{base}/danh-gia/{assessment.pk}/co-quan/{stp.pk}/")
        assert page.locator(".bell-count").count() == 0
        assert Notification.objects.get(user=editor).read_at is not None
        screenshots(page, "thong-bao-04-mo-phan-viec", full_page=False)
        assert not errors, errors
    finally:
        desktop.close()
        phone.close()
