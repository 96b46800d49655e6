"""Rendered reports go through the "reports" storage: with an S3-compatible object store (moto's
server here) every application server finds the file another one's worker rendered."""

import pytest
from django.urls import reverse

from reports import cache
from reports.models import RenderedReport
from tests.object_store import stored_keys

from .test_background_render import body, change_a_score

pytestmark = pytest.mark.django_db


def test_rendered_reports_live_in_the_object_store(
    client, owner, sample_assessment, object_store, monkeypatch, django_capture_on_commit_callbacks
):
    def render(assessment, fmt):
        return b"%PDF-1.7 " + str(len(stored_keys(object_store))).encode()

    monkeypatch.setattr(cache, "render", render)
    client.force_login(owner)
    url = reverse("reports:download", kwargs={"pk": sample_assessment.pk, "fmt": "pdf"})
    response = client.get(url)
    assert response.status_code == 200 and body(response) == b"%PDF-1.7 0"
    row = RenderedReport.objects.get(assessment=sample_assessment, format="pdf")
    assert stored_keys(object_store) == [f"reports/{row.file_name}"]

    change_a_score(sample_assessment)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert body(response) == b"%PDF-1.7 1"  # rendered at once by the test backend, then served
    row.refresh_from_db()
    assert stored_keys(object_store) == [f"reports/{row.file_name}"]  # the previous one deleted
