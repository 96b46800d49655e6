"""Evidence files go through Django's storage API: with the S3-compatible object store (moto's
server here) an upload on one application server is downloadable from any other, and nothing
is written to the server's own disk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Evidence
from tests.object_store import stored_keys
from tests.responses import close_download

from .conftest import leaves_of
from .test_evidence import PDF

pytestmark = pytest.mark.django_db


def test_upload_download_and_delete_go_through_the_object_store(
    client, small, object_store, settings, django_capture_on_commit_callbacks
):
    editor, agency, assessment = small["users"]["editor"], small["agency"], small["assessment"]
    target = leaves_of(assessment, agency)[0].criterion
    client.force_login(editor)
    upload = reverse("assessments:evidence_upload", args=[assessment.pk, agency.pk, target.pk])
    response = client.post(upload, {"file": SimpleUploadedFile("bien-ban.pdf", PDF)})
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert stored_keys(object_store) == [f"media/{item.file.name}"]
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))

    response = client.get(reverse("assessments:evidence_download", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    close_download(response)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:evidence_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert stored_keys(object_store) == []
