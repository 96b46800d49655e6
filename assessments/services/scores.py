"""The one write path for scores. The entry page, the appraisal page, the admin, the annex
import (and any future API) all write a score row through write_scores:

- the assessment row is locked (select_for_update) for the transaction, and a locked
  assessment ("đã khóa") takes no write at all;
- each row must be a criterion of the assessment's framework (a parent's row holds only a
  remark), change only the fields the caller's phase or stage allows, hold scores that are
  Decimals of at most 4 places between 0 and the criterion's max, no score on a criterion
  "không áp dụng", no self score on a survey leaf;
- rows are written with optimistic versions (services.rows.apply_rows: a row saved by someone
  else since it was read is a conflict, nothing is written);
- each saved row leaves a history record with who, where from and why, and the write leaves
  one WorkflowEvent ("Ghi điểm") naming the criteria.

The phase and stage rules stay with the callers (PartState for a department's part, the
appraisal phases for the council): they decide which fields may be written, this module
checks and writes. A refusal raises DomainError and writes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from .. import scoring
from ..models import Assessment, ChangeSource, WorkflowEvent
from .errors import DomainError
from .rows import RowInput, apply_rows, check_score

SCORE_LABELS = {
    "self_score": "điểm tự đánh giá",
    "appraised_score": "điểm thẩm định",
    "rechecked_score": "điểm phúc tra",
}
TEXT_LABELS = {
    "explanation": "giải trình điểm tự đánh giá",
    "appraisal_comment": "ý kiến hội đồng thẩm định",
    "response": "giải trình ý kiến thẩm định",
    "recheck_comment": "ý kiến phúc tra",
}
FIGURE_LABELS = {
    "self_figures": "số liệu tự đánh giá",
    "appraised_figures": "số liệu thẩm định",
    "appraised_override_reason": "lý do giữ điểm thẩm định khác số liệu",
}
FIELD_LABELS = {**SCORE_LABELS, **TEXT_LABELS, **FIGURE_LABELS, "applicable": "áp dụng"}
# Everything a score row holds that a person writes: what the admin and the import may touch.
ALL_FIELDS = tuple(FIELD_LABELS)
# A parent criterion's score is the sum of its children's: its row holds only a remark.
PARENT_FIELDS = ("appraisal_comment", "recheck_comment")
MAX_PLACES = 4
DETAIL_CODES = 12


def lock_assessment(assessment: Assessment) -> Assessment:
    """The assessment as it stands, its row locked until the transaction ends."""
    return Assessment.objects.select_for_update().select_related("subject", "framework").get(pk=assessment.pk)


def locked_message(assessment: Assessment) -> str:
    return (
        f"Đợt đánh giá năm {assessment.framework.year} của {assessment.subject.name} đã khóa: "
        "không sửa được điểm. Sở Nội vụ cần mở khóa (kèm lý do) trước."
    )


def check_format(value, label: str, code: str) -> Decimal:
    """A score as stored: a Decimal of at most 4 decimal places (never a float)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise DomainError(f"{code}: {label} “{value}” không phải là số.")
    if value.normalize().as_tuple().exponent < -MAX_PLACES:
        raise DomainError(f"{code}: {label} {value} có quá {MAX_PLACES} chữ số thập phân.")
    return value


def check_rows(assessment: Assessment, rows: dict[int, RowInput], *, fields, result: scoring.Result) -> None:
    """Every rule a score write must meet whoever writes it; reads only. Raises DomainError
    naming the criterion and the field."""
    if assessment.is_locked:
        raise DomainError(locked_message(assessment))
    nodes = {node.criterion.pk: node for node in result.nodes()}
    allowed = set(fields)
    for criterion_id, row in rows.items():
        node = nodes.get(criterion_id)
        if node is None:
            raise DomainError("Tiêu chí không thuộc bộ tiêu chí của đợt đánh giá.")
        extra = set(row.values) - allowed
        if extra:
            names = ", ".join(FIELD_LABELS.get(name, name) for name in sorted(extra))
            raise DomainError(f"{node.code}: không được sửa {names} ở bước này.")
        if not node.is_leaf:
            kept = set(row.values) - set(PARENT_FIELDS)
            if kept:
                names = ", ".join(FIELD_LABELS.get(name, name) for name in sorted(kept))
                raise DomainError(
                    f"{node.code}: tiêu chí có tiêu chí con, điểm của nó là tổng các tiêu chí con; "
                    f"không ghi được {names}, chỉ ghi được ý kiến."
                )
            continue
        applicable = row.values.get("applicable", node.applicable)
        stored = node.score
        for name, label in SCORE_LABELS.items():
            value = row.values.get(name)
            if value is None:
                continue
            check_format(value, label, node.code)
            if not applicable and (stored is None or getattr(stored, name) != value):
                raise DomainError(f"{node.code}: tiêu chí không áp dụng, không chấm {label}.")
            if name == "self_score" and node.is_survey:
                raise DomainError(
                    f"{node.code}: tiêu chí chấm qua điều tra xã hội học không có điểm tự đánh giá."
                )
            check_score(value, node.max, label, node.code)


def _detail(source: str, saved, codes: dict[int, str]) -> str:
    listed = [codes[score.criterion_id] for score in saved[:DETAIL_CODES]]
    more = "…" if len(saved) > DETAIL_CODES else ""
    return f"{ChangeSource(source).label}: {len(saved)} tiêu chí ({', '.join(listed)}{more})"[:300]


def write_scores(
    *,
    user,
    assessment: Assessment,
    rows: dict[int, RowInput],
    source: str,
    reason: str = "",
    fields=ALL_FIELDS,
    result: scoring.Result | None = None,
    agency=None,
    stage: str = "",
) -> list:
    """Check and write score rows (criterion id → RowInput) of one assessment, in one
    transaction. fields: what the caller's phase or stage lets this write change. Returns the
    scores saved (unchanged rows are skipped); raises DomainError or ConflictError, having
    written nothing."""
    with transaction.atomic():
        assessment = lock_assessment(assessment)
        if result is None:
            result = scoring.compute(assessment)
        check_rows(assessment, rows, fields=fields, result=result)
        saved = apply_rows(user=user, assessment=assessment, rows=rows, source=source, reason=reason)
        if saved:
            codes = {node.criterion.pk: node.code for node in result.nodes()}
            WorkflowEvent.objects.create(
                assessment=assessment,
                action=WorkflowEvent.Action.SCORE,
                stage=stage,
                agency=agency,
                criterion=saved[0].criterion if len(saved) == 1 else None,
                user=user,
                reason=reason,
                detail=_detail(source, saved, codes),
            )
        return saved
