"""The task queue as the report tests play it: tasks queued and not run (a worker that has not
come round yet, the `queued_only` fixture of conftest.py), then run by the test."""

QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def run_queued(backend):
    """What the worker does: run every queued task once."""
    queued, backend.results[:] = list(backend.results), []
    for result in queued:
        result.task.call(*result.args, **result.kwargs)
