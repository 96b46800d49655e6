"""Every write of the self-assessment workflow is a service function here: atomic, raising
DomainError with a Vietnamese message, leaving a history entry. Every write of a score goes
through write_scores (services.scores)."""

from .deadlines import (
    Deadlines,
    PartState,
    deadlines_for,
    deadlines_for_many,
    format_deadline,
    is_passed,
    part_state,
    stage_of,
)
from .entry import return_part, save_part, stage_leaves, submit_part, writable_leaves
from .errors import ConflictError, DomainError
from .evidence import add_evidence, delete_evidence, detect_type
from .history import HistoryEntry, criterion_history, stamp
from .home import HomeFilter, answering_assessments, assessment_years, editor_home, province_assessments
from .progress import AgencyProgress, agency_progress
from .reminders import due_for_user, open_parts, open_parts_many, send_reminders
from .rows import RowInput
from .scores import write_scores
from .setup import copy_framework, open_assessment
from .workflow import (
    agencies_of,
    extend_deadline,
    lock,
    save_appraisal,
    set_applicable,
    set_phase,
    unlock,
)

__all__ = [
    "AgencyProgress",
    "ConflictError",
    "Deadlines",
    "DomainError",
    "HistoryEntry",
    "HomeFilter",
    "PartState",
    "RowInput",
    "add_evidence",
    "agencies_of",
    "agency_progress",
    "answering_assessments",
    "assessment_years",
    "copy_framework",
    "criterion_history",
    "deadlines_for",
    "deadlines_for_many",
    "delete_evidence",
    "detect_type",
    "due_for_user",
    "editor_home",
    "extend_deadline",
    "format_deadline",
    "is_passed",
    "lock",
    "open_assessment",
    "open_parts",
    "open_parts_many",
    "part_state",
    "province_assessments",
    "return_part",
    "save_appraisal",
    "save_part",
    "send_reminders",
    "set_applicable",
    "set_phase",
    "stage_leaves",
    "stage_of",
    "stamp",
    "submit_part",
    "unlock",
    "writable_leaves",
    "write_scores",
]
