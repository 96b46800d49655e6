"""Feedback in view (issue 13 item 6): after an upload the message is shown in the row it
concerns (the page lands on the row's anchor), not at the top; "Tải lên" without a file says
so there; the same file (same SHA-256) uploaded twice to a criterion is refused, not listed
twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Evidence

from .conftest import PDF_BYTES


@pytest.fixture
def upload(client, small):
    assessment, stp = small["assessment"], small["agency"]
    leaf = small["criteria"]["1.1"]
    client.force_login(small["users"]["editor"])
    url = reverse("assessments:evidence_upload", args=[assessment.pk, stp.pk, leaf.pk])
    entry = reverse("assessments:entry", args=[assessment.pk, stp.pk])
    return {"client": client, "url": url, "entry": entry, "leaf": leaf, "assessment": assessment}


def _row(html, leaf):
    start = html.index(f'id="tc-{leaf.pk}"')
    return html[start : html.index("</tr>", start)]


def _top_messages(html):
    start = html.find('<ul class="messages">')
    return "" if start < 0 else html[start : html.index("</ul>", start)]


@pytest.mark.django_db
def test_the_upload_message_is_shown_in_its_row(upload):
    client = upload["client"]
    response = client.post(upload["url"], {"file": SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES)})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#tc-{upload['leaf'].pk}")
    html = client.get(upload["entry"]).content.decode()
    assert "đã tải lên “ke-hoach.pdf”" in _row(html, upload["leaf"])
    assert "đã tải lên" not in _top_messages(html)


@pytest.mark.django_db
def test_upload_without_a_file_says_so_in_the_row(upload):
    client = upload["client"]
    response = client.post(upload["url"], {})
    assert response["Location"].endswith(f"#tc-{upload['leaf'].pk}")
    html = client.get(upload["entry"]).content.decode()
    assert "Chọn một tệp để tải lên." in _row(html, upload["leaf"])
    assert not Evidence.objects.exists()
    # The page also says it before leaving, from its static script (data-needs-file).
    assert "data-needs-file=" in html


@pytest.mark.django_db
def test_the_same_file_twice_is_refused_and_listed_once(upload):
    client = upload["client"]
    client.post(upload["url"], {"file": SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES)})
    client.post(upload["url"], {"file": SimpleUploadedFile("ke-hoach-ban-sao.pdf", PDF_BYTES)})
    assert Evidence.objects.count() == 1
    html = client.get(upload["entry"]).content.decode()
    row = _row(html, upload["leaf"])
    assert "đã được tải lên rồi" in row and "“ke-hoach.pdf”" in row
    assert row.count('<div class="file">') == 1


@pytest.mark.django_db
def test_the_same_file_may_prove_another_criterion(upload, small):
    client = upload["client"]
    client.post(upload["url"], {"file": SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES)})
    other = small["criteria"]["1.2"]
    url = reverse("assessments:evidence_upload", args=[upload["assessment"].pk, small["agency"].pk, other.pk])
    client.post(url, {"file": SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES)})
    assert Evidence.objects.count() == 2
