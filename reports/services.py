"""Writes to a report: one function, in a transaction, recorded in the narrative's history."""

from __future__ import annotations

import datetime

from django.db import transaction

from assessments.models import Assessment, ChangeSource
from assessments.services.history import stamp

from .drafts import drafts_for
from .facts import gather
from .models import ReportNarrative

# The longest block a person may write: about eight printed pages (a whole reference report is
# 50 000 characters). A 1 MB block took 17,6 s to render as PDF; this keeps every render short.
NARRATIVE_MAX_CHARS = 20_000

TEXT_KEYS = (
    "document_number",
    "place",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
    "assessment_text",
    "proposals_text",
)


class NarrativeError(ValueError):
    """A narrative that cannot be saved (message in Vietnamese); `field` names the block."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def too_long_message(length: int) -> str:
    def count(n: int) -> str:
        return f"{n:,}".replace(",", ".")  # Vietnamese thousands: 20.000

    return (
        f"Nội dung dài {count(length)} ký tự, vượt quá giới hạn {count(NARRATIVE_MAX_CHARS)} ký tự "
        "của một ô: hãy rút gọn hoặc chuyển phần chi tiết sang phụ lục."
    )


def _check_length(key: str, value: str) -> None:
    if len(value) > NARRATIVE_MAX_CHARS:
        raise NarrativeError(too_long_message(len(value)), field=key)


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").strip().split("\n"))


@transaction.atomic
def save_narrative(assessment: Assessment, user, data: dict, *, reason: str = "") -> ReportNarrative:
    """Store what a person wrote. Text equal to the generated draft is stored empty, so that
    the draft keeps following the data; figures are never stored (they are computed)."""
    # One history entry per save: an unsaved narrative is created by the save below.
    narrative = ReportNarrative.objects.select_for_update().filter(assessment=assessment).first()
    if narrative is None:
        narrative = ReportNarrative(assessment=assessment)
    drafts = drafts_for(gather(assessment, narrative))
    for key in TEXT_KEYS:
        if key not in data:
            continue
        value = _normalise(data[key])
        _check_length(key, value)
        setattr(narrative, key, "" if value == _normalise(drafts.get(key, "")) else value)
    if "issue_date" in data:
        day = data["issue_date"]
        if day is not None and not isinstance(day, datetime.date):
            raise NarrativeError("Ngày ban hành không hợp lệ.")
        narrative.issue_date = day
    texts = dict(narrative.field_texts or {})
    for key, value in data.items():
        if not key.startswith("field_"):
            continue
        code = key.removeprefix("field_")
        value = _normalise(value)
        _check_length(key, value)
        if value and value != _normalise(drafts.get(key, "")):
            texts[code] = value
        else:
            texts.pop(code, None)
    narrative.field_texts = texts
    narrative.updated_by = user if getattr(user, "is_authenticated", False) else None
    stamp(
        narrative,
        user=narrative.updated_by,
        source=ChangeSource.FORM,
        reason=reason or "Cập nhật nội dung báo cáo",
    )
    narrative.save()
    return narrative
