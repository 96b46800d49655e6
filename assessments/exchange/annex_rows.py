"""The annex table (Phụ lục: điểm từng tiêu chí) as plain rows, built once from
assessments.scoring and read by both the report's annex (reports.compose) and the Excel
export (exchange.export), so the two show the same figures in the same columns:

- "Điểm chuẩn" is the criterion's max as the framework states it (what an import checks);
- "Điểm thẩm định" is the appraisal council's score, "Điểm phúc tra" the re-check's, where
  there was one (a parent's "Điểm phúc tra" is the score that counts, re-check included);
- a criterion "Không áp dụng" is marked in its own column and has no score; its max stays
  in "Điểm chuẩn", and the closing row says on which applicable max the index is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from assessments import scoring
from assessments.decimals import format_index, format_score

# Column labels, both ways: a contract (DESIGN.md). "Số liệu tự đánh giá" and "Số liệu thẩm
# định" take their place between "Không áp dụng" and the council's remark.
CODE = "STT"
NAME = "Lĩnh vực/Tiêu chí/Tiêu chí thành phần"
MAX = "Điểm chuẩn"
SELF_SCORE = "Điểm tự đánh giá"
APPRAISED = "Điểm thẩm định"
RECHECKED = "Điểm phúc tra"
NOT_APPLICABLE = "Không áp dụng"
COMMENT = "Ý kiến hội đồng thẩm định"
NOT_APPLICABLE_MARK = "x"
TOTAL_LABEL = "TỔNG ĐIỂM"


@dataclass(frozen=True)
class AnnexColumn:
    key: str  # the AnnexLine attribute it shows
    label: str


COLUMNS = [
    AnnexColumn("code", CODE),
    AnnexColumn("name", NAME),
    AnnexColumn("max", MAX),
    AnnexColumn("self_score", SELF_SCORE),
    AnnexColumn("appraised", APPRAISED),
    AnnexColumn("rechecked", RECHECKED),
    AnnexColumn("not_applicable", NOT_APPLICABLE),
    AnnexColumn("comment", COMMENT),
]
SCORE_KEYS = ("max", "self_score", "appraised", "rechecked")


@dataclass
class AnnexLine:
    code: str
    name: str
    level: int
    is_leaf: bool
    max: Decimal
    self_score: Decimal | None
    appraised: Decimal | None
    rechecked: Decimal | None
    not_applicable: bool
    comment: str
    children: list[str] = field(default_factory=list)  # codes of the direct children

    @property
    def bold(self) -> bool:
        return self.level == 1

    @property
    def mark(self) -> str:
        """What the "Không áp dụng" column shows."""
        return NOT_APPLICABLE_MARK if self.not_applicable else ""


@dataclass
class AnnexTotal:
    max: Decimal
    self_score: Decimal | None
    appraised: Decimal | None
    rechecked: Decimal | None
    applicable_max: Decimal
    index: Decimal | None

    @property
    def note(self) -> str:
        """ "Chỉ số: 88,01%", with the applicable max when a criterion does not apply."""
        text = f"Chỉ số: {format_index(self.index)}%"
        if self.applicable_max != self.max:
            text += f" (trên {format_score(self.applicable_max)} điểm chuẩn được áp dụng)"
        return text


@dataclass
class AnnexRows:
    lines: list[AnnexLine]
    total: AnnexTotal
    has_recheck: bool
    has_not_applicable: bool

    def columns(self, *, every: bool) -> list[AnnexColumn]:
        """every: all the columns of the exchange layout (an export must import back);
        otherwise the columns this assessment needs (the report leaves out an empty
        "Điểm phúc tra" or "Không áp dụng")."""
        if every:
            return list(COLUMNS)
        skip = set()
        if not self.has_recheck:
            skip.add("rechecked")
        if not self.has_not_applicable:
            skip.add("not_applicable")
        return [column for column in COLUMNS if column.key not in skip]


def _rechecked(node: scoring.Node, has_recheck: bool) -> Decimal | None:
    if not node.is_leaf:
        return node.appraised if has_recheck else None
    if not node.applicable or node.score is None:
        return None
    return node.score.rechecked_score


def annex_rows(result: scoring.Result) -> AnnexRows:
    """The annex of one computed assessment: every criterion in code order, then the total."""
    has_recheck = result.has_recheck
    lines = [
        AnnexLine(
            code=node.code,
            name=node.name,
            level=node.level,
            is_leaf=node.is_leaf,
            max=node.max,
            self_score=node.self_score,
            appraised=node.council_appraised,
            rechecked=_rechecked(node, has_recheck),
            not_applicable=not node.applicable,
            comment=node.comment,
            children=[child.code for child in node.children],
        )
        for node in result.nodes()
    ]
    total = AnnexTotal(
        max=result.max,
        self_score=result.self_score,
        appraised=result.council_appraised,
        rechecked=result.appraised if has_recheck else None,
        applicable_max=result.applicable_max,
        index=result.index,
    )
    return AnnexRows(
        lines=lines,
        total=total,
        has_recheck=has_recheck,
        has_not_applicable=any(line.not_applicable for line in lines),
    )
