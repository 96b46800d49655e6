"""The notation of the "Cách tính điểm" column, both ways, and the rule in Vietnamese.

    (empty) | nhập điểm                 typed score, as before
    tỷ lệ                               max × a/b
    phần trăm                           max × p%
    affine K                            max × (K + (1 − K) × tỷ lệ)      (3.2.3: affine 0,5)
    có trọng số                         max × số có trọng số / tổng số   (8.5: 13,25/22)
    ngưỡng B:P; B:P; …                  P points from B% up, bounds from high to low
    trừ D/mục[, tối thiểu F]            max − D × số mục, not below F (0 when omitted)
    tối đa C                            a bonus or deduction section counts at most C points

followed by the figures' names in square brackets, numerator / denominator:
`tỷ lệ [số nhiệm vụ hoàn thành / tổng số nhiệm vụ]`. Keywords are read without regard to
case or diacritics ("ty le" is "tỷ lệ"); numbers take a decimal comma or point. The canonical
form (format_notation) is what the export writes and the admin shows. docs/scoring-rules.md.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..decimals import ZERO, NotANumber, format_decimal, format_score, parse_decimal
from ..models import RuleKind
from .rules import ONE, RuleError, ScoringRule, plain_comma, split_labels

_NUM = r"(\d+(?:[.,]\d+)?)"
_LABELS = re.compile(r"^(?P<body>[^\[\]]*?)\s*\[(?P<labels>[^\[\]]*)\]\s*$")
_AFFINE = re.compile(rf"^affine\s+{_NUM}$")
_THRESHOLDS = re.compile(r"^nguong\s+(?P<steps>.+)$")
_STEP = re.compile(rf"^{_NUM}\s*%?\s*:\s*{_NUM}$")
_DEDUCTION = re.compile(rf"^tru\s+{_NUM}\s*/\s*muc(?:\s*,\s*toi thieu\s+{_NUM})?$")
_CAP = re.compile(rf"^toi da\s+{_NUM}$")
_PLAIN_WORDS = {
    "": RuleKind.NONE,
    "nhap diem": RuleKind.NONE,
    "ty le": RuleKind.RATIO,
    "ti le": RuleKind.RATIO,
    "phan tram": RuleKind.PERCENTAGE,
    "co trong so": RuleKind.WEIGHTED,
}
KEYWORDS = {
    RuleKind.NONE: "",
    RuleKind.RATIO: "tỷ lệ",
    RuleKind.PERCENTAGE: "phần trăm",
    RuleKind.WEIGHTED: "có trọng số",
}
FORMS = (
    "“tỷ lệ”, “phần trăm”, “affine 0,5”, “có trọng số”, “ngưỡng 95:1; 80:0,5; 0:0”, "
    "“trừ 0,25/mục, tối thiểu 0”, “tối đa 2”, hoặc để trống (nhập điểm trực tiếp)"
)


def _ascii(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Tỷ  lệ" -> "ty le"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def _number(text: str, notation: str) -> Decimal:
    try:
        number = parse_decimal(text, max_places=4)
    except NotANumber as exc:
        raise RuleError(f"cách tính điểm “{notation}”: {exc}") from exc
    if number is None:  # the patterns only pass digits here
        raise RuleError(f"cách tính điểm “{notation}”: thiếu một số")
    return number


def parse_notation(text: str | None) -> ScoringRule:
    """Read a "Cách tính điểm" cell. Raises RuleError with a Vietnamese message."""
    notation = " ".join((text or "").replace("\u00a0", " ").split())
    body, labels = notation, ""
    if "[" in notation or "]" in notation:
        match = _LABELS.match(notation)
        if match is None:
            raise RuleError(
                f"cách tính điểm “{notation}”: tên số liệu đặt một lần, trong ngoặc vuông ở cuối "
                "(ví dụ “tỷ lệ [số nhiệm vụ hoàn thành / tổng số nhiệm vụ]”)"
            )
        body, labels = match.group("body"), match.group("labels")
    words = _ascii(body)
    rule = _parse_body(words, notation)
    if labels.strip() and rule.kind in (RuleKind.NONE, RuleKind.CAP):
        raise RuleError(f"cách tính điểm “{notation}”: cách tính này không có số liệu để đặt tên")
    rule = ScoringRule(
        kind=rule.kind,
        base=rule.base,
        steps=rule.steps,
        per_item=rule.per_item,
        floor=rule.floor,
        cap=rule.cap,
        labels=split_labels(labels),
    )
    try:
        rule.check()
    except RuleError as exc:
        raise RuleError(f"cách tính điểm “{notation}”: {exc.message}") from exc
    return rule


def _parse_body(words: str, notation: str) -> ScoringRule:
    if words in _PLAIN_WORDS:
        return ScoringRule(kind=_PLAIN_WORDS[words])
    if match := _AFFINE.match(words):
        return ScoringRule(kind=RuleKind.AFFINE, base=_number(match.group(1), notation))
    if match := _THRESHOLDS.match(words):
        steps = []
        for part in match.group("steps").split(";"):
            step = _STEP.match(part.strip())
            if step is None:
                raise RuleError(
                    f"cách tính điểm “{notation}”: mốc “{part.strip()}” không đọc được; "
                    "mỗi mốc viết “từ %:điểm”, các mốc cách nhau bởi dấu chấm phẩy "
                    "(ví dụ “95:1; 80:0,5; 0:0”)"
                )
            steps.append((_number(step.group(1), notation), _number(step.group(2), notation)))
        return ScoringRule(kind=RuleKind.THRESHOLDS, steps=tuple(steps))
    if match := _DEDUCTION.match(words):
        floor = _number(match.group(2), notation) if match.group(2) else ZERO
        return ScoringRule(kind=RuleKind.DEDUCTION, per_item=_number(match.group(1), notation), floor=floor)
    if match := _CAP.match(words):
        return ScoringRule(kind=RuleKind.CAP, cap=_number(match.group(1), notation))
    raise RuleError(f"cách tính điểm “{notation}” không đọc được; dùng một trong các dạng {FORMS}")


def _n(value: Decimal | None) -> str:
    return plain_comma(value) if value is not None else ""


def format_notation(rule: ScoringRule, *, labels: bool = True) -> str:
    """The canonical notation: parse_notation(format_notation(rule)) == rule. With
    labels=False, the formula alone ("tỷ lệ"), for messages."""
    kind = rule.kind
    if kind in KEYWORDS:
        body = KEYWORDS[kind]
    elif kind == RuleKind.AFFINE:
        body = f"affine {_n(rule.base)}"
    elif kind == RuleKind.THRESHOLDS:
        body = "ngưỡng " + "; ".join(f"{_n(b)}:{_n(p)}" for b, p in rule.steps)
    elif kind == RuleKind.DEDUCTION:
        body = f"trừ {_n(rule.per_item)}/mục, tối thiểu {_n(rule.floor or ZERO)}"
    else:
        body = f"tối đa {_n(rule.cap)}"
    if labels and rule.labels:
        body = f"{body} [{rule.labels_text}]"
    return body


ROUNDING_NOTE = " Điểm làm tròn đến 4 chữ số thập phân (nửa về số chẵn)."


def describe_rule(rule: ScoringRule, max_score: Decimal | None = None) -> str:
    """The rule in Vietnamese, for the criterion's guidance."""
    kind = rule.kind
    top = format_score(max_score) if max_score is not None else "điểm tối đa"
    labels = rule.labels
    share = _share_text(rule)
    if kind == RuleKind.NONE:
        return "Nhập điểm trực tiếp (không tính từ số liệu)."
    if kind == RuleKind.CAP:
        return f"Tổng điểm của nhóm được tính tối đa {format_score(rule.cap)} điểm."
    if kind in (RuleKind.RATIO, RuleKind.PERCENTAGE):
        text = f"Điểm = {top} × {share}."
    elif kind == RuleKind.AFFINE:
        if rule.base is None:
            raise RuleError("affine cần một hệ số k từ 0 đến dưới 1 (ví dụ “affine 0,5”)")
        rest = format_decimal(ONE - rule.base)
        text = f"Điểm = {top} × ({format_decimal(rule.base)} + {rest} × {share})."
    elif kind == RuleKind.WEIGHTED:
        if len(labels) == 2:
            text = f"Điểm = {top} × {labels[0]} (tính theo trọng số) / {labels[1]}."
        else:
            text = f"Điểm = {top} × số đạt tính theo trọng số / tổng số."
    elif kind == RuleKind.THRESHOLDS:
        text = _thresholds_text(rule, share)
    else:
        item = labels[0] if labels else "mục"
        text = (
            f"Điểm = {top} − {format_score(rule.per_item)} × số {item.removeprefix('số ')}, "
            f"thấp nhất {format_score(rule.floor or ZERO)} điểm."
        )
    return text + ROUNDING_NOTE


def _share_text(rule: ScoringRule) -> str:
    labels = rule.labels
    if len(labels) == 2:
        return f"{labels[0]} / {labels[1]}"
    if len(labels) == 1:
        return f"{labels[0]} (%)"
    if rule.kind == RuleKind.RATIO:
        return "a / b (tỷ lệ đạt được)"
    return "tỷ lệ đạt được (%)"


def _thresholds_text(rule: ScoringRule, share: str) -> str:
    parts = []
    upper = None
    for bound, points in rule.steps:
        pts = f"{format_score(points)} điểm"
        if upper is None:
            parts.append(f"từ {format_decimal(bound)}% trở lên: {pts}" if bound else f"mọi mức: {pts}")
        elif bound == 0:
            parts.append(f"dưới {format_decimal(upper)}%: {pts}")
        else:
            parts.append(f"từ {format_decimal(bound)}% đến dưới {format_decimal(upper)}%: {pts}")
        upper = bound
    if upper:
        parts.append(f"dưới {format_decimal(upper)}%: 0 điểm")
    return f"Theo {share}: " + "; ".join(parts) + "."
