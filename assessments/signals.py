"""Stamp each historical record with where the change came from; notify a workflow event's
people once it is committed.

A service sets ``instance._change_source`` before saving; the admin and anything else
that saves without saying falls back to what the request middleware tells (admin pages)
or "system".
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .models import ChangeSource, WorkflowEvent


@receiver(pre_create_historical_record)
def stamp_change_source(sender, instance, history_instance, **kwargs):
    source = getattr(instance, "_change_source", None)
    if source is None:
        request = getattr(HistoricalRecords.context, "request", None)
        if request is not None and request.path.startswith("/admin/"):
            source = ChangeSource.ADMIN
        else:
            source = ChangeSource.SYSTEM
    if hasattr(history_instance, "change_source"):
        history_instance.change_source = source


@receiver(post_save, sender=WorkflowEvent)
def notify_on_commit(sender, instance, created, **kwargs):
    """Notifications follow the action's commit: an action refused or rolled back tells no one."""
    if not created:
        return
    from .services.notifications import notify_for_event

    # robust: a failure to notify is logged and never turns the committed action into an error
    transaction.on_commit(lambda: notify_for_event(instance), robust=True)
