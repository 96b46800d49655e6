from .accounts import Profile, Role
from .assessment import Assessment, ChangeSource, PublishedResult, Score
from .evidence import Evidence
from .framework import Criterion, Framework, GradeBand, ScoringMethod, criterion_label, sort_key_for
from .notifications import Notification, NotificationKind
from .reference import Agency, Subject, SubjectKind
from .workflow import DeadlineExtension, ReminderLog, Stage, Submission, SubmittedAnswer, WorkflowEvent

__all__ = [
    "Agency",
    "Assessment",
    "ChangeSource",
    "Criterion",
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
    "Score",
    "ScoringMethod",
    "Stage",
    "Subject",
    "SubjectKind",
    "Submission",
    "SubmittedAnswer",
    "WorkflowEvent",
    "criterion_label",
    "sort_key_for",
]
