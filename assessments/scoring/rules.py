"""Scores computed from declared figures: the rules of a framework, their notation, figures.

A criterion's rule (Criterion.rule_kind, rule_parameters, figure_labels) says how its score
follows from the figures a department declares ("40/41", "98,49%", "3"). The notation of the
"Cách tính điểm" column ("tỷ lệ", "affine 0,5", "ngưỡng 95:1; 80:0,5; 0:0", …) is parsed and
formatted here, both ways; docs/scoring-rules.md describes it. Decimal only; a computed score
is rounded half to even to 4 places (decimals.round_score): 0,5 × 98,49% = 0,49245 → 0,4924.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any, TypedDict, overload

from ..decimals import HUNDRED, ZERO, NotANumber, format_score, parse_decimal, round_score
from ..models import Criterion, RuleKind

if TYPE_CHECKING:
    from .tree import Node

ONE = Decimal(1)
FIGURE_PLACES = 4
RULE_KINDS = frozenset(RuleKind.values)  # read once: RuleKind.values builds a list at each call


class RuleError(ValueError):
    """A rule, a notation or a figure that cannot be used. str(error) is the Vietnamese message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- figures ------------------------------------------------------------------------------

RATIO, PERCENT, COUNT = "ratio", "percent", "count"

_NUM = r"\d+(?:[.,]\d+)?"
_RATIO_TEXT = re.compile(rf"^({_NUM})\s*/\s*({_NUM})$")
_PERCENT_TEXT = re.compile(rf"^({_NUM})\s*%$")
_COUNT_TEXT = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Figure:
    """A declared figure: a/b (RATIO), p% (PERCENT) or a number of items (COUNT)."""

    kind: str
    value: Decimal  # a, p or n
    total: Decimal | None = None  # b for a ratio

    @property
    def denominator(self) -> Decimal:
        """b of a ratio a/b (41 for 40/41)."""
        if self.kind != RATIO or self.total is None:
            raise RuleError(f"số liệu “{plain_comma(self.value)}” không có dạng a/b.")
        return self.total

    @property
    def ratio(self) -> Decimal:
        """The share it states, 0,9756 for 40/41 and 0,9849 for 98,49%."""
        if self.kind == RATIO:
            return self.value / self.denominator
        if self.kind == PERCENT:
            return self.value / HUNDRED
        raise RuleError(f"“{self}” là một số mục, không phải một tỷ lệ.")

    def __str__(self) -> str:
        """The canonical text: "40/41", "8/17", "13,25/22", "98,49%", "3"."""
        if self.kind == RATIO:
            return f"{plain_comma(self.value)}/{plain_comma(self.denominator)}"
        if self.kind == PERCENT:
            return f"{plain_comma(self.value)}%"
        return plain_comma(self.value)


def plain_comma(value: Decimal) -> str:
    """A figure or a rule's number as written back: decimal comma, no thousands separator (a
    "1.000" would read back as one): 40 · 13,25 · 1000."""
    return _plain(value).replace(".", ",")


def _figure_number(text: str, original: str) -> Decimal:
    try:
        number = parse_decimal(text, max_places=FIGURE_PLACES)
    except NotANumber as exc:
        raise RuleError(f"số liệu “{original}” có quá {FIGURE_PLACES} chữ số thập phân") from exc
    if number is None:  # the patterns only pass digits here
        raise RuleError(f"số liệu “{original}” thiếu một số")
    return number


def parse_figure(text: object) -> Figure | None:
    """Read a figure as people write it: "40/41", "08/17", "13,25 / 22", "98,49%", "98.49 %", "3".

    None for an empty text. A bare decimal ("0,9388") is a score, not a figure: RuleError.
    The message does not name the criterion; compute_score and the services add it.
    """
    original = "" if text is None else str(text).strip()
    compact = original.replace("\u00a0", " ").strip()
    if not compact:
        return None
    if compact.startswith("-") or compact.startswith("−"):
        raise RuleError(f"số liệu “{original}” âm: số liệu không được nhỏ hơn 0")
    if match := _RATIO_TEXT.match(compact):
        value = _figure_number(match.group(1), original)
        total = _figure_number(match.group(2), original)
        if total == 0:
            raise RuleError(f"số liệu “{original}” có mẫu số bằng 0")
        return Figure(RATIO, value, total)
    if match := _PERCENT_TEXT.match(compact):
        return Figure(PERCENT, _figure_number(match.group(1), original))
    if _COUNT_TEXT.match(compact):
        return Figure(COUNT, Decimal(int(compact)))
    raise RuleError(
        f"“{original}” không phải là số liệu: nhập dạng a/b (40/41), phần trăm (98,49%) hoặc số mục (3)"
    )


# --- rules --------------------------------------------------------------------------------

SHARE_KINDS = (RuleKind.RATIO, RuleKind.PERCENTAGE, RuleKind.AFFINE)  # a share of the max
FIGURE_KINDS = {
    RuleKind.RATIO: (RATIO, PERCENT),
    RuleKind.PERCENTAGE: (PERCENT, RATIO),
    RuleKind.AFFINE: (PERCENT, RATIO),
    RuleKind.WEIGHTED: (RATIO,),
    RuleKind.THRESHOLDS: (PERCENT, RATIO),
    RuleKind.DEDUCTION: (COUNT,),
}
EXPECTED = {
    RATIO: "hai số a/b (ví dụ 40/41)",
    PERCENT: "một tỷ lệ phần trăm (ví dụ 98,49%)",
    COUNT: "một số mục (số nguyên, ví dụ 3)",
}


class StoredParameters(TypedDict, total=False):
    """Criterion.rule_parameters as ScoringRule.parameters writes it: decimal-point strings."""

    base: str
    steps: list[list[str]]
    per_item: str
    floor: str
    cap: str


@dataclass(frozen=True)
class ScoringRule:
    """One criterion's rule. Decimals throughout; see docs/scoring-rules.md."""

    kind: RuleKind = RuleKind.NONE
    base: Decimal | None = None  # affine: k, the share given whatever the figure
    steps: tuple[tuple[Decimal, Decimal], ...] = ()  # thresholds: (lower bound %, points), best first
    per_item: Decimal | None = None  # deduction: points per item
    floor: Decimal | None = None  # deduction: lowest score
    cap: Decimal | None = None  # cap: most points a bonus or deduction section counts
    labels: tuple[str, ...] = ()  # the figures' names: ("số nhiệm vụ hoàn thành", "tổng số nhiệm vụ")

    # --- storage (Criterion.rule_kind, rule_parameters, figure_labels) --------------------

    @classmethod
    def from_criterion(cls, criterion: Criterion) -> ScoringRule:
        return cls.from_stored(criterion.rule_kind, criterion.rule_parameters, criterion.figure_labels)

    @classmethod
    def from_stored(cls, kind: str, parameters: Mapping[str, Any] | None, labels: str = "") -> ScoringRule:
        """The rule stored on a criterion. `parameters` is the stored JSON, checked here: any
        value that is not a finite number (or a step that is not a pair of them) is a RuleError."""
        parameters = parameters or {}
        kind = kind or RuleKind.NONE
        if kind not in RULE_KINDS:
            raise RuleError(f"cách tính điểm “{kind}” không có")
        try:
            rule = cls(
                kind=RuleKind(kind),
                base=_stored(parameters.get("base")),
                steps=tuple((_stored_step(b), _stored_step(p)) for b, p in parameters.get("steps", ())),
                per_item=_stored(parameters.get("per_item")),
                floor=_stored(parameters.get("floor")),
                cap=_stored(parameters.get("cap")),
                labels=split_labels(labels),
            )
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise RuleError(f"tham số cách tính điểm không đọc được: {parameters}") from exc
        rule.check()
        return rule

    def parameters(self) -> StoredParameters:
        """What Criterion.rule_parameters stores: decimal-point strings."""
        found: StoredParameters = {}
        if self.base is not None:
            found["base"] = _plain(self.base)
        if self.steps:
            found["steps"] = [[_plain(b), _plain(p)] for b, p in self.steps]
        if self.per_item is not None:
            found["per_item"] = _plain(self.per_item)
        if self.floor is not None:
            found["floor"] = _plain(self.floor)
        if self.cap is not None:
            found["cap"] = _plain(self.cap)
        return found

    @property
    def labels_text(self) -> str:
        return " / ".join(self.labels)

    def apply_to(self, criterion: Criterion) -> None:
        """Set the criterion's rule fields (not saved)."""
        criterion.rule_kind = self.kind
        criterion.rule_parameters = self.parameters()
        criterion.figure_labels = self.labels_text

    # --- checks ----------------------------------------------------------------------------

    def check(self, max_score: Decimal | None = None) -> None:
        """Raise RuleError when the parameters do not make a rule (with max_score: for that max)."""
        kind = self.kind
        if kind == RuleKind.AFFINE and (self.base is None or not ZERO <= self.base < ONE):
            raise RuleError("affine cần một hệ số k từ 0 đến dưới 1 (ví dụ “affine 0,5”)")
        if kind == RuleKind.THRESHOLDS:
            if not self.steps:
                raise RuleError("ngưỡng cần ít nhất một mốc “từ %:điểm” (ví dụ “ngưỡng 95:1; 80:0,5; 0:0”)")
            bounds = [b for b, _ in self.steps]
            if any(b < 0 for b in bounds) or any(p < 0 for _, p in self.steps):
                raise RuleError("mốc và điểm của ngưỡng không được âm")
            if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
                raise RuleError("các mốc của ngưỡng phải khác nhau, từ cao xuống thấp")
            if max_score is not None and any(p > max_score for _, p in self.steps):
                raise RuleError(f"điểm của một mốc lớn hơn điểm tối đa {format_score(max_score)}")
        if kind == RuleKind.DEDUCTION:
            if self.per_item is None or self.per_item <= 0:
                raise RuleError("trừ điểm cần số điểm trừ mỗi mục lớn hơn 0 (ví dụ “trừ 0,25/mục”)")
            if self.floor is not None and self.floor < 0:
                raise RuleError("mức sàn (tối thiểu) không được âm")
            if max_score is not None and (self.floor or ZERO) > max_score:
                raise RuleError(f"mức sàn lớn hơn điểm tối đa {format_score(max_score)}")
        if kind == RuleKind.CAP and (self.cap is None or self.cap < 0):
            raise RuleError("giới hạn cần một số điểm không âm (ví dụ “tối đa 2”)")
        if len(self.labels) > 2:
            raise RuleError("tên số liệu có nhiều nhất hai phần, cách nhau bởi “/”")

    # --- computing -------------------------------------------------------------------------

    @property
    def takes_figures(self) -> bool:
        return self.kind in FIGURE_KINDS

    @property
    def input(self) -> str | None:
        """What the entry page asks for: "pair" (a/b), "percent" or "count"; None: a typed score."""
        if not self.takes_figures:
            return None
        if self.kind == RuleKind.DEDUCTION:
            return COUNT
        if self.kind in (RuleKind.RATIO, RuleKind.WEIGHTED) or len(self.labels) == 2:
            return "pair"
        return PERCENT

    def figure(self, text: object, code: str = "") -> Figure | None:
        """Parse a declared figure and check it fits this rule. None for an empty text."""
        where = f"{code}: " if code else ""
        if not self.takes_figures:
            if text is None or not str(text).strip():
                return None
            raise RuleError(f"{where}tiêu chí này nhập điểm trực tiếp, không khai số liệu.")
        try:
            figure = parse_figure(text)
        except RuleError as exc:
            raise RuleError(f"{where}{exc.message}.") from exc
        if figure is None:
            return None
        accepted = FIGURE_KINDS[self.kind]
        if figure.kind not in accepted:
            raise RuleError(f"{where}“{figure}” không dùng được: tiêu chí này cần {EXPECTED[accepted[0]]}.")
        if self.kind != RuleKind.THRESHOLDS:  # a threshold may be passed (105% of a plan)
            if figure.kind == RATIO and figure.value > figure.denominator:
                raise RuleError(f"{where}số liệu “{figure}”: tử số lớn hơn mẫu số.")
            if figure.kind == PERCENT and figure.value > HUNDRED:
                raise RuleError(f"{where}số liệu “{figure}” lớn hơn 100%.")
        return figure

    def exact_score(self, max_score: Decimal, figure: Figure) -> Decimal:
        """The score before rounding (thresholds and deductions are exact anyway)."""
        with localcontext() as context:
            context.prec = 50
            if self.kind == RuleKind.DEDUCTION:
                lowest = self.floor or ZERO
                per_item = _required(self.per_item, "trừ điểm cần số điểm trừ mỗi mục")
                return max(max_score - figure.value * per_item, lowest)
            if self.kind == RuleKind.THRESHOLDS:
                percent = figure.ratio * HUNDRED
                return next((points for bound, points in self.steps if percent >= bound), ZERO)
            if self.kind == RuleKind.WEIGHTED or self.kind == RuleKind.RATIO:
                if figure.kind == RATIO:
                    return max_score * figure.value / figure.denominator
                return max_score * figure.ratio
            if self.kind == RuleKind.PERCENTAGE:
                return max_score * figure.ratio
            if self.kind == RuleKind.AFFINE:
                base = _required(self.base, "affine cần một hệ số k")
                return max_score * (base + (ONE - base) * figure.ratio)
        raise RuleError("tiêu chí này nhập điểm trực tiếp, không tính từ số liệu.")

    def score(self, max_score: Decimal, text: object, code: str = "") -> Decimal | None:
        """The score the figure gives, rounded half to even to 4 places; None for no figure.

        Raises RuleError (Vietnamese, naming the criterion) for a figure that cannot be used.
        """
        figure = self.figure(text, code)
        if figure is None:
            return None
        return round_score(self.exact_score(max_score, figure))

    @overload
    def capped(self, total: Decimal) -> Decimal: ...
    @overload
    def capped(self, total: None) -> None: ...
    @overload
    def capped(self, total: Decimal | None) -> Decimal | None: ...

    def capped(self, total: Decimal | None) -> Decimal | None:
        """A section's total under its cap (rule CAP); unchanged for any other rule."""
        if total is None or self.kind != RuleKind.CAP:
            return total
        return min(total, _required(self.cap, "giới hạn cần một số điểm"))

    # --- notation, description, script data ----------------------------------------------

    def to_notation(self, *, labels: bool = True) -> str:
        from .rule_notation import format_notation

        return format_notation(self, labels=labels)

    def describe(self, max_score: Decimal | None = None) -> str:
        from .rule_notation import describe_rule

        return describe_rule(self, max_score)

    def as_js_dict(self, max_score: Decimal | None = None) -> dict[str, object]:
        """The rule as JSON-ready data for the entry page's script (numbers as decimal-point
        strings; the script rounds half to even to 4 places, as the server does)."""
        return {
            "kind": str(self.kind),
            "input": self.input,
            "max": _plain(max_score) if max_score is not None else None,
            "parameters": self.parameters(),
            "labels": list(self.labels),
            "notation": self.to_notation(),
            "description": self.describe(max_score),
        }


def compute_score(criterion: Criterion, text: object) -> Decimal | None:
    """The score of `criterion` for a declared figure text (RuleError names the criterion)."""
    return criterion.rule.score(criterion.max_score, text, criterion.code)


def cap_section(node: Node) -> None:
    """A bonus or deduction section (rule CAP) counts at most its cap: its max and its scores."""
    if getattr(node.criterion, "rule_kind", RuleKind.NONE) != RuleKind.CAP:  # a criterion-like object
        return
    rule = node.criterion.rule
    node.max = rule.capped(node.max)
    node.applicable_max = rule.capped(node.applicable_max)
    node.self_score = rule.capped(node.self_score)
    node.appraised = rule.capped(node.appraised)


def split_labels(text: str | None) -> tuple[str, ...]:
    """ "số nhiệm vụ hoàn thành / tổng số nhiệm vụ" -> ("số nhiệm vụ hoàn thành", "tổng số nhiệm vụ")."""
    text = " ".join((text or "").split())
    if not text:
        return ()
    return tuple(part.strip() for part in text.split("/") if part.strip())


def _stored(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(value)
    return number


def _stored_step(value: object) -> Decimal:
    """A threshold's bound or points as stored: a number, never missing (ValueError)."""
    number = _stored(value)
    if number is None:
        raise ValueError(value)
    return number


def _required(value: Decimal | None, what: str) -> Decimal:
    """A parameter the rule's kind needs (check() makes sure of it; a rule built by hand may not)."""
    if value is None:
        raise RuleError(f"{what}, tham số này đang để trống")
    return value


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
