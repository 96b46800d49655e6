"""Composition rules: comment markup, narrative paragraphs, drafts, sentence case."""

import pytest

from reports.compose import build_report, change_phrase, rank_change_phrase
from reports.document import paragraphs_from_text, rich_runs
from reports.facts import sentence_case
from reports.services import save_narrative


def test_only_i_and_b_tags_become_formatting():
    runs = rich_runs('<i>Theo kết quả thẩm định:</i> xem <img src="file:///etc/passwd">')
    assert [(r.text, r.italic) for r in runs] == [
        ("Theo kết quả thẩm định:", True),
        (' xem <img src="file:///etc/passwd">', False),
    ]


def test_narrative_lines_become_paragraphs_and_list_items():
    blocks = paragraphs_from_text("Mở đầu\n\n- Một\n+ Hai")
    assert [(b.style, b.text) for b in blocks] == [
        ("body", "Mở đầu"),
        ("bullet", "Một"),
        ("subbullet", "Hai"),
    ]


def test_sentence_case_keeps_acronyms():
    assert sentence_case("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC") == "Công tác chỉ đạo, điều hành CCHC"
    assert sentence_case("Cải cách thể chế") == "Cải cách thể chế"


def test_change_phrases():
    from decimal import Decimal

    assert change_phrase(Decimal("3.54"), 2022) == "tăng 3,54 điểm phần trăm so với năm 2022"
    assert change_phrase(Decimal("-0.26"), 2022) == "giảm 0,26 điểm phần trăm so với năm 2022"
    assert rank_change_phrase(-30, 2022) == "giảm 30 bậc so với năm 2022"
    assert rank_change_phrase(None, 2022) == ""


@pytest.mark.django_db
def test_text_equal_to_the_draft_is_not_stored(sample_assessment, django_user_model):
    from reports.drafts import drafts_for
    from reports.facts import gather

    draft = drafts_for(gather(sample_assessment))["field_1"]
    narrative = save_narrative(sample_assessment, None, {"field_1": draft + "\r\n", "field_2": "Riêng"})
    assert narrative.field_texts == {"2": "Riêng"}


@pytest.mark.django_db
def test_fields_grouped_by_rank_change(sample_assessment):
    report = build_report(sample_assessment)
    headings = [b.text for b in report.blocks if b.kind == "heading" and b.level in (2, 3)]
    up = headings.index("1. Các lĩnh vực có thứ hạng tăng (06 lĩnh vực)")
    down = headings.index("2. Các lĩnh vực có thứ hạng giảm (02 lĩnh vực)")
    assert [h.split(")")[0] for h in headings[up + 1 : down]] == ["a", "b", "c", "d", "đ", "e"]
    assert headings[down + 1].startswith("a) Lĩnh vực cải cách chế độ công vụ")
    assert headings[down + 2].startswith("b) Lĩnh vực xây dựng và phát triển")


@pytest.mark.django_db
def test_region_rank_sentence_when_known(sample_assessment, monkeypatch):
    from assessments import scoring
    from assessments.models import Subject

    ahead = Subject(name="Bà Rịa - Vũng Tàu", kind="province")
    monkeypatch.setattr(
        scoring,
        "region_rank",
        lambda subject, year: scoring.RegionRank(rank=2, count=6, region="Đông Nam Bộ", ahead=[ahead]),
    )
    intro = next(
        b.text
        for b in build_report(sample_assessment).blocks
        if "Chỉ số đạt 88,01%" in getattr(b, "text", "")
    )
    expected = (
        "(tăng 18 bậc so với năm 2022) và đứng thứ 02/6 trong khu vực Đông Nam Bộ "
        "(sau tỉnh Bà Rịa - Vũng Tàu)."
    )
    assert expected in intro


@pytest.mark.django_db
def test_survey_shares_are_called_shares_of_the_points_not_the_survey_index(sample_assessment):
    """76,26% is 7,6256 of 10 points; the SIPAS index the survey published (76,08%) is
    another figure, so the report must not print the share as if it were the index."""
    report = build_report(sample_assessment)
    general = next(b.text for b in report.blocks if getattr(b, "text", "").startswith("Kết quả chung:"))
    assert (
        "điểm kết quả khảo sát sự hài lòng của người dân, tổ chức (SIPAS) đạt 7,63/10 điểm, "
        "bằng 76,26% số điểm tối đa" in general
    )
    leaders = "điểm khảo sát đối tượng lãnh đạo, quản lý đạt 18,30/22 điểm, bằng 83,18% số điểm tối đa"
    assert leaders in general
    assert "(76,26%)" not in general
