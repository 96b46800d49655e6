"""The trends page in Chromium at desktop width and at 390 px: charts and table shown, no CSP
error, and at 390 px the page itself does not scroll sideways (wide tables scroll in their box)."""

import pytest

from assessments.models import Role
from tests.accounts import PASSWORD, make_account
from tests.trends.conftest import publish, scored_2024


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "name"), [(1360, "xu-huong-may-tinh"), (390, "xu-huong-dien-thoai")])
def test_trends_page_at_desktop_and_phone_width(
    chromium, live_server, reference_data, screenshots, width, name
):
    from assessments.models import Assessment

    sample = Assessment.objects.select_related("subject", "framework").get(
        subject__code="70", framework__year=2023
    )
    publish(sample.subject, 2021, "84.10", 40, 63)
    scored_2024(sample)
    make_account("lanhdao", Role.VIEWER, sample.subject)
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    problems = []
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
        ),
    )
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/dang-nhap/")
        page.fill("input[name=username]", "lanhdao")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/bao-cao/doi-tuong/{sample.subject.pk}/xu-huong/")
        assert page.locator("figure.trend-chart svg").count() == 2
        assert page.locator("table.trend-table tbody tr").count() == 4
        assert page.get_by_role("heading", name="Tiêu chí giảm điểm (1)").is_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, overflow
        screenshots(page, name)
    finally:
        context.close()
    assert not problems, problems
