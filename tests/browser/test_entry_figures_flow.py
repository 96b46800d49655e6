"""A department declares figures, sees the score, submits (issue 12 §2): Sở Nội vụ's editor
types 40 / 41 for TC 1.1 ("số nhiệm vụ hoàn thành / tổng số nhiệm vụ"), the page shows
1,4634 while typing, a figure that cannot be is refused beside the field, and "Gửi" stores
the figures with the score the server computes. Then the search box finds a criterion by words
without diacritics, and the same page works on a 390 px phone."""

import pytest

from assessments.models import Role, Score, Submission

from .entry_world import agency, fill_except, login, make_user, open_2024, watched_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_department_declares_figures_sees_the_score_and_submits(
    chromium, live_server, reference_data, screenshots
):
    assessment = open_2024()
    snv = agency(assessment, "SNV")
    editor = make_user("cb-snv", Role.DEPARTMENT_EDITOR, snv)
    fill_except(assessment, snv, editor, keep={"1.1"})
    cid = assessment.framework.criteria.get(code="1.1").pk
    base = live_server.url
    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    page, errors = watched_page(context)
    try:
        login(page, base, "cb-snv")
        page.click("a:has-text('Nhập liệu của cơ quan')")
        page.wait_for_selector("#entry-form")
        row = page.locator(f"#tc-{cid}")
        assert "số nhiệm vụ hoàn thành" in row.inner_text()
        assert "Cách tính điểm" in row.inner_text()
        score_box = page.locator(f"#id_self_score_{cid}")
        assert score_box.get_attribute("readonly") is not None
        page.fill(f"#id_self_figures_{cid}_0", "42")
        page.fill(f"#id_self_figures_{cid}_1", "41")
        assert "Tử số lớn hơn mẫu số" in row.locator("[data-figure-live]").inner_text()
        page.fill(f"#id_self_figures_{cid}_0", "40")
        assert score_box.input_value() == "1,4634"  # live, before saving
        assert row.locator("[data-figure-live]").inner_text() == "Điểm tính được: 1,4634"
        subtotal = page.locator('output[data-subtotal-value="1"]').inner_text()
        assert subtotal.startswith("1,4634") or "1,4634" in subtotal
        row.scroll_into_view_if_needed()
        screenshots(page, "entry-figures-01-live-score", full_page=False)

        # The server's own check: a zero denominator is refused beside the field, nothing saved.
        page.fill(f"#id_self_figures_{cid}_1", "0")
        page.click("button[value=save]")
        page.wait_for_selector(f"#id_self_figures_{cid}-error")
        assert "mẫu số bằng 0" in page.inner_text(f"#id_self_figures_{cid}-error")
        assert not Score.objects.filter(assessment=assessment, criterion_id=cid).exists()
        page.locator(f"#tc-{cid}").scroll_into_view_if_needed()
        screenshots(page, "entry-figures-02-refused", full_page=False)

        page.fill(f"#id_self_figures_{cid}_1", "41")
        assert page.locator(f"#id_self_score_{cid}").input_value() == "1,4634"
        page.click("#submit-button")
        page.wait_for_selector(".badge.ok:has-text('Đã gửi')")
        score = Score.objects.get(assessment=assessment, criterion_id=cid)
        assert (score.self_figures, str(score.self_score)) == ("40/41", "1.4634")
        assert Submission.objects.get(assessment=assessment, agency=snv).is_submitted
        row = page.locator(f"#tc-{cid}")
        assert "1,4634" in row.inner_text() and "40/41" in row.inner_text()
        screenshots(page, "entry-figures-03-submitted", full_page=False)

        # Search by words without diacritics.
        page.fill("#q", "xu ly van de kiem tra")
        page.press("#q", "Enter")
        page.wait_for_selector("text=tiêu chí khớp")
        codes = page.locator("tr.leaf").evaluate_all("rows => rows.map(r => r.dataset.code)")
        assert "1.3.2" in codes and "1.1" not in codes, codes
        screenshots(page, "entry-figures-04-search", full_page=False)
        assert not errors, errors
    finally:
        context.close()


# The seven rows of issue 12's table: what the page's script shows must be what the server
# stores (exact decimals, half to even: 0,49245 -> 0,4924, 1,47615 -> 1,4762).
REFERENCE_ROWS = [
    ("ratio", "1.5", {}, ("ratio", "40", "41"), "1,4634"),
    ("ratio", "1", {}, ("ratio", "08", "17"), "0,4706"),
    ("percentage", "1", {}, ("percent", "73,52"), "0,7352"),
    ("percentage", "0.5", {}, ("percent", "98,49"), "0,4924"),
    ("percentage", "1.5", {}, ("percent", "98,41"), "1,4762"),
    ("affine", "1", {"base": "0.5"}, ("percent", "89,06"), "0,9453"),
    ("weighted", "2", {}, ("ratio", "13,25", "22"), "1,2045"),
    ("thresholds", "1", {"steps": [["95", "1"], ["80", "0.5"], ["0", "0"]]}, ("percent", "85"), "0,5"),
    ("deduction", "2", {"per_item": "0.25", "floor": "1"}, ("count", "6"), "1"),
]

SCRIPT_SCORE = """([kind, max, parameters, figure]) => {
  const F = window.ParIndexFigures;
  const value = F.parse(figure[1]);
  const fig = figure[0] === "ratio"
    ? {kind: "ratio", value, total: F.parse(figure[2])}
    : {kind: figure[0], value};
  const result = F.exactScore({kind, max, parameters}, fig);
  return result.error || F.format(F.roundScore(result.value));
}"""

# The appraisal page types a corrected figure in one box ("13,25/22", "98,49%", "6"): the same
# module (static/js/figures.js) reads it and gives the same score.
SCRIPT_SCORE_FROM_TEXT = """([kind, max, parameters, figure]) => {
  const F = window.ParIndexFigures;
  const text = figure[0] === "ratio" ? figure[1] + "/" + figure[2]
    : figure[0] === "percent" ? figure[1] + "%" : figure[1];
  return F.formatUnits(F.score({kind, max, parameters}, text));
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_live_score_is_the_servers_for_the_reference_rows(chromium, live_server, reference_data):
    assessment = open_2024()
    make_user("cb-snv", Role.DEPARTMENT_EDITOR, agency(assessment, "SNV"))
    context = chromium.new_context(viewport={"width": 1360, "height": 900}, locale="vi-VN")
    page, errors = watched_page(context)
    try:
        login(page, live_server.url, "cb-snv")
        page.click("a:has-text('Nhập liệu của cơ quan')")
        page.wait_for_selector("#entry-form")
        for kind, max_score, parameters, figure, expected in REFERENCE_ROWS:
            shown = page.evaluate(SCRIPT_SCORE, [kind, max_score, parameters, list(figure)])
            assert shown == expected, (kind, figure, shown)
            typed = page.evaluate(SCRIPT_SCORE_FROM_TEXT, [kind, max_score, parameters, list(figure)])
            assert typed == expected, (kind, figure, typed)
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_figures_on_a_phone(chromium, live_server, reference_data, screenshots):
    assessment = open_2024()
    snv = agency(assessment, "SNV")
    make_user("cb-snv", Role.DEPARTMENT_EDITOR, snv)
    cid = assessment.framework.criteria.get(code="1.1").pk
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, has_touch=True
    )
    page, errors = watched_page(context)
    try:
        login(page, live_server.url, "cb-snv")
        page.click("a:has-text('Nhập liệu của cơ quan')")
        page.wait_for_selector("#entry-form")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator(f"#tc-{cid}").scroll_into_view_if_needed()
        page.fill(f"#id_self_figures_{cid}_0", "40")
        page.fill(f"#id_self_figures_{cid}_1", "41")
        assert page.locator(f"#id_self_score_{cid}").input_value() == "1,4634"
        save = page.locator("button[value=save]")
        assert save.is_visible()
        box = save.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844  # on screen (sticky)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshots(page, "entry-figures-05-phone", full_page=False)
        save.click()
        page.wait_for_selector(".message.success")
        assert Score.objects.get(assessment=assessment, criterion_id=cid).self_figures == "40/41"
        assert not errors, errors
    finally:
        context.close()
