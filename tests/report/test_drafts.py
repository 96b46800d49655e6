"""The field drafts read as an officer writes them, from facts that do not contradict one
another; last year's figure follows one rule (the published figure when imported, else the
computed one) in the text, the chart and the annex table. Built on the reference data
(Bình Phước 2023, published 2022 and 2023 results) and a 2024 assessment made here."""

from decimal import Decimal

import pytest

from assessments import scoring
from assessments.models import Assessment, PublishedResult, Score
from reports.compose import compose
from reports.drafts import drafts_for
from reports.facts import gather, previous_figures_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2024(sample_assessment):
    """Bình Phước 2024 on a copy of the 2023 framework, with 2023's scores, except: field 1
    gains back TC 1.1's lost points (its index rises, other criteria still below max), and
    field 5 loses 0,5 point on a criterion at max in 2023 (its index falls)."""
    from assessments.services import copy_framework, open_assessment

    framework = copy_framework(sample_assessment.framework, 2024)
    assessment = open_assessment(sample_assessment.subject, framework, phase=Assessment.Phase.PUBLISHED)
    by_code = {c.code: c for c in framework.criteria.all()}
    before = scoring.compute(sample_assessment)
    field_1_below = [n for n in before.below_max_criteria if n.code.startswith("1.")]
    field_5_at_max = [n for n in before.at_max_criteria if n.code.startswith("5.") and n.max >= 1]
    raised, lowered = field_1_below[0], field_5_at_max[0]
    scores = []
    for old in Score.objects.filter(assessment=sample_assessment).select_related("criterion"):
        appraised = old.appraised_score
        if old.criterion.code == raised.code:
            appraised = raised.max
        if old.criterion.code == lowered.code:
            appraised = lowered.max - Decimal("0.5")
        scores.append(
            Score(
                assessment=assessment,
                criterion=by_code[old.criterion.code],
                applicable=old.applicable,
                self_score=old.self_score,
                appraised_score=appraised,
                appraisal_comment=old.appraisal_comment
                if old.criterion.code != lowered.code
                else "Chưa ban hành kế hoạch",
                rechecked_score=None
                if old.criterion.code in (raised.code, lowered.code)
                else old.rechecked_score,
            )
        )
    Score.objects.bulk_create(scores)
    return {"assessment": assessment, "raised": raised, "lowered": lowered, "still_below": field_1_below[1:]}


def test_a_risen_field_gives_no_cause_for_a_fall(year_2024):
    facts = gather(year_2024["assessment"])
    field_1 = next(f for f in facts.fields if f.code == "1")
    assert field_1.comparison.change > 0
    draft = drafts_for(facts)["field_1"]
    assert "Nguyên nhân" not in draft and "giảm do" not in draft
    assert "Chỉ số của lĩnh vực tăng" in draft
    assert f"Điểm tăng so với năm 2023 ở {year_2024['raised'].label}" in draft
    # what is still lost follows with "Tuy nhiên", by criterion, with its points and agency
    still = year_2024["still_below"][0]
    assert "Tuy nhiên, lĩnh vực vẫn còn bị trừ" in draft
    assert f"{still.label} bị trừ {format_points(still)}" in draft
    assert still.responsible[0].name in draft
    assert "đạt điểm tối đa qua thẩm định (" in draft  # what was done well, named


def format_points(node):
    from assessments.decimals import format_score

    return f"{format_score(node.max - node.appraised)} điểm"


def test_a_fallen_field_names_the_lost_points(year_2024):
    facts = gather(year_2024["assessment"])
    field_5 = next(f for f in facts.fields if f.code == "5")
    assert field_5.comparison.change < 0
    draft = drafts_for(facts)["field_5"]
    lowered = year_2024["lowered"]
    assert f"Chỉ số giảm do điểm giảm so với năm 2023 ở {lowered.label} (giảm 0,5 điểm)" in draft
    assert f"{lowered.label} bị trừ 0,5 điểm" in draft
    assert "Năm 2024, lĩnh vực bị trừ tổng cộng" in draft
    assert "Tuy nhiên, lĩnh vực vẫn còn" not in draft
    # the council's reason is printed with the criterion, right after the draft
    report = compose(facts)
    texts = [getattr(b, "text", "") for b in report.blocks]
    assert "Lý do: Chưa ban hành kế hoạch" in texts


def test_no_draft_of_the_reference_contradicts_its_direction(sample_assessment):
    facts = gather(sample_assessment)
    drafts = drafts_for(facts)
    for f in facts.fields:
        draft = drafts[f"field_{f.code}"]
        if f.comparison.change is not None and f.comparison.change > 0:
            assert "Nguyên nhân" not in draft and "giảm do" not in draft, f.code
            assert "Chỉ số của lĩnh vực tăng" in draft, f.code
        if f.comparison.change is not None and f.comparison.change < 0:
            assert "Chỉ số của lĩnh vực giảm" in draft and "tăng" not in draft.split("thứ hạng")[0], f.code
        if f.below_max:
            assert all(n.label in draft for n in f.below_max[:8]), f.code


def test_last_years_figure_is_the_published_one_everywhere(year_2024):
    """Field 7 of 2023: published 87,41, computed 87,38. The 2024 report compares with the
    published 87,41 in the text, the chart and the annex table, and says so in a note."""
    facts = gather(year_2024["assessment"])
    field_7 = next(f for f in facts.fields if f.code == "7")
    assert field_7.previous.is_published and field_7.previous.index == Decimal("87.41")
    assert scoring.round_index(field_7.previous.computed_index) == Decimal("87.38")
    draft_7 = drafts_for(facts)["field_7"]
    assert "(từ 87,41% theo kết quả công bố xuống 87,38%)" in draft_7
    assert "mức chênh là do kết quả công bố năm 2023 (87,41%) khác Chỉ số tính từ điểm thẩm định" in draft_7
    report = compose(facts)
    [index_chart] = [b for b in report.blocks if getattr(b, "kind", "") == "chart" and "Chỉ số" in b.title]
    assert "Lĩnh vực 7: 87,38% (năm 2023: 87,41%)" in index_chart.alt
    table = report.annexes[1].blocks[0]
    row_7 = next(r for r in table.rows if r.cells[0].text == "7")
    assert [c.text for c in row_7.cells[2:7]][2] == "87,41"
    note = previous_figures_note(facts)
    assert note.startswith("Số liệu năm 2023 dùng để so sánh là kết quả do Bộ Nội vụ công bố.")
    assert (
        "Ở lĩnh vực 7, kết quả công bố năm 2023 là 87,41%, Chỉ số tính từ điểm thẩm định năm 2023 là 87,38%."
        in note
    )
    notes = [b.text for b in report.blocks if getattr(b, "style", "") == "note"]
    assert f"Ghi chú: {note}" in notes  # beside the chart
    assert f"Ghi chú: {note}" in [getattr(b, "text", "") for b in report.annexes[1].blocks]  # the table


def test_without_published_results_last_years_figure_is_computed(year_2024):
    PublishedResult.objects.filter(year=2023).delete()
    facts = gather(year_2024["assessment"])
    field_7 = next(f for f in facts.fields if f.code == "7")
    assert not field_7.previous.is_published
    assert scoring.round_index(field_7.previous.index) == Decimal("87.38")
    assert field_7.comparison.change == 0 and field_7.comparison.previous_rank is None
    assert "không đổi" in drafts_for(facts)["field_7"]
    assert "Chỉ số tính từ điểm thẩm định năm 2023 (chưa nhập kết quả công bố" in previous_figures_note(facts)
    table = compose(facts).annexes[1].blocks[0]
    row_7 = next(r for r in table.rows if r.cells[0].text == "7")
    assert row_7.cells[4].text == "87,38"


def test_a_department_report_is_signed_in_its_province(db):
    """Sở Nội vụ signs a department's report where it signs the province's: "Thử Nghiệm, ngày …",
    not the department's name (found by the crawl of every page)."""
    from tests.ranking.conftest import make_block, make_province

    province = make_province()
    _framework, units = make_block(province, 2024, 2)
    assessment = Assessment.objects.get(subject=units[0])
    facts = gather(assessment)
    assert drafts_for(facts)["place"] == "Thử Nghiệm"
    assert compose(facts).header.place_date.startswith("Thử Nghiệm, ngày")
