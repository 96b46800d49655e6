"""In the browser: "Gửi" right after typing saves what was typed and submits it (nothing
lost, no "field is empty" refusal); on the phúc tra page an empty re-check box keeps the
appraised score in the field's live total."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import (
    Agency,
    Assessment,
    Criterion,
    Framework,
    Profile,
    Role,
    Score,
    Subject,
    SubjectKind,
    Submission,
)

PASSWORD = "Mat-khau-thu-2024"


def _world():
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="99")
    stp = Agency.objects.create(province=province, name="Sở Tư pháp", short_name="STP")
    framework = Framework.objects.create(year=2031, name="Bộ tiêu chí thử")
    field = Criterion.objects.create(framework=framework, code="1", name="Lĩnh vực", max_score=Decimal("3"))
    leaves = [
        Criterion.objects.create(
            framework=framework, parent=field, code=code, name=f"Tiêu chí {code}", max_score=Decimal(m)
        )
        for code, m in (("1.1", "1"), ("1.2", "2"))
    ]
    field.agencies.set([stp])
    assessment = Assessment.objects.create(
        subject=province,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=5),
    )
    for username, role, agency in (("cb-stp", Role.DEPARTMENT_EDITOR, stp), ("hd", Role.APPRAISER, None)):
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        Profile.objects.create(user=user, role=role, agency=agency, province=province)
    return assessment, stp, leaves


def _login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_submit_right_after_typing_saves_and_submits(browser_page, live_server, screenshots):
    assessment, stp, (first, second) = _world()
    page, base = browser_page, live_server.url
    _login(page, base, "cb-stp")
    page.goto(f"{base}/danh-gia/{assessment.pk}/co-quan/{stp.pk}/")
    page.fill(f"#id_self_score_{first.pk}", "0,9388")
    page.fill(f"#id_explanation_{first.pk}", "Đã ban hành kế hoạch")
    page.fill(f"#id_self_score_{second.pk}", "")  # one box left empty: refused, nothing lost
    page.click("#submit-button")
    page.wait_for_selector(".message.error")
    assert "chưa có điểm tự đánh giá" in page.inner_text(".message.error")
    assert page.input_value(f"#id_self_score_{first.pk}") == "0,9388"
    assert page.input_value(f"#id_explanation_{first.pk}") == "Đã ban hành kế hoạch"
    assert not Score.objects.exists() and not Submission.objects.exists()
    page.fill(f"#id_self_score_{second.pk}", "1,5")
    page.click("#submit-button")
    page.wait_for_selector(".badge.ok:has-text('Đã gửi')")
    screenshots(page, "10-luu-va-gui")
    assert Submission.objects.get(assessment=assessment, agency=stp).is_submitted
    assert Score.objects.get(criterion=first).self_score == Decimal("0.9388")
    assert Score.objects.get(criterion=second).self_score == Decimal("1.5")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_recheck_total_keeps_the_appraised_score_of_an_empty_box(browser_page, live_server):
    assessment, _stp, (first, second) = _world()
    Score.objects.create(assessment=assessment, criterion=first, appraised_score=Decimal("0.5"))
    Score.objects.create(assessment=assessment, criterion=second, appraised_score=Decimal("1.5"))
    Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.RECHECK)
    page, base = browser_page, live_server.url
    _login(page, base, "hd")
    page.goto(f"{base}/danh-gia/{assessment.pk}/tham-dinh/")
    total = page.locator('output[data-subtotal-value="1"]')
    assert total.inner_text() == "2"  # not "0": the empty boxes keep 0,5 and 1,5
    page.fill(f"#id_score_{first.pk}", "1")
    assert total.inner_text() == "2,5"
    page.fill(f"#id_score_{first.pk}", "")
    assert total.inner_text() == "2"
    assert re.search(r"2\s*/\s*3", page.inner_text("tr.heading"))
