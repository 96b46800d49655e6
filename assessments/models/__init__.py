from .accounts import Profile, Role
from .assessment import Assessment, ChangeSource, CriterionRemark, PublishedResult, Score
from .evidence import Evidence
from .framework import (
    Criterion,
    CriterionAgency,
    Framework,
    GradeBand,
    RuleKind,
    ScoringMethod,
    Section,
    criterion_label,
    sort_key_for,
)
from .notifications import Notification, NotificationKind
from .reference import UNIT_KINDS, Agency, Subject, SubjectKind, SubjectName
from .workflow import DeadlineExtension, ReminderLog, Stage, Submission, SubmittedAnswer, WorkflowEvent

__all__ = [
    "UNIT_KINDS",
    "Agency",
    "Assessment",
    "ChangeSource",
    "Criterion",
    "CriterionAgency",
    "CriterionRemark",
    "DeadlineExtension",
    "Evidence",
    "Framework",
    "GradeBand",
    "Notification",
    "NotificationKind",
    "Profile",
    "PublishedResult",
    "ReminderLog",
    "Role",
    "RuleKind",
    "Score",
    "ScoringMethod",
    "Section",
    "Stage",
    "Subject",
    "SubjectKind",
    "SubjectName",
    "Submission",
    "SubmittedAnswer",
    "WorkflowEvent",
    "criterion_label",
    "sort_key_for",
]
