"""History: the one helper that stamps a save with who, where from and why
(django-simple-history reads it), and the history of one criterion in one assessment: each
change of its score row (who, when, old → new, from where and why) and the workflow events
that concern it, newest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from ..models import CriterionRemark, Score, WorkflowEvent


def stamp(instance, *, user, source: str, reason: str = ""):
    """Mark the next save of instance with who made it, where from (ChangeSource) and why.
    Every service sets these three through here, never by hand."""
    instance._change_source = source
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    return instance


# Bookkeeping columns, never shown as a change.
HISTORY_EXCLUDED = ["version", "updated_at", "updated_by", "assessment", "criterion"]
# What a first record is compared with: a score row that did not exist yet.
INITIAL = {
    "applicable": True,
    "self_score": None,
    "self_figures": "",
    "explanation": "",
    "appraised_score": None,
    "appraised_figures": "",
    "appraised_override_reason": "",
    "appraisal_comment": "",
    "response": "",
    "rechecked_score": None,
    "recheck_comment": "",
}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    kind: str  # "score" or "event"
    when: datetime.datetime
    user: object
    record: object = None
    event: WorkflowEvent | None = None
    changes: list[Change] = field(default_factory=list)


def criterion_history(assessment, criterion, responsible_ids) -> list[HistoryEntry]:
    """Score changes of the criterion, the contributing agencies' remarks on it, plus workflow
    events on it or (without a criterion) on an agency answering for it. Three queries."""
    records = list(
        Score.history.filter(assessment_id=assessment.pk, criterion_id=criterion.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for record in records:
        if previous is None:
            changes = [
                Change(name, initial, getattr(record, name))
                for name, initial in INITIAL.items()
                if getattr(record, name) != initial
            ]
        else:
            delta = record.diff_against(previous, excluded_fields=HISTORY_EXCLUDED)
            changes = [Change(c.field, c.old, c.new) for c in delta.changes]
        previous = record
        if changes:
            entries.append(
                HistoryEntry(
                    kind="score",
                    when=record.history_date,
                    user=record.history_user,
                    record=record,
                    changes=changes,
                )
            )
    entries.extend(_remark_entries(assessment, criterion))
    # A score write is shown by its own record above, with its source and reason.
    events = (
        WorkflowEvent.objects.filter(
            Q(criterion=criterion) | Q(criterion__isnull=True, agency_id__in=list(responsible_ids)),
            assessment=assessment,
        )
        .exclude(action=WorkflowEvent.Action.SCORE)
        .select_related("user", "agency", "criterion")
    )
    entries.extend(
        HistoryEntry(kind="event", when=event.created_at, user=event.user, event=event) for event in events
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _remark_entries(assessment, criterion) -> list[HistoryEntry]:
    """Each change of a contributing agency's remark (cơ quan phối hợp), as a change of the
    field "Ý kiến phối hợp (agency)"."""
    records = (
        CriterionRemark.history.filter(assessment_id=assessment.pk, criterion_id=criterion.pk)
        .select_related("history_user", "agency")
        .order_by("history_date", "history_id")
    )
    entries: list[HistoryEntry] = []
    previous: dict[int, str] = {}  # each agency's remark so far
    for record in records:
        old = previous.get(record.agency_id, "")
        previous[record.agency_id] = record.text
        if record.text != old:
            label = f"Ý kiến phối hợp ({record.agency.name})" if record.agency else "Ý kiến phối hợp"
            entries.append(
                HistoryEntry(
                    kind="score",
                    when=record.history_date,
                    user=record.history_user,
                    record=record,
                    changes=[Change(label, old, record.text)],
                )
            )
    return entries
