"""The "Cách tính điểm" notation: parsed and formatted both ways, stored on the criterion,
described in Vietnamese, and given to the entry page's script as data."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Criterion, RuleKind
from assessments.scoring.rule_notation import format_notation, parse_notation
from assessments.scoring.rules import RuleError, ScoringRule

D = Decimal


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("", RuleKind.NONE, ""),
        ("nhập điểm", RuleKind.NONE, ""),
        ("tỷ lệ", RuleKind.RATIO, "tỷ lệ"),
        ("Tỉ lệ", RuleKind.RATIO, "tỷ lệ"),
        ("ty le", RuleKind.RATIO, "tỷ lệ"),
        ("phần trăm", RuleKind.PERCENTAGE, "phần trăm"),
        ("affine 0,5", RuleKind.AFFINE, "affine 0,5"),
        ("affine 0.25", RuleKind.AFFINE, "affine 0,25"),
        ("có trọng số", RuleKind.WEIGHTED, "có trọng số"),
        ("ngưỡng 95:1; 80:0,5; 0:0", RuleKind.THRESHOLDS, "ngưỡng 95:1; 80:0,5; 0:0"),
        ("Ngưỡng 95%: 1 ;80% :0.5", RuleKind.THRESHOLDS, "ngưỡng 95:1; 80:0,5"),
        ("trừ 0,25/mục, tối thiểu 0", RuleKind.DEDUCTION, "trừ 0,25/mục, tối thiểu 0"),
        ("trừ 0,25 / mục", RuleKind.DEDUCTION, "trừ 0,25/mục, tối thiểu 0"),
        ("tru 0,5/muc, toi thieu 0,25", RuleKind.DEDUCTION, "trừ 0,5/mục, tối thiểu 0,25"),
        ("tối đa 2", RuleKind.CAP, "tối đa 2"),
        ("tối đa 1000", RuleKind.CAP, "tối đa 1000"),
    ],
)
def test_each_form_is_read_and_written_back_in_canonical_form(text, kind, canonical):
    rule = parse_notation(text)
    assert rule.kind == kind
    assert format_notation(rule) == canonical
    assert parse_notation(canonical) == rule


def test_figure_labels_go_in_square_brackets_numerator_then_denominator():
    rule = parse_notation("tỷ lệ [số nhiệm vụ hoàn thành / tổng số nhiệm vụ]")
    assert rule.labels == ("số nhiệm vụ hoàn thành", "tổng số nhiệm vụ")
    assert rule.to_notation() == "tỷ lệ [số nhiệm vụ hoàn thành / tổng số nhiệm vụ]"
    assert rule.to_notation(labels=False) == "tỷ lệ"
    assert rule.input == "pair"
    assert parse_notation("affine 0,5 [tỷ lệ hồ sơ được công khai]").input == "percent"
    assert parse_notation("affine 0,5 [số hồ sơ công khai / tổng số hồ sơ]").input == "pair"
    assert parse_notation("trừ 0,25/mục [số báo cáo trễ hạn]").input == "count"
    assert parse_notation("").input is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tỷ số", "không đọc được"),
        ("affine", "không đọc được"),
        ("affine 1", "từ 0 đến dưới 1"),
        ("ngưỡng 80:0,5; 95:1", "từ cao xuống thấp"),
        ("ngưỡng 95:1; 95:0,5", "khác nhau"),
        ("ngưỡng 95=1", "mốc “95=1” không đọc được"),
        ("trừ 0/mục", "lớn hơn 0"),
        ("tỷ lệ [a / b / c]", "nhiều nhất hai phần"),
        ("tỷ lệ [a] [b]", "ngoặc vuông ở cuối"),
        ("tối đa 2 [số mục]", "không có số liệu"),
        ("affine 0,123456", "quá 4 chữ số thập phân"),
    ],
)
def test_a_notation_that_does_not_make_a_rule_gets_a_vietnamese_message(text, message):
    with pytest.raises(RuleError) as caught:
        parse_notation(text)
    assert message in caught.value.message


def test_a_rule_is_checked_against_the_criterion_max():
    with pytest.raises(RuleError, match="lớn hơn điểm tối đa 1"):
        parse_notation("ngưỡng 95:1,5; 0:0").check(D(1))
    with pytest.raises(RuleError, match="mức sàn lớn hơn điểm tối đa"):
        parse_notation("trừ 0,25/mục, tối thiểu 2").check(D(1))


def test_the_rule_is_stored_on_the_criterion_and_read_back(db):
    criterion = Criterion(code="3.2.3", max_score=D(1))
    parse_notation("affine 0,5 [tỷ lệ hồ sơ được công khai]").apply_to(criterion)
    assert criterion.rule_kind == RuleKind.AFFINE
    assert criterion.rule_parameters == {"base": "0.5"}
    assert criterion.figure_labels == "tỷ lệ hồ sơ được công khai"
    assert criterion.rule_notation == "affine 0,5 [tỷ lệ hồ sơ được công khai]"


def test_stored_parameters_that_do_not_make_a_rule_are_refused():
    with pytest.raises(RuleError):
        ScoringRule.from_stored("affine", {"base": "x"})
    with pytest.raises(RuleError):
        ScoringRule.from_stored("affine", {})
    with pytest.raises(RuleError, match="không có"):
        ScoringRule.from_stored("magic", {})


@pytest.mark.parametrize(
    ("text", "maximum", "expected"),
    [
        ("", "1", "Nhập điểm trực tiếp"),
        (
            "tỷ lệ [số nhiệm vụ hoàn thành / tổng số nhiệm vụ]",
            "1.5",
            "Điểm = 1,5 × số nhiệm vụ hoàn thành / tổng số nhiệm vụ.",
        ),
        ("phần trăm", "0.5", "Điểm = 0,5 × tỷ lệ đạt được (%)."),
        ("affine 0,5", "1", "Điểm = 1 × (0,5 + 0,5 × tỷ lệ đạt được (%))."),
        ("có trọng số", "2", "Điểm = 2 × số đạt tính theo trọng số / tổng số."),
        (
            "ngưỡng 95:1; 80:0,5; 0:0",
            "1",
            "từ 95% trở lên: 1 điểm; từ 80% đến dưới 95%: 0,5 điểm; dưới 80%: 0 điểm.",
        ),
        ("ngưỡng 95:1; 80:0,5", "1", "dưới 80%: 0 điểm."),
        (
            "trừ 0,25/mục, tối thiểu 0 [số báo cáo trễ hạn]",
            "1",
            "Điểm = 1 − 0,25 × số báo cáo trễ hạn, thấp nhất 0 điểm.",
        ),
        ("tối đa 2", None, "Tổng điểm của nhóm được tính tối đa 2 điểm."),
    ],
)
def test_the_rule_is_described_in_vietnamese_for_the_guidance(text, maximum, expected):
    description = parse_notation(text).describe(D(maximum) if maximum else None)
    assert expected in description
    computed = parse_notation(text).takes_figures
    assert ("nửa về số chẵn" in description) == computed


def test_the_entry_page_script_gets_the_rule_as_data():
    data = Criterion(
        code="1.1", max_score=D("1.5"), rule_kind=RuleKind.RATIO, figure_labels="số hoàn thành / tổng số"
    ).rule_as_js_dict()
    assert data == {
        "kind": "ratio",
        "input": "pair",
        "max": "1.5",
        "parameters": {},
        "labels": ["số hoàn thành", "tổng số"],
        "notation": "tỷ lệ [số hoàn thành / tổng số]",
        "description": "Điểm = 1,5 × số hoàn thành / tổng số."
        " Điểm làm tròn đến 4 chữ số thập phân (nửa về số chẵn).",
    }
    thresholds = parse_notation("ngưỡng 95:1; 80:0,5").as_js_dict(D(1))
    assert thresholds["parameters"] == {"steps": [["95", "1"], ["80", "0.5"]]}


numbers = st.decimals(min_value=0, max_value=5000, places=2).map(lambda d: d.normalize())


@st.composite
def rules(draw):
    kind = draw(st.sampled_from(list(RuleKind)))
    labels = tuple(draw(st.lists(st.sampled_from(["số nhiệm vụ", "tổng số", "tỷ lệ"]), max_size=2)))
    if kind in (RuleKind.NONE, RuleKind.CAP):
        labels = ()
    if kind == RuleKind.AFFINE:
        return ScoringRule(
            kind=kind, base=draw(st.decimals(0, D("0.99"), places=2)).normalize(), labels=labels
        )
    if kind == RuleKind.THRESHOLDS:
        bounds = sorted(draw(st.sets(numbers, min_size=1, max_size=4)), reverse=True)
        steps = tuple((b, draw(numbers)) for b in bounds)
        return ScoringRule(kind=kind, steps=steps, labels=labels)
    if kind == RuleKind.DEDUCTION:
        per_item = draw(st.decimals(D("0.01"), 5, places=2)).normalize()
        return ScoringRule(kind=kind, per_item=per_item, floor=draw(numbers), labels=labels)
    if kind == RuleKind.CAP:
        return ScoringRule(kind=kind, cap=draw(numbers))
    return ScoringRule(kind=kind, labels=labels)


@given(rules())
def test_notation_round_trips_for_any_rule(rule):
    assert parse_notation(format_notation(rule)) == rule
    stored = ScoringRule.from_stored(rule.kind, rule.parameters(), rule.labels_text)
    assert stored == rule
