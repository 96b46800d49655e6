"""Figures checked against scores: the slips a program would not make.

Three kinds of problem, each naming the criterion (or field) first:

- a remark (the council's comment, the department's explanation, the re-check comment) states
  figures ("47/49", "98,49%") and none of them gives the stored score under the criterion's
  ratio, percentage or affine rule (the reference's 1.3.2 says 47/49 where its score is 46/49);
- declared figures (Score.self_figures, appraised_figures) that give another score than the
  stored one, where no override reason was written;
- a published index that differs from the computed one (field 7: 87,41 published, 87,38
  computed), from compare.published_gaps.

The check_figures command, the appraisal page and the report's cross-check box read this list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..decimals import HUNDRED, ZERO, format_index, format_score, round_score, to_plain
from ..models import Assessment, PublishedResult
from .compare import published_gaps, published_results
from .rules import PERCENT, RATIO, SHARE_KINDS, Figure, RuleError, ScoringRule, parse_figure
from .tree import Node, Result, compute

REMARK, DECLARED, PUBLISHED = "remark", "declared", "published"

# (remark field, score field, what the remark is, what the score is)
REMARKS = (
    ("appraisal_comment", "appraised_score", "ý kiến thẩm định", "điểm thẩm định"),
    ("explanation", "self_score", "giải trình", "điểm tự đánh giá"),
    ("recheck_comment", "rechecked_score", "ý kiến phúc tra", "điểm phúc tra"),
)
# (figures field, score field, override reason field, what the figures are, what the score is)
DECLARED_FIGURES = (
    ("self_figures", "self_score", None, "số liệu tự đánh giá", "điểm tự đánh giá"),
    (
        "appraised_figures",
        "appraised_score",
        "appraised_override_reason",
        "số liệu thẩm định",
        "điểm thẩm định",
    ),
)

_NUM = r"\d+(?:[.,]\d+)?"
# a/b not part of a date or a document number: "24/7/2023", "33/2023/NĐ-CP", "453/KL-TTBNV"
_RATIO_IN_TEXT = re.compile(rf"(?<![\d.,/])({_NUM})\s?/\s?({_NUM})(?![\d/]|[.,]\d|\s?/\s?\d)")
_PERCENT_IN_TEXT = re.compile(rf"(?<![\d.,/])({_NUM})\s?%")


@dataclass(frozen=True)
class FigureProblem:
    """One figure that does not agree with a score or an index. str() starts with the code."""

    code: str
    kind: str  # REMARK, DECLARED or PUBLISHED
    source: str  # the field it was read from: "appraisal_comment", "self_figures", "index"
    figure: str  # as stated: "47/49", "87,41%"
    from_figure: Decimal | None  # the score the figure gives (the published index)
    stored: Decimal | None  # the stored score (the computed index)
    message: str

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, str | None]:
        """For --json: numbers as decimal-point strings."""
        return {
            "code": self.code,
            "kind": self.kind,
            "source": self.source,
            "figure": self.figure,
            "from_figure": to_plain(self.from_figure),
            "stored": to_plain(self.stored),
            "message": self.message,
        }


def remark_figures(text: str | None) -> list[Figure]:
    """The figures a remark states, in order: "40/41", "08/17", "98,49%" (dates are not figures)."""
    found: list[tuple[int, Figure]] = []
    for match in _RATIO_IN_TEXT.finditer(text or ""):
        figure = _figure(f"{match.group(1)}/{match.group(2)}")
        if figure is not None:
            found.append((match.start(), figure))
    for match in _PERCENT_IN_TEXT.finditer(text or ""):
        figure = _figure(f"{match.group(1)}%")
        if figure is not None:
            found.append((match.start(), figure))
    return [figure for _, figure in sorted(found, key=lambda item: item[0])]


def _figure(text: str) -> Figure | None:
    try:
        return parse_figure(text)
    except RuleError:
        return None  # "0/0", too many decimals: not a figure a rule can use


def score_range(rule: ScoringRule, max_score: Decimal, figure: Figure) -> tuple[Decimal, Decimal]:
    """The rounded scores a stated figure allows. An a/b is exact; a percentage written with d
    decimals stands for anything within half a unit of its last digit (47,06% for 8/17), so
    the scores at both ends of that interval bound it (share rules are increasing)."""
    if figure.kind != PERCENT:
        exact = round_score(rule.exact_score(max_score, figure))
        return exact, exact
    exponent = figure.value.as_tuple().exponent
    half = Decimal(5).scaleb(exponent - 1) if isinstance(exponent, int) and exponent < 0 else Decimal("0.5")
    low = Figure(PERCENT, max(figure.value - half, ZERO))
    high = Figure(PERCENT, min(figure.value + half, HUNDRED))
    return (
        round_score(rule.exact_score(max_score, low)),
        round_score(rule.exact_score(max_score, high)),
    )


def remark_problems(node: Node) -> list[FigureProblem]:
    """A leaf's remarks against its scores, under a ratio, percentage or affine rule."""
    criterion, score = node.criterion, node.score
    if score is None or criterion.rule_kind not in SHARE_KINDS:
        return []
    rule = criterion.rule
    problems = []
    for text_field, score_field, text_label, score_label in REMARKS:
        stored = getattr(score, score_field)
        if stored is None:
            continue
        candidates: list[tuple[Decimal, Figure, Decimal]] = []  # (distance, figure, its score)
        for figure in remark_figures(getattr(score, text_field)):
            try:
                rule.figure(str(figure))  # 63/63 of another count may not fit the rule: skipped
            except RuleError:
                continue
            low, high = score_range(rule, criterion.max_score, figure)
            if low <= stored <= high:
                candidates = []
                break
            distance = min(abs(low - stored), abs(high - stored))
            candidates.append((distance, figure, round_score(rule.exact_score(criterion.max_score, figure))))
        if candidates:
            _, figure, value = min(candidates, key=lambda item: item[0])
            problems.append(
                FigureProblem(
                    code=criterion.code,
                    kind=REMARK,
                    source=text_field,
                    figure=str(figure),
                    from_figure=value,
                    stored=stored,
                    message=(
                        f"{criterion.code}: {text_label} nêu {figure}, theo cách tính "
                        f"“{rule.to_notation(labels=False)}” "
                        f"được {format_score(value)} điểm, khác {score_label} {format_score(stored)}"
                    ),
                )
            )
    return problems


def declared_problems(node: Node) -> list[FigureProblem]:
    """Declared figures that give another score than the stored one (no override reason)."""
    criterion, score = node.criterion, node.score
    if score is None:
        return []
    problems = []
    for figures_field, score_field, reason_field, figures_label, score_label in DECLARED_FIGURES:
        text = getattr(score, figures_field)
        if not text:
            continue
        stored = getattr(score, score_field)
        try:
            value = criterion.rule.score(criterion.max_score, text, criterion.code)
        except RuleError as exc:
            reason = exc.message.removeprefix(f"{criterion.code}: ")
            message = f"{criterion.code}: {figures_label} “{text}” không dùng được ({reason})"
            problem = FigureProblem(criterion.code, DECLARED, figures_field, text, None, stored, message)
            problems.append(problem)
            continue
        if value == stored or (reason_field and getattr(score, reason_field).strip() and stored is not None):
            continue
        problems.append(
            FigureProblem(
                code=criterion.code,
                kind=DECLARED,
                source=figures_field,
                figure=text,
                from_figure=value,
                stored=stored,
                message=(
                    f"{criterion.code}: {figures_label} {text} cho {format_score(value)} điểm, khác "
                    f"{score_label} {format_score(stored) if stored is not None else '(chưa có)'}"
                ),
            )
        )
    return problems


def figure_problems(
    result: Result, published: Mapping[str, PublishedResult] | None = None
) -> list[FigureProblem]:
    """Every problem of one computed assessment, leaves in code order, then published indices."""
    problems: list[FigureProblem] = []
    for leaf in result.leaves():
        problems.extend(declared_problems(leaf))
        problems.extend(remark_problems(leaf))
    for gap in published_gaps(result, published or {}):
        code = gap.field_code or "Tổng"
        where = f"lĩnh vực {gap.field_code}" if gap.field_code else "tổng"
        problems.append(
            FigureProblem(
                code=code,
                kind=PUBLISHED,
                source="index",
                figure=f"{format_index(gap.published)}%",
                from_figure=gap.published,
                stored=gap.computed,
                message=(
                    f"{code}: chỉ số công bố ({where}) {format_index(gap.published)}% khác chỉ số tính từ "
                    f"điểm {format_index(gap.computed)}%"
                ),
            )
        )
    return problems


def check_figures(assessment: Assessment, result: Result | None = None) -> list[FigureProblem]:
    """figure_problems of an assessment against its subject's published results of the year."""
    result = result if result is not None else compute(assessment)
    published = published_results(assessment.subject, assessment.framework.year)
    return figure_problems(result, published)


__all__ = [
    "DECLARED",
    "PUBLISHED",
    "RATIO",
    "REMARK",
    "FigureProblem",
    "check_figures",
    "declared_problems",
    "figure_problems",
    "remark_figures",
    "remark_problems",
    "score_range",
]
