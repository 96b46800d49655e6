"""Scores computed from declared figures (assessments.scoring.rules): the reference's seven
criteria exactly, half-to-even rounding, every kind of rule, and bad figures refused with a
Vietnamese message naming the criterion."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.decimals import round_score
from assessments.models import Criterion, RuleKind
from assessments.scoring.rule_notation import parse_notation
from assessments.scoring.rules import (
    COUNT,
    PERCENT,
    RATIO,
    RuleError,
    ScoringRule,
    compute_score,
    parse_figure,
)

D = Decimal

# (criterion, max, rule, figures as the remark states them, the published score)
REFERENCE_ROWS = [
    ("1.1", "1.5", "tỷ lệ", "40/41", "1.4634"),
    ("7.1.4", "1", "tỷ lệ", "08/17", "0.4706"),
    ("6.1.1", "1", "phần trăm", "73,52%", "0.7352"),
    ("7.3.5", "0.5", "phần trăm", "98,49%", "0.4924"),
    ("7.3.6", "1.5", "phần trăm", "98,41%", "1.4762"),
    ("3.2.3", "1", "affine 0,5", "89,06%", "0.9453"),
    ("8.5", "2", "có trọng số", "13,25/22", "1.2045"),
]


@pytest.mark.parametrize(("code", "maximum", "notation", "figures", "published"), REFERENCE_ROWS)
def test_the_reference_rows_come_out_exactly_from_their_figures(code, maximum, notation, figures, published):
    rule = parse_notation(notation)
    assert rule.score(D(maximum), figures, code) == D(published)


def test_a_half_is_rounded_to_even_as_the_ministry_does():
    rule = parse_notation("phần trăm")
    exact = rule.exact_score(D("0.5"), parse_figure("98,49%"))
    assert exact == D("0.49245")
    assert rule.score(D("0.5"), "98,49%") == D("0.4924")  # half up would give 0,4925
    assert rule.score(D("1.5"), "98.41 %") == D("1.4762")  # 1,47615: the 1 is odd, so up


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("40/41", RATIO, "40/41"),
        ("08/17", RATIO, "8/17"),
        ("13,25/22", RATIO, "13,25/22"),
        ("13.25 / 22", RATIO, "13,25/22"),
        ("98,49%", PERCENT, "98,49%"),
        ("98.49 %", PERCENT, "98,49%"),
        ("3", COUNT, "3"),
        ("1/1000", RATIO, "1/1000"),
        ("1250,5/20000", RATIO, "1250,5/20000"),
    ],
)
def test_figures_are_read_as_people_write_them_and_kept_in_canonical_form(text, kind, canonical):
    figure = parse_figure(text)
    assert figure.kind == kind
    assert str(figure) == canonical
    assert parse_figure(str(figure)) == figure


def test_an_empty_figure_is_no_figure():
    assert parse_figure("") is None
    assert parse_figure("  ") is None
    assert parse_notation("tỷ lệ").score(D(1), "") is None


@pytest.mark.parametrize(
    ("notation", "text", "message"),
    [
        ("tỷ lệ", "0/0", "mẫu số bằng 0"),
        ("tỷ lệ", "40/0", "mẫu số bằng 0"),
        ("tỷ lệ", "42/41", "tử số lớn hơn mẫu số"),
        ("có trọng số", "23/22", "tử số lớn hơn mẫu số"),
        ("tỷ lệ", "-3/4", "âm"),
        ("phần trăm", "-5%", "âm"),
        ("tỷ lệ", "abc", "không phải là số liệu"),
        ("phần trăm", "101%", "lớn hơn 100%"),
        ("tỷ lệ", "0,9388", "không phải là số liệu"),
        ("có trọng số", "98%", "hai số a/b"),
        ("trừ 0,25/mục", "40/41", "số mục"),
        ("tỷ lệ", "1,23456/2", "quá 4 chữ số thập phân"),
        ("", "40/41", "nhập điểm trực tiếp"),
    ],
)
def test_bad_figures_are_refused_naming_the_criterion(notation, text, message):
    with pytest.raises(RuleError) as caught:
        parse_notation(notation).score(D(1), text, "1.1")
    assert caught.value.message.startswith("1.1: ")
    assert message in caught.value.message


def test_a_threshold_may_be_passed_beyond_100_percent():
    rule = parse_notation("ngưỡng 100:1; 90:0,5")
    assert rule.score(D(1), "105%") == D(1)
    assert rule.score(D(1), "42/41") == D(1)


@pytest.mark.parametrize(
    ("figures", "points"),
    [("95%", "1"), ("99,99%", "1"), ("94,99%", "0.5"), ("80%", "0.5"), ("79,9%", "0"), ("0%", "0")],
)
def test_thresholds_give_the_points_of_the_highest_bound_reached(figures, points):
    rule = parse_notation("ngưỡng 95:1; 80:0,5; 0:0")
    assert rule.score(D(1), figures) == D(points)


def test_thresholds_below_the_lowest_bound_give_nothing():
    assert parse_notation("ngưỡng 95:1; 80:0,5").score(D(1), "50%") == D(0)


@pytest.mark.parametrize(
    ("items", "score"), [("0", "1"), ("1", "0.75"), ("3", "0.25"), ("4", "0"), ("9", "0")]
)
def test_a_deduction_per_item_stops_at_the_floor(items, score):
    assert parse_notation("trừ 0,25/mục, tối thiểu 0").score(D(1), items) == D(score)


def test_a_deduction_floor_above_zero():
    assert parse_notation("trừ 0,5/mục, tối thiểu 0,5").score(D(2), "5") == D("0.5")


def test_a_cap_limits_a_section_total_and_nothing_else():
    rule = parse_notation("tối đa 2")
    assert rule.capped(D("2.75")) == D(2)
    assert rule.capped(D("1.5")) == D("1.5")
    assert rule.capped(None) is None
    assert parse_notation("tỷ lệ").capped(D("2.75")) == D("2.75")
    with pytest.raises(RuleError, match="nhập điểm trực tiếp"):
        rule.score(D(2), "3")


def test_compute_score_reads_the_criterion_rule(db):
    criterion = Criterion(code="1.1", max_score=D("1.5"), rule_kind=RuleKind.RATIO)
    assert compute_score(criterion, "40/41") == D("1.4634")
    with pytest.raises(RuleError, match=r"^1\.1: .*mẫu số bằng 0"):
        compute_score(criterion, "1/0")


# --- properties -----------------------------------------------------------------------------

maxima = st.decimals(min_value=D("0.25"), max_value=D("10"), places=2)
counts = st.integers(min_value=1, max_value=5000)


@given(maximum=maxima, total=counts, data=st.data())
def test_a_ratio_score_lies_between_zero_and_the_max_and_grows_with_the_count(maximum, total, data):
    done = data.draw(st.integers(min_value=0, max_value=total))
    rule = ScoringRule(kind=RuleKind.RATIO)
    score = rule.score(maximum, f"{done}/{total}")
    assert D(0) <= score <= maximum
    assert score == round_score(maximum * D(done) / D(total))
    assert score.as_tuple().exponent >= -4
    if done < total:
        assert rule.score(maximum, f"{done + 1}/{total}") >= score


@given(maximum=maxima, percent=st.decimals(min_value=0, max_value=100, places=2))
def test_a_percentage_is_the_same_share_as_the_ratio_it_writes(maximum, percent):
    as_percent = ScoringRule(kind=RuleKind.PERCENTAGE).score(maximum, f"{percent}%")
    as_ratio = ScoringRule(kind=RuleKind.RATIO).score(maximum, f"{percent * 100:.0f}/10000")
    assert as_percent == as_ratio == round_score(maximum * percent / 100)


@given(
    maximum=maxima,
    base=st.decimals(min_value=0, max_value=D("0.99"), places=2),
    percent=st.decimals(min_value=0, max_value=100, places=2),
)
def test_an_affine_score_runs_from_the_base_share_to_the_max(maximum, base, percent):
    rule = ScoringRule(kind=RuleKind.AFFINE, base=base)
    score = rule.score(maximum, f"{percent}%")
    assert round_score(maximum * base) <= score <= maximum
    assert rule.score(maximum, "100%") == round_score(maximum)
    assert rule.score(maximum, "0%") == round_score(maximum * base)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"steps": [[None, "1"]]}, "không đọc được"),
        ({"steps": [["95", ""]]}, "không đọc được"),
    ],
)
def test_a_stored_threshold_step_with_an_empty_number_is_a_rule_error(parameters, message):
    with pytest.raises(RuleError, match=message):
        ScoringRule.from_stored("thresholds", parameters)


def test_a_rule_built_without_its_parameter_is_refused_with_a_message_not_a_crash():
    from assessments.scoring.rule_notation import describe_rule

    affine = ScoringRule(kind=RuleKind.AFFINE)
    with pytest.raises(RuleError, match="hệ số k"):
        affine.score(D(1), "50%")
    with pytest.raises(RuleError, match="hệ số k"):
        describe_rule(affine)
    with pytest.raises(RuleError, match="điểm trừ mỗi mục"):
        ScoringRule(kind=RuleKind.DEDUCTION).score(D(1), "2")
    with pytest.raises(RuleError, match="giới hạn"):
        ScoringRule(kind=RuleKind.CAP).capped(D(3))
