"""Sở Nội vụ marks a criterion "không áp dụng" from a department's entry page; the field
sub-total's max drops, and the department sees "Không áp dụng" where the score box was."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Agency, Assessment, Criterion, Framework, Profile, Role, Score, Subject

PASSWORD = "Mat-khau-thu-2024"


def _world():
    province = Subject.objects.create(kind="province", name="Tỉnh Thử", code="99")
    snv = Agency.objects.create(province=province, name="Sở Nội vụ", short_name="SNV", is_process_owner=True)
    stp = Agency.objects.create(province=province, name="Sở Tư pháp", short_name="STP")
    framework = Framework.objects.create(year=2031, name="Bộ tiêu chí thử")
    field = Criterion.objects.create(framework=framework, code="1", name="Lĩnh vực một", max_score=Decimal(3))
    field.agencies.set([stp])
    first = Criterion.objects.create(
        framework=framework, parent=field, code="1.1", name="Tiêu chí một", max_score=Decimal(1)
    )
    second = Criterion.objects.create(
        framework=framework, parent=field, code="1.2", name="Tiêu chí hai", max_score=Decimal(2)
    )
    assessment = Assessment.objects.create(
        subject=province,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=5),
    )
    for username, role, agency in (("snv", Role.PROCESS_OWNER, snv), ("cb-stp", Role.DEPARTMENT_EDITOR, stp)):
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        Profile.objects.create(user=user, role=role, agency=agency, province=province)
    return assessment, stp, first, second


def _login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_process_owner_marks_a_criterion_not_applicable(chromium, live_server, screenshots):
    assessment, stp, first, second = _world()
    base = live_server.url
    entry_url = f"{base}/danh-gia/{assessment.pk}/co-quan/{stp.pk}/"
    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _login(page, base, "snv")
        page.goto(entry_url)
        subtotal = page.locator("span.subtotal[data-subtotal-for='1']")
        assert subtotal.inner_text().endswith("/ 3")
        row = page.locator(f"#tc-{second.pk}")
        row.locator("summary:has-text('Không áp dụng…')").click()
        row.locator("textarea[name=reason]").fill("Tỉnh không có đơn vị thuộc diện này")
        screenshots(page, "10-khong-ap-dung-nhap-ly-do")
        row.locator("button:has-text('Đánh dấu không áp dụng')").click()
        page.wait_for_selector(".message.success")
        assert "1.2: đã đánh dấu không áp dụng" in page.inner_text(".messages")
        assert "Không áp dụng" in page.locator(f"#tc-{second.pk}").inner_text()
        assert re.search(r"/ 1$", page.locator("span.subtotal[data-subtotal-for='1']").inner_text())
        assert page.locator(f"#id_self_score_{second.pk}").count() == 0
        assert page.locator(f"#id_self_score_{first.pk}").count() == 1
        screenshots(page, "11-khong-ap-dung-da-danh-dau")
        assert not dialogs, dialogs  # a reason typed is not "unsaved scores"
        assert Score.objects.get(assessment=assessment, criterion=second).applicable is False
        page.click("button:has-text('Đăng xuất')")
        page.wait_for_url(re.compile(r".*/dang-nhap/.*"))

        _login(page, base, "cb-stp")
        page.goto(entry_url)
        assert "Không áp dụng" in page.locator(f"#tc-{second.pk}").inner_text()
        assert page.locator(f"#id_self_score_{second.pk}").count() == 0
        assert page.locator("details.applicability").count() == 0
        page.fill(f"#id_self_score_{first.pk}", "0,5")
        assert page.locator("output[data-subtotal-value='1']").inner_text() == "0,5"
        screenshots(page, "12-khong-ap-dung-can-bo")
        assert not errors, errors
    finally:
        context.close()
