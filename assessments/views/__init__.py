"""Thin views, by feature: scope and permission from assessments.permissions, writes through
assessments.services, roll-ups from assessments.scoring. The URL names are in
assessments/urls.py."""

from .appraisal import appraisal, appraisal_take_self
from .block import block_progress
from .entry import contributor_remark, entry, submit
from .entry_export import entry_export
from .evidence import evidence_delete, evidence_download, evidence_upload
from .frameworks import framework_copy, framework_detail, framework_list
from .history import criterion_history
from .home import home, my_entry
from .notifications import account, notification_list, notification_open, notification_read_all
from .workflow import extend, lock, phase, progress, return_part, set_applicability, unlock

__all__ = [
    "account",
    "appraisal",
    "appraisal_take_self",
    "block_progress",
    "contributor_remark",
    "criterion_history",
    "entry",
    "entry_export",
    "evidence_delete",
    "evidence_download",
    "evidence_upload",
    "extend",
    "framework_copy",
    "framework_detail",
    "framework_list",
    "home",
    "lock",
    "my_entry",
    "notification_list",
    "notification_open",
    "notification_read_all",
    "phase",
    "progress",
    "return_part",
    "set_applicability",
    "submit",
    "unlock",
]
