"""The task queue as the report tests play it (tasks queued and not run, as with a worker that
has not come round yet: the `queued_only` fixture of conftest.py; then run by the test), and a
change of the data the report follows."""

from assessments.models import Score

QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def run_queued(backend):
    """What the worker does: run every queued task once."""
    queued, backend.results[:] = list(backend.results), []
    for result in queued:
        result.task.call(*result.args, **result.kwargs)


def change_a_score(assessment, delta=1):
    """An appraised score of field 1 lowered, as a save does (its version moves on): the
    report's data change."""
    score = Score.objects.get(assessment=assessment, criterion__code="1.1")
    score.appraised_score -= delta
    score.version += 1
    score.save()
