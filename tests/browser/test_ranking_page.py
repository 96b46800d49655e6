"""The ranking page in Chromium at desktop width and at 390 px: the ranking, sorting by a
header link and filtering by the form (no script), charts, no CSP error, and at 390 px the page
itself does not scroll sideways (the table scrolls in its box)."""

import pytest

from assessments.models import Role
from tests.accounts import PASSWORD, make_account
from tests.ranking.conftest import make_block, make_province


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "name"), [(1360, "xep-hang-may-tinh"), (390, "xep-hang-dien-thoai")])
def test_ranking_page_sorts_and_filters_at_desktop_and_phone_width(
    chromium, live_server, screenshots, width, name
):
    province = make_province()
    _framework, units = make_block(province, 2024, 12)
    make_block(province, 2023, 12, units=units)
    make_account("snv", Role.PROCESS_OWNER, province)
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
        page.fill("input[name=username]", "snv")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.get_by_role("link", name="Xếp hạng Chỉ số CCHC các sở, ban, ngành và UBND cấp xã").click()
        rows = page.locator("table.ranking-table tbody tr")
        assert rows.count() == 12
        assert rows.first.locator("td.rank").inner_text() == "1"
        assert page.locator("figure.trend-chart svg").count() == 2
        screenshots(page, name)
        page.get_by_role("link", name="Sắp xếp theo tên đơn vị").click()
        assert "sap_xep=ten" in page.url
        names = page.locator("table.ranking-table tbody th a").all_inner_texts()
        assert names == sorted(names)
        grade = page.locator("#f-grade option").nth(2)
        label, count = grade.get_attribute("value"), int(grade.inner_text().rsplit("(", 1)[1].rstrip(")"))
        page.select_option("#f-grade", label)
        page.get_by_role("button", name="Xem").click()
        assert rows.count() == count
        assert all(text == label for text in page.locator("table.ranking-table span.grade").all_inner_texts())
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, overflow
    finally:
        context.close()
    assert not problems, problems
