"""A department editor logs in, types "0,9388", sees the field sub-total change, saves and
submits; Sở Nội vụ returns the part with a comment; the history shows both changes."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Agency, Assessment, Profile, Role, Score, Submission

PASSWORD = "Mat-khau-thu-2024"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _user(username, role, agency, name):
    first, last = name
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last
    )
    Profile.objects.create(user=user, role=role, agency=agency, province=agency.province if agency else None)
    return user


def _login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(f"{base}/")


def _logout(page):
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_url(re.compile(r".*/dang-nhap/.*"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enter_submit_return_and_history(chromium, live_server, reference_data, screenshots):
    sample = Assessment.objects.get(subject__code="70", framework__year=2023)
    framework = services.copy_framework(sample.framework, 2024)
    assessment = services.open_assessment(
        sample.subject,
        framework,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=6),
    )
    stp = Agency.objects.get(province=sample.subject, short_name="STP")
    owner_agency = Agency.objects.get(province=sample.subject, is_process_owner=True)
    editor = _user("cb-stp", Role.DEPARTMENT_EDITOR, stp, ("Lan", "Nguyễn Thị"))
    _user("snv", Role.PROCESS_OWNER, owner_agency, ("Minh", "Trần Văn"))
    result = scoring.compute(assessment)
    leaves = [n for n in scoring.responsible_leaves(result, stp.pk) if not n.is_survey]
    target = next(n for n in leaves if n.max >= 1)
    field_code = target.code.split(".")[0]
    rows = {
        n.criterion.pk: services.RowInput(0, {"self_score": Decimal("0"), "explanation": "Đạt một phần"})
        for n in leaves
        if n is not target
    }
    services.save_part(user=editor, assessment=assessment, agency=stp, rows=rows)
    cid = target.criterion.pk
    base = live_server.url

    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{base}/")
        screenshots(page, "01-dang-nhap")
        _login(page, base, "cb-stp")
        screenshots(page, "02-trang-chu-can-bo")
        page.click("a:has-text('Nhập liệu của cơ quan')")
        subtotal = page.locator(f'output[data-subtotal-value="{field_code}"]')
        assert subtotal.inner_text() == "0"
        page.fill(f"#id_self_score_{cid}", "0,9388")
        page.fill(f"#id_explanation_{cid}", "Đã ban hành kế hoạch theo dõi thi hành pháp luật")
        assert subtotal.inner_text() == "0,9388"  # updated while typing, before saving
        screenshots(page, "03-nhap-lieu-dang-go")
        page.click("button:has-text('Lưu bản nháp')")
        page.wait_for_selector(".message.success")
        assert page.locator(f'output[data-subtotal-value="{field_code}"]').inner_text() == "0,9388"
        assert Score.objects.get(assessment=assessment, criterion_id=cid).self_score == Decimal("0.9388")
        # A bad value is refused beside the field, in Vietnamese.
        page.fill(f"#id_self_score_{cid}", "-1")
        page.click("button:has-text('Lưu bản nháp')")
        page.wait_for_selector(f"#id_self_score_{cid}-error")
        assert "không được âm" in page.inner_text(f"#id_self_score_{cid}-error")
        screenshots(page, "04-nhap-lieu-loi")
        page.fill(f"#id_self_score_{cid}", "0,9388")
        page.click("button:has-text('Lưu bản nháp')")
        page.wait_for_selector(".message")
        # Evidence: picked, uploaded, listed with a download link.
        page.set_input_files(
            f'input[type=file][form="ev-{cid}"]',
            files=[{"name": "ke-hoach-TDTHPL.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        page.click(f'button[form="ev-{cid}"]')
        page.wait_for_selector("a:has-text('ke-hoach-TDTHPL.pdf')")
        page.click("#submit-button")
        page.wait_for_selector(".badge.ok:has-text('Đã gửi')")
        screenshots(page, "05-da-gui")
        assert Submission.objects.get(assessment=assessment, agency=stp).is_submitted
        assert page.locator(f"#id_self_score_{cid}").count() == 0  # read-only after submission
        _logout(page)

        _login(page, base, "snv")
        page.goto(f"{base}/danh-gia/{assessment.pk}/tien-do/")
        row = page.locator('tr[data-agency="STP"]')
        assert "Đã gửi" in row.inner_text()
        screenshots(page, "06-tien-do")
        row.locator("textarea[name=comment]").fill(
            "Đề nghị bổ sung tài liệu kiểm chứng cho TCTP " + target.code
        )
        row.locator("button:has-text('Trả lại')").click()
        page.wait_for_selector(".message.success")
        screenshots(page, "07-da-tra-lai")
        assert Submission.objects.get(assessment=assessment, agency=stp).status == "returned"

        page.goto(f"{base}/danh-gia/{assessment.pk}/tieu-chi/{cid}/lich-su/")
        history = page.inner_text("table.history")
        assert "(trống) → 0,9388" in history
        assert "Trả lại" in history and "Đề nghị bổ sung tài liệu kiểm chứng" in history
        assert "Gửi" in history
        screenshots(page, "08-lich-su")
        page.goto(f"{base}/danh-gia/{assessment.pk}/tham-dinh/")
        screenshots(page, "09-tham-dinh", full_page=False)
        assert not errors, errors
    finally:
        context.close()
