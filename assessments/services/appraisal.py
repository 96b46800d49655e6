"""What the council decides with, read for its appraisal page, and its one bulk action.

Read side: the filters of the page (GET parameters) and last year's appraised score (matched
by criterion code), in one query whatever the size of the tree; each criterion's evidence
files come from services.evidence.evidence_by_criterion. Write side: "take the self score"
(lấy điểm tự đánh giá) for one criterion or for a field's criteria not yet appraised, through
save_appraisal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .. import scoring
from ..models import ChangeSource, Score
from .deadlines import appraisal_state
from .errors import DomainError
from .rows import RowInput
from .workflow import save_appraisal


@dataclass(frozen=True)
class AppraisalFilters:
    """The page's filters, read from GET: a field code, a lead agency, and three checks."""

    field: str = ""
    agency: int | None = None
    below_max: bool = False
    changed: bool = False
    pending: bool = False
    q: str = ""

    @classmethod
    def from_query(cls, query) -> AppraisalFilters:
        agency = (query.get("agency") or "").strip()
        return cls(
            field=(query.get("field") or "").strip()[:20],
            agency=int(agency) if agency.isdigit() else None,
            below_max=query.get("below_max") == "1",
            changed=query.get("changed") == "1",
            pending=query.get("pending") == "1",
            q=(query.get("q") or "").strip()[:100],
        )

    @property
    def active(self) -> bool:
        return bool(self.field or self.agency or self.below_max or self.changed or self.pending or self.q)

    def query(self) -> dict[str, str]:
        """The filters as GET parameters (to come back to the same view after a save)."""
        found = {
            "field": self.field,
            "agency": str(self.agency) if self.agency else "",
            "below_max": "1" if self.below_max else "",
            "changed": "1" if self.changed else "",
            "pending": "1" if self.pending else "",
            "q": self.q,
        }
        return {key: value for key, value in found.items() if value}

    def keep(self, node: scoring.Node, recheck: bool = False) -> bool:
        score = node.score
        appraised = score.appraised_score if score is not None else None
        if self.field and node.code.split(".")[0] != self.field:
            return False
        if self.agency and not node.is_led_by(self.agency):
            return False
        if self.below_max:
            counted = node.appraised if node.appraised is not None else node.self_score
            if counted is None or counted >= node.max:
                return False
        if self.changed and not (appraised is not None and appraised != node.self_score):
            return False
        if self.pending:
            current = (score.rechecked_score if recheck else appraised) if score is not None else None
            if current is not None or not node.applicable:
                return False
        return True


def filter_leaves(
    result: scoring.Result, filters: AppraisalFilters, recheck: bool = False
) -> list[scoring.Node]:
    """The leaves the filters and the search text keep, in tree order."""
    leaves = [leaf for leaf in result.leaves() if filters.keep(leaf, recheck)]
    return scoring.criteria_matching(leaves, filters.q)


def previous_scores(assessment) -> tuple[int | None, dict[str, Decimal | None]]:
    """Last year's year and the appraised score that counted (the re-check's when there was
    one) of each criterion code, for the same subject's assessment of the year before on the
    same kind of framework (scoring.previous.previous_assessment's match), in one query
    whether or not there was one. (None, {}) when there was none; a criterion last year left
    unscored or marked "không áp dụng" maps to None."""
    framework = assessment.framework
    rows = Score.objects.filter(
        assessment__subject_id=assessment.subject_id,
        assessment__framework__year=framework.year - 1,
        assessment__framework__subject_kind=framework.subject_kind,
        assessment__framework__owner_id=framework.owner_id,
    ).values_list("criterion__code", "appraised_score", "rechecked_score", "applicable")
    scores = {}
    for code, appraised, rechecked, applicable in rows:
        scores[code] = (rechecked if rechecked is not None else appraised) if applicable else None
    return (framework.year - 1 if scores else None), scores


def take_self_scores(
    *, user, assessment, criterion_id: int | None = None, field_code: str = "", source=ChangeSource.FORM
) -> list:
    """Give criteria the department's self score (and its declared figures) as the council's
    score of the current phase: one criterion (whatever it had), or every criterion of a
    field not yet given one. Through save_appraisal, in one transaction: checked, versioned
    and kept in the history. Returns the scores written."""
    state = appraisal_state(assessment)
    fields = state.fields
    if state.closed_reason or fields is None:
        raise DomainError(state.closed_reason)
    score_field = fields[0]
    with transaction.atomic():
        result = scoring.compute(assessment)
        if criterion_id is not None:
            node = next((n for n in result.leaves() if n.criterion.pk == criterion_id), None)
            if node is None:
                raise DomainError("Tiêu chí không thuộc bộ tiêu chí của đợt đánh giá.")
            if node.score is None or node.score.self_score is None:
                raise DomainError(f"{node.code}: cơ quan chưa tự chấm điểm, không có điểm để lấy.")
            nodes = [node]
        else:
            field = result.by_code.get(field_code)
            if field is None or field not in result.fields:
                raise DomainError(f"Không có lĩnh vực “{field_code}”.")
            nodes = [
                n
                for n in field.leaves()
                if n.applicable
                and n.score is not None
                and n.score.self_score is not None
                and getattr(n.score, score_field) is None
            ]
            if not nodes:
                raise DomainError(
                    f"Lĩnh vực {field.code}: không còn tiêu chí nào có điểm tự đánh giá mà chưa có điểm "
                    f"{'phúc tra' if state.is_recheck else 'thẩm định'}."
                )
        rows = {}
        for node in nodes:
            score = node.score
            assert score is not None  # only rows with a self score were kept above
            values: dict[str, object] = {score_field: score.self_score}
            if "appraised_figures" in fields:
                values["appraised_figures"] = score.self_figures
                values["appraised_override_reason"] = ""
            rows[node.criterion.pk] = RowInput(version=score.version, values=values)
        return save_appraisal(user=user, assessment=assessment, rows=rows, source=source)
