"""Pages with a province's scores, and their downloads, are never kept by a browser or proxy:
Cache-Control: private, no-store on every one (one middleware rule)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import Evidence
from tests.responses import close_download

from .conftest import leaves_of

pytestmark = pytest.mark.django_db


def private(response) -> bool:
    terms = {t.strip() for t in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= terms


def test_every_page_and_download_of_an_assessment_is_private(client, open_assessment, users, stp):
    leaf = leaves_of(open_assessment, stp)[0].criterion
    evidence = Evidence(
        assessment=open_assessment,
        criterion=leaf,
        agency=stp,
        original_name="ke-hoach.pdf",
        kind="pdf",
        extension="pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    evidence.file.save("x", ContentFile(b"%PDF-1.4\n"), save=True)
    pk = open_assessment.pk
    urls = [
        reverse("assessments:home"),
        reverse("assessments:entry", args=[pk, stp.pk]),
        reverse("assessments:progress", args=[pk]),
        reverse("assessments:appraisal", args=[pk]),
        reverse("assessments:criterion_history", args=[pk, leaf.pk]),
        reverse("assessments:evidence_download", args=[evidence.pk]),
        reverse("reports:detail", args=[pk]),
        reverse("reports:edit", args=[pk]),
        reverse("reports:download", args=[pk, "docx"]),
    ]
    client.force_login(users["process_owner"])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert private(response), (url, response.get("Cache-Control"))
        close_download(response)
    # A department editor's own page, and a redirect to it.
    client.force_login(users["editor"])
    for url in (reverse("assessments:entry", args=[pk, stp.pk]), reverse("assessments:my_entry", args=[pk])):
        assert private(client.get(url)), url
