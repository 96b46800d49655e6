"""A report is rendered (1–6 s) outside any transaction and stored after: on SQLite a
transaction holds the database's write lock from its start (IMMEDIATE), and on PostgreSQL a
long transaction holds its row locks; either way a rendering never holds up anyone's saves.
That only one rendering runs at a time is the task queue's business (reports/tasks.py)."""

import pytest
from django.db import connection

from reports import cache
from reports.models import RenderedReport

pytestmark = pytest.mark.django_db


def test_rendering_holds_no_transaction(sample_assessment, monkeypatch):
    depth_outside = len(connection.atomic_blocks)  # the test's own transaction
    seen = []

    def render(assessment, fmt):
        seen.append(len(connection.atomic_blocks))
        return b"%PDF-1.7 thu"

    monkeypatch.setattr(cache, "render", render)
    first = cache.rendered_file(sample_assessment, "pdf")
    again = cache.rendered_file(sample_assessment, "pdf")
    assert (first.from_cache, again.from_cache, again.content) == (False, True, b"%PDF-1.7 thu")
    stored = RenderedReport.objects.get(assessment=sample_assessment, format="pdf")
    assert stored.fingerprint == cache.fingerprint(sample_assessment)
    assert seen == [depth_outside]
