"""The annex's "Số liệu tự đánh giá" and "Số liệu thẩm định" columns, both ways: figures are
exported as text, a row with figures and no score gets the score its rule gives, a row with
both must agree to 4 decimals or the import is refused naming the row (issue 12)."""

import datetime
from decimal import Decimal

import pytest

from assessments.exchange.annex import import_annex
from assessments.exchange.export import export_annex
from assessments.models import Score

from .test_round_trip import cell, edited, open_sample, sheet  # noqa: F401 (open_sample: a fixture)

pytestmark = pytest.mark.django_db


def score(assessment, code):
    return Score.objects.get(assessment=assessment, criterion__code=code)


def test_figures_without_a_score_give_the_score_of_the_rule(open_sample):  # noqa: F811
    content = edited(
        export_annex(open_sample).content,
        {
            ("1.1", "Số liệu tự đánh giá"): "40/41",
            ("1.1", "Điểm tự đánh giá"): None,
            ("7.3.5", "Số liệu thẩm định"): "98,49%",
            ("7.3.5", "Điểm thẩm định"): None,
        },
    )
    outcome = import_annex(content, open_sample.subject, 2023)
    assert outcome.errors == [] and outcome.written
    first, online = score(open_sample, "1.1"), score(open_sample, "7.3.5")
    assert (first.self_figures, first.self_score) == ("40/41", Decimal("1.4634"))
    assert (online.appraised_figures, online.appraised_score) == ("98,49%", Decimal("0.4924"))
    record = first.history.order_by("-history_date", "-history_id").first()
    assert (record.self_figures, record.self_score, record.change_source) == (
        "40/41",
        Decimal("1.4634"),
        "import",
    )


def test_figures_are_exported_as_text_and_come_back_unchanged(open_sample):  # noqa: F811
    Score.objects.filter(pk=score(open_sample, "1.1").pk).update(
        self_figures="40/41", self_score=Decimal("1.4634")
    )
    content = export_annex(open_sample).content
    ws = sheet(content)
    assert cell(ws, "1.1", "Số liệu tự đánh giá").value == "40/41"
    assert cell(ws, "1.1", "Số liệu tự đánh giá").data_type == "s"
    outcome = import_annex(content, open_sample.subject, 2023)
    assert outcome.errors == []
    assert "0 dòng thay đổi" in outcome.summary()


def test_figures_that_contradict_the_score_are_refused_naming_the_row(open_sample):  # noqa: F811
    before = list(Score.objects.order_by("pk").values_list("self_score", "self_figures"))
    content = edited(
        export_annex(open_sample).content,
        {("1.1", "Số liệu tự đánh giá"): "40/41", ("1.1", "Điểm tự đánh giá"): 1.2},
    )
    outcome = import_annex(content, open_sample.subject, 2023)
    assert not outcome.written
    [problem] = outcome.errors
    assert problem.code == "1.1" and problem.row == cell(sheet(content), "1.1", "Số liệu tự đánh giá").row
    assert "1,4634" in problem.message
    assert list(Score.objects.order_by("pk").values_list("self_score", "self_figures")) == before


@pytest.mark.parametrize(
    ("code", "figures", "words"),
    [
        ("1.1", "40/0", "mẫu số bằng 0"),
        ("1.1", "42/41", "tử số lớn hơn mẫu số"),
        ("7.3.5", "101%", "lớn hơn 100%"),
        ("1.2", "3/4", "nhập điểm trực tiếp"),
        ("1.1", datetime.datetime(2026, 8, 17), "Văn bản"),
    ],
)
def test_bad_figures_are_refused_in_vietnamese_and_change_nothing(open_sample, code, figures, words):  # noqa: F811
    before = list(Score.objects.order_by("pk").values_list("self_score", "self_figures"))
    content = edited(export_annex(open_sample).content, {(code, "Số liệu tự đánh giá"): figures})
    outcome = import_annex(content, open_sample.subject, 2023)
    assert not outcome.written
    assert any(words in problem.message and problem.code == code for problem in outcome.errors), (
        outcome.errors
    )
    assert list(Score.objects.order_by("pk").values_list("self_score", "self_figures")) == before
