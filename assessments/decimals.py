"""The one place where scores are parsed, rounded and formatted.

Scores keep 4 decimals and are rounded half to even where computed (the ministry publishes
0,5 × 98,49 % = 0,49245 as 0,4924). Indices are percentages shown with 2 decimals and a
decimal comma ("88,01").
"""

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

SCORE_QUANT = Decimal("0.0001")
INDEX_QUANT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


class NotANumber(ValueError):
    """Raised with a Vietnamese message when text is not a number."""


def round_score(value: Decimal) -> Decimal:
    return value.quantize(SCORE_QUANT, rounding=ROUND_HALF_EVEN)


def round_index(value: Decimal) -> Decimal:
    return value.quantize(INDEX_QUANT, rounding=ROUND_HALF_EVEN)


def parse_decimal(value: object, *, max_places: int | None = 4) -> Decimal | None:
    """Read what a person typed or a spreadsheet holds: 0,9388 · 0.9388 · 1 · numeric cells.

    Returns None for an empty value. Raises NotANumber (Vietnamese message) otherwise.
    Thousands separators are not accepted: a score never reaches 1 000.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(f"'{value}' không phải là số")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # Spreadsheet cells arrive as binary floats: 0.9388 is 0.93879999…; repr gives
        # the shortest text that reads back as the same float, which is what was typed.
        if value != value or value in (float("inf"), float("-inf")):
            raise NotANumber(f"'{value}' không phải là số")
        number = Decimal(repr(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text == "":
            return None
        if not _NUMBER.match(text):
            raise NotANumber(f"'{str(value).strip()}' không phải là số")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - guarded by the pattern
            raise NotANumber(f"'{value}' không phải là số") from exc
    if not number.is_finite():
        raise NotANumber(f"'{value}' không phải là số")
    number = number.normalize() if number == number.to_integral() else number
    if max_places is not None:
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > max_places:
            stripped = number.normalize()
            stripped_exponent = stripped.as_tuple().exponent
            if isinstance(stripped_exponent, int) and -stripped_exponent > max_places:
                raise NotANumber(f"'{value}' có quá {max_places} chữ số thập phân")
            number = stripped
    return number


def format_decimal(value: Decimal | None, places: int | None = None, *, strip: bool = True) -> str:
    """Vietnamese notation: decimal comma, dot for thousands (rare for scores).

    places=None keeps the value's own digits with trailing zeros removed: 1,5 · 0,9388 · 9,5.
    """
    if value is None:
        return ""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if strip and places is None:
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    text = f"{value:,f}" if places is None else f"{value:,.{places}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def format_score(value: Decimal | None) -> str:
    """A score as published: up to 4 decimals, trailing zeros dropped ("1,4634", "0,5", "9")."""
    if value is None:
        return ""
    return format_decimal(round_score(value))


def format_index(value: Decimal | None) -> str:
    """An index with 2 decimals and a decimal comma: 88,01."""
    if value is None:
        return ""
    return format_decimal(value, 2)


def format_change(value: Decimal | None) -> str:
    """A change in percentage points, signed: +3,54 · −1,06."""
    if value is None:
        return ""
    rounded = round_index(value)
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
    return f"{sign}{format_decimal(abs(rounded), 2)}"


def to_plain(value: Decimal | None) -> str | None:
    """Decimal point notation for machines (JSON): "88.0115"."""
    if value is None:
        return None
    return format(value, "f")
