"""Writing score rows with optimistic locking: a row is written only if it still has the
version the page was opened with; otherwise the save is refused (nothing is written) and
the newer value is reported. A row the user did not touch is never a conflict.

Called only by services.scores.write_scores, the one write path for scores, which checks
the rows first."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..decimals import format_score
from ..models import Score
from .errors import ConflictError, DomainError
from .history import stamp

EMPTY = {
    "applicable": True,
    "self_score": None,
    "appraised_score": None,
    "rechecked_score": None,
    "explanation": "",
    "response": "",
    "appraisal_comment": "",
    "recheck_comment": "",
    "self_figures": "",  # declared figures, written with their score (services.figures)
    "appraised_figures": "",
    "appraised_override_reason": "",
}
SCORE_FIELDS = ("self_score", "appraised_score", "rechecked_score")
WRITTEN_FIELDS = [*EMPTY, "version", "updated_at", "updated_by"]
BATCH = 500


@dataclass
class RowInput:
    """What a form posted for one criterion: the version it was opened at and the values."""

    version: int
    values: dict = field(default_factory=dict)


def _normalise(name: str, value):
    if name == "applicable":
        return True if value is None else bool(value)
    if name in SCORE_FIELDS:
        return None if value is None else Decimal(value).normalize()
    return (value or "").replace("\r\n", "\n").strip()


def same_values(a: dict, b: dict) -> bool:
    return all(_normalise(name, a.get(name)) == _normalise(name, b.get(name)) for name in b)


def values_of(score: Score | None, names) -> dict:
    return {name: (getattr(score, name) if score is not None else EMPTY[name]) for name in names}


def _values_at_version(score: Score | None, version: int, names) -> dict | None:
    """The values a row had at a given version (from its history), None if unknown."""
    if version == 0:
        return {name: EMPTY[name] for name in names}
    if score is None:
        return None
    record = score.history.filter(version=version).order_by("-history_date", "-history_id").first()
    return values_of(record, names) if record is not None else None


def check_score(value, maximum: Decimal, label: str, code: str) -> None:
    if value is None:
        return
    if value < 0:
        raise DomainError(f"{code}: {label} không được âm.")
    if value > maximum:
        raise DomainError(
            f"{code}: {label} {format_score(value)} lớn hơn điểm tối đa {format_score(maximum)}."
        )


def apply_rows(*, user, assessment, rows: dict[int, RowInput], source: str, reason: str = "") -> list[Score]:
    """Write the rows that changed, in the caller's transaction. Raises ConflictError (and
    writes nothing) when a changed row was saved by someone else since it was read."""
    current = {
        s.criterion_id: s
        for s in Score.objects.select_for_update().filter(assessment=assessment, criterion_id__in=list(rows))
    }
    conflicts: dict[int, Score | None] = {}
    changes = []
    for criterion_id, row in rows.items():
        score = current.get(criterion_id)
        if same_values(values_of(score, row.values), row.values):
            continue
        current_version = score.version if score is not None else 0
        if row.version != current_version:
            base = _values_at_version(score, row.version, row.values)
            if base is not None and same_values(base, row.values):
                continue  # the user left this row as it was: keep the newer value
            conflicts[criterion_id] = score
            continue
        changes.append((criterion_id, score, row))
    if conflicts:
        raise ConflictError(conflicts)
    saved, created, updated = [], [], []
    for criterion_id, score, row in changes:
        if score is None:
            score = Score(assessment=assessment, criterion_id=criterion_id, version=0)
        for name, value in row.values.items():
            setattr(score, name, _normalise(name, value) if name not in SCORE_FIELDS else value)
        score.version += 1
        score.updated_by = user
        stamp(score, user=user, source=source, reason=reason)
        (updated if score.pk else created).append(score)
        saved.append(score)
    _save(created, updated, user=user, source=source, reason=reason)
    return saved


def _save(created: list[Score], updated: list[Score], *, user, source: str, reason: str) -> None:
    """Write new and changed rows, each with its history record (who, where from, why), in
    a few statements whatever their number (an import writes thousands)."""
    history = {
        "default_user": user,
        "default_change_reason": reason,
        "custom_historical_attrs": {"change_source": source},
    }
    try:
        with transaction.atomic():
            if created:
                bulk_create_with_history(created, Score, batch_size=BATCH, **history)
            if updated:
                now = timezone.now()
                for score in updated:
                    score.updated_at = now
                bulk_update_with_history(updated, Score, WRITTEN_FIELDS, batch_size=BATCH, **history)
    except IntegrityError as exc:
        # Two first saves of the same criterion at once: the other one won.
        raise DomainError(
            "Người khác vừa lưu cùng tiêu chí này; chưa lưu gì. Tải lại trang để xem giá trị mới."
        ) from exc
