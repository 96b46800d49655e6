from .accounts import Profile, Role
from .assessment import Assessment, ChangeSource, PublishedResult, Score
from .framework import Criterion, Framework, GradeBand, ScoringMethod, criterion_label, sort_key_for
from .reference import Agency, Subject, SubjectKind

__all__ = [
    "Agency",
    "Assessment",
    "ChangeSource",
    "Criterion",
    "Framework",
    "GradeBand",
    "Profile",
    "PublishedResult",
    "Role",
    "Score",
    "ScoringMethod",
    "Subject",
    "SubjectKind",
    "criterion_label",
    "sort_key_for",
]
