"""The entry page's figures (issue 12): a criterion with a scoring rule asks for its figures —
two numbers a / b, a percentage or a count — each beside its label ("số nhiệm vụ hoàn thành /
tổng số nhiệm vụ"), instead of a typed score. The page's script (static/js/entry.js) shows the
score they give while typing; the server computes the score that is stored
(services.figures.resolve_figures). A bad figure is refused beside the field, in Vietnamese,
naming the criterion, and nothing is written.
"""

from __future__ import annotations

import json
import re

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .scoring.rules import PERCENT, RuleError
from .widgets import FastCopy

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
DEFAULT_LABELS = {
    "pair": ("tử số", "mẫu số"),
    PERCENT: ("tỷ lệ (%)",),
    "count": ("số mục",),
}


def part_labels(rule) -> tuple[str, ...]:
    """The label of each box: the rule's figure names, else "tử số / mẫu số", "tỷ lệ (%)"…"""
    defaults = DEFAULT_LABELS[rule.input]
    names = tuple(rule.labels)
    if rule.input == "pair" and len(names) == 2:
        return names
    if rule.input != "pair" and names:
        return names[:1]
    return defaults


def split_figure(text: str, kind: str) -> list[str]:
    """A stored figure ("40/41", "98,49%", "3") as the boxes show it."""
    text = (text or "").strip()
    if kind == "pair":
        if "/" in text:
            a, _, b = text.partition("/")
            return [a.strip(), b.strip()]
        return [text, ""]  # a percentage stored for a ratio rule stays in the first box
    if kind == PERCENT and text.endswith("%"):
        return [text[:-1].strip()]
    return [text]


class FigureWidget(FastCopy, forms.Widget):
    """One box per figure, each with its label, and a live line for the computed score.
    Posts `<name>_0` (and `<name>_1` for a pair)."""

    def __init__(self, kind: str, labels: tuple[str, ...], rule_data: dict, score_id: str, attrs=None):
        super().__init__(attrs)
        self.kind, self.labels, self.rule_data, self.score_id = kind, labels, rule_data, score_id

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{i}", "") for i in range(len(self.labels))]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{i}" not in data for i in range(len(self.labels)))

    def format_value(self, value):
        if isinstance(value, (list, tuple)):
            return [str(v or "") for v in value]
        return split_figure(str(value or ""), self.kind)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id") or f"id_{name}"
        described = attrs.get("aria-describedby", "")
        values = self.format_value(value)
        values += [""] * (len(self.labels) - len(values))
        boxes = format_html_join(
            mark_safe('<span class="figure-sep" aria-hidden="true">/</span>'),
            '<label class="figure-part" for="{}_{}"><span class="figure-label">{}</span>'
            '<span class="figure-box"><input type="text" name="{}_{}" id="{}_{}" value="{}" '
            'inputmode="decimal" autocomplete="off" class="figure-input" data-part="{}"{}>{}</span></label>',
            (
                (
                    base_id,
                    i,
                    label,
                    name,
                    i,
                    base_id,
                    i,
                    values[i],
                    i,
                    format_html(' aria-describedby="{}"', described) if described else "",
                    mark_safe('<span class="unit">%</span>') if self.kind == PERCENT else "",
                )
                for i, label in enumerate(self.labels)
            ),
        )
        return format_html(
            '<div class="figures figures-{}" id="{}" data-rule="{}" data-score-target="{}">{}'
            '<p class="figure-live small" data-figure-live aria-live="polite"></p></div>',
            self.kind,
            base_id,
            json.dumps(self.rule_data, ensure_ascii=False),
            self.score_id,
            boxes,
        )

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class FigureField(forms.Field):
    """The figures of one criterion with a rule, cleaned to their canonical text ("40/41",
    "98,49%", "3"; "" for none). The rule's own checks (zero denominator, numerator above
    denominator, above 100%, wrong kind) come from scoring.rules; the boxes' own (not a
    number, negative, one of two missing) are made here, naming the box."""

    def __init__(self, *, criterion, score_id: str, **kwargs):
        self.criterion = criterion
        self.rule = criterion.rule
        self.kind = self.rule.input
        self.labels = part_labels(self.rule)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", FigureWidget(self.kind, self.labels, criterion.rule_as_js_dict(), score_id)
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        parts = [" ".join(str(v or "").split()) for v in (value or [])]
        if not any(parts):
            return ""
        code = self.criterion.code
        if self.kind == "pair" and not parts[1] and ("%" in parts[0] or "/" in parts[0]):
            text = parts[0]  # "98,49%" or "40/41" typed whole in the first box
        else:
            for part, label in zip(parts, self.labels, strict=False):
                number = part.rstrip("%").strip() if self.kind == PERCENT else part
                if not number:
                    raise forms.ValidationError(f"{code}: nhập cả {label}.")
                if number.startswith(("-", "−")):
                    raise forms.ValidationError(f"{code}: {label} “{part}” không được âm.")
                if self.kind == "count" and not number.isdigit():
                    raise forms.ValidationError(f"{code}: {label} “{part}” phải là một số nguyên (ví dụ 3).")
                if not _NUMBER.match(number):
                    raise forms.ValidationError(
                        f"{code}: {label} “{part}” không phải là số (ví dụ {_example(self.kind)})."
                    )
            if self.kind == "pair":
                text = f"{parts[0]}/{parts[1]}"
            elif self.kind == PERCENT:
                text = parts[0] if parts[0].endswith("%") else f"{parts[0]}%"
            else:
                text = parts[0]
        try:
            figure = self.rule.figure(text, code)
        except RuleError as exc:
            raise forms.ValidationError(exc.message) from exc
        return str(figure) if figure is not None else ""


def _example(kind: str) -> str:
    return {"pair": "40 và 41", PERCENT: "98,49", "count": "3"}[kind]
