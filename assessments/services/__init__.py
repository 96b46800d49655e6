"""Every write of the self-assessment workflow is a service function here: atomic, raising
DomainError with a Vietnamese message, leaving a history entry. Every write of a score goes
through write_scores (services.scores)."""

from .appraisal import AppraisalFilters, take_self_scores
from .block_progress import BlockProgress, UnitProgress, block_progress
from .contributions import (
    check_can_contribute,
    contributed_leaves,
    contribution_refusals,
    frozen_answers,
    remarks_by_criterion,
    save_remark,
)
from .deadlines import (
    AppraisalState,
    Deadlines,
    PartState,
    appraisal_state,
    deadlines_for,
    deadlines_for_many,
    format_deadline,
    is_passed,
    part_state,
    stage_of,
)
from .entry import agency_state, return_part, save_part, stage_leaves, submit_part, writable_leaves
from .errors import ConflictError, DomainError
from .evidence import add_evidence, delete_evidence, detect_type, evidence_by_criterion
from .figures import declare_figures, resolve_figures
from .history import HistoryEntry, criterion_history, stamp
from .home import HomeFilter, answering_assessments, assessment_years, editor_home, province_assessments
from .progress import AgencyProgress, ProgressView, agency_progress, progress_view
from .reminders import due_for_user, open_parts, open_parts_many, send_reminders
from .rows import RowInput
from .scores import write_scores
from .setup import copy_framework, open_assessment
from .workflow import (
    agencies_of,
    extend_deadline,
    is_backwards,
    lock,
    save_appraisal,
    set_applicable,
    set_phase,
    unlock,
)

__all__ = [
    "AgencyProgress",
    "AppraisalFilters",
    "AppraisalState",
    "BlockProgress",
    "ConflictError",
    "Deadlines",
    "DomainError",
    "HistoryEntry",
    "HomeFilter",
    "PartState",
    "ProgressView",
    "RowInput",
    "UnitProgress",
    "add_evidence",
    "agencies_of",
    "agency_progress",
    "agency_state",
    "answering_assessments",
    "appraisal_state",
    "assessment_years",
    "block_progress",
    "check_can_contribute",
    "contributed_leaves",
    "contribution_refusals",
    "copy_framework",
    "criterion_history",
    "deadlines_for",
    "deadlines_for_many",
    "declare_figures",
    "delete_evidence",
    "detect_type",
    "due_for_user",
    "editor_home",
    "evidence_by_criterion",
    "extend_deadline",
    "format_deadline",
    "frozen_answers",
    "is_backwards",
    "is_passed",
    "lock",
    "open_assessment",
    "open_parts",
    "open_parts_many",
    "part_state",
    "progress_view",
    "province_assessments",
    "remarks_by_criterion",
    "resolve_figures",
    "return_part",
    "save_appraisal",
    "save_part",
    "save_remark",
    "send_reminders",
    "set_applicable",
    "set_phase",
    "stage_leaves",
    "stage_of",
    "stamp",
    "submit_part",
    "take_self_scores",
    "unlock",
    "writable_leaves",
    "write_scores",
]
