"""A department downloads its own part as Excel (issue 13, story 9): from its entry page, on
a desktop and on a 390 px phone, the link "Tải Excel phần của cơ quan" beside the status;
the file arrives under its Vietnamese name and holds the rows the page shows."""

import openpyxl
import pytest

from assessments.models import Role

from .entry_world import agency, fill_except, login, make_user, open_2024, watched_page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1360, "height": 900}


def _download_part(page, tmp_path, name):
    link = page.locator("#part-export")
    assert link.is_visible()
    assert link.inner_text() == "Tải Excel phần của cơ quan"
    with page.expect_download() as info:
        link.click()
    download = info.value
    target = tmp_path / name
    download.save_as(target)
    return download.suggested_filename, openpyxl.load_workbook(target).active


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_department_downloads_its_part(chromium, live_server, reference_data, screenshots, tmp_path):
    assessment = open_2024()
    stp = agency(assessment, "STP")
    editor = make_user("cb-stp", Role.DEPARTMENT_EDITOR, stp)
    fill_except(assessment, stp, editor)
    for viewport, label in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        phone = viewport is PHONE
        context = chromium.new_context(
            viewport=viewport, locale="vi-VN", accept_downloads=True, is_mobile=phone, has_touch=phone
        )
        page, errors = watched_page(context)
        try:
            login(page, live_server.url, "cb-stp")
            page.click("a:has-text('Nhập liệu của cơ quan')")
            page.wait_for_selector("#entry-form")
            if phone:
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], f"trang rộng {width} px"
            # The link sits in the page head, beside the part's status.
            status_box = page.locator("#part-status").bounding_box()
            link_box = page.locator("#part-export").bounding_box()
            assert link_box["y"] < status_box["y"] + status_box["height"]
            screenshots(page, f"part-export-{label}-01-entry", full_page=False)
            page_codes = page.eval_on_selector_all(
                "#entry-table tbody td.code", "cells => cells.map(c => c.textContent.trim())"
            )
            assert len(page_codes) > 10

            filename, ws = _download_part(page, tmp_path, f"{label}.xlsx")
            assert filename == "Phần tự đánh giá Sở Tư pháp 2024.xlsx"
            assert ws.title == "Phần của Sở Tư pháp"
            # The page's rows, headings and leaves, in the same order.
            codes = [row[0] for row in ws.iter_rows(min_row=7, values_only=True) if row[0]]
            assert codes == page_codes
            names = [row[1] or "" for row in ws.iter_rows(min_row=7, values_only=True)]
            assert names[-1].startswith("TỔNG CỘNG PHẦN CỦA CƠ QUAN")
            assert not errors, errors
        finally:
            context.close()
