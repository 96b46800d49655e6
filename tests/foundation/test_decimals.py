from decimal import Decimal

import pytest

from assessments.decimals import (
    NotANumber,
    format_change,
    format_index,
    format_score,
    parse_decimal,
    round_score,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0,9388", Decimal("0.9388")),
        ("0.9388", Decimal("0.9388")),
        (" 1,5 ", Decimal("1.5")),
        ("2", Decimal("2")),
        (",5", Decimal("0.5")),
        (0.9388, Decimal("0.9388")),
        (1, Decimal("1")),
        (Decimal("0.25"), Decimal("0.25")),
        ("1,5000", Decimal("1.5")),
        ("", None),
        (None, None),
    ],
)
def test_parse_accepts_what_people_type(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["nửa điểm", "1,2,3", "1.000,5", "abc", "1e3", "--1", "NaN", True])
def test_parse_rejects_text_in_vietnamese(raw):
    with pytest.raises(NotANumber, match="không phải là số"):
        parse_decimal(raw)


def test_parse_rejects_more_than_four_decimals():
    with pytest.raises(NotANumber, match="quá 4 chữ số thập phân"):
        parse_decimal("0,93881")


def test_rounding_is_half_to_even_as_the_ministry_publishes():
    assert round_score(Decimal("0.5") * Decimal("0.9849")) == Decimal("0.4924")
    assert round_score(Decimal("1.5") * Decimal("0.9841")) == Decimal("1.4762")


def test_formats_use_a_decimal_comma():
    assert format_index(Decimal("88.0115")) == "88,01"
    assert format_index(Decimal("81.302")) == "81,30"
    assert format_score(Decimal("1.4634")) == "1,4634"
    assert format_score(Decimal("9.5000")) == "9,5"
    assert format_score(Decimal("100.0000")) == "100"
    assert format_change(Decimal("3.54")) == "+3,54"
    assert format_change(Decimal("-1.06")) == "−1,06"
