"""Evidence: type by content, 20 MB limit, generated names, permission-checked download."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Evidence
from tests.responses import close_download

from .conftest import leaves_of

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("virus.exe", "MZ")
    return buffer.getvalue()


def ole2(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + stream.encode("utf-16-le") + b"\x00" * 64


ACCEPTED = [
    ("bao-cao.pdf", PDF, "pdf", "bao-cao.pdf"),
    ("anh.png", PNG, "png", "anh.png"),
    ("anh.JPG", JPEG, "jpg", "anh.JPG"),
    ("anh.jpeg", JPEG, "jpg", "anh.jpeg"),
    ("ke-hoach.docx", office("docx"), "docx", "ke-hoach.docx"),
    ("so-lieu.xlsx", office("xlsx"), "xlsx", "so-lieu.xlsx"),
    ("cu.doc", ole2("WordDocument"), "doc", "cu.doc"),
    ("cu.xls", ole2("Workbook"), "xls", "cu.xls"),
    # The name does not matter, the content does; the name takes the content's extension.
    ("khong-duoi", PDF, "pdf", "khong-duoi.pdf"),
    ("run.bat", PDF, "pdf", "run.pdf"),
    ("bao-cao.pdf.exe", PDF, "pdf", "bao-cao.pdf.pdf"),
    ("so-lieu.xls", office("xlsx"), "xlsx", "so-lieu.xlsx"),
    (".anh", PNG, "png", ".anh.png"),
]
REFUSED = [
    ("chuong-trinh.pdf", b"MZ\x90\x00" + b"\x00" * 60),  # an executable named .pdf
    ("ghi-chu.docx", b"just text, not a document"),
    ("nen.xlsx", plain_zip()),  # a zip that is not an Office package
    ("trang.html", b"<html><script>alert(1)</script></html>"),
]


@pytest.fixture
def open_assessment(small):
    return small["assessment"]


@pytest.fixture
def stp(small):
    return small["agency"]


@pytest.fixture
def users(small):
    return small["users"]


@pytest.fixture
def target(small):
    return leaves_of(small["assessment"], small["agency"])[0].criterion


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "extension", "shown"), ACCEPTED)
def test_accepts_by_content_and_stores_under_a_generated_name(
    open_assessment, users, stp, target, name, content, extension, shown
):
    item = services.add_evidence(
        user=users["editor"],
        assessment=open_assessment,
        agency=stp,
        criterion=target,
        upload=SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    )
    assert item.extension == extension
    assert item.original_name == shown
    assert name.strip(".").split(".")[0] not in item.file.name  # generated, not the user's name
    assert item.file.name.startswith(f"evidence/{open_assessment.pk}/")
    assert (settings.MEDIA_ROOT / item.file.name).read_bytes() == content


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), REFUSED)
def test_refuses_other_content_whatever_the_name(client, open_assessment, users, stp, target, name, content):
    client.force_login(users["editor"])
    url = reverse("assessments:evidence_upload", args=[open_assessment.pk, stp.pk, target.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert "Chỉ nhận tệp PDF, Word" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_refuses_files_over_20_mb(open_assessment, users, stp, target):
    big = SimpleUploadedFile("lon.pdf", PDF + b"\x00" * (20 * 1024 * 1024 - len(PDF) + 1))
    with pytest.raises(services.DomainError, match="lớn hơn 20 MB"):
        services.add_evidence(
            user=users["editor"], assessment=open_assessment, agency=stp, criterion=target, upload=big
        )
    exact = SimpleUploadedFile("vua.pdf", PDF + b"\x00" * (20 * 1024 * 1024 - len(PDF)))
    services.add_evidence(
        user=users["editor"], assessment=open_assessment, agency=stp, criterion=target, upload=exact
    )


@pytest.mark.django_db
def test_download_only_through_the_permission_checked_view(client, open_assessment, users, stp, target):
    item = services.add_evidence(
        user=users["editor"],
        assessment=open_assessment,
        agency=stp,
        criterion=target,
        upload=SimpleUploadedFile("bien ban.pdf", PDF),
    )
    client.force_login(users["editor"])
    response = client.get(reverse("assessments:evidence_download", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    # No public URL serves the media folder.
    assert client.get(settings.MEDIA_URL + item.file.name).status_code == 404
    client.force_login(users["other_editor"])
    assert client.get(reverse("assessments:evidence_download", args=[item.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("assessments:evidence_download", args=[item.pk])).status_code == 302


@pytest.mark.django_db
def test_a_pdf_named_run_bat_is_served_as_run_pdf(client, open_assessment, users, stp, target):
    item = services.add_evidence(
        user=users["editor"],
        assessment=open_assessment,
        agency=stp,
        criterion=target,
        upload=SimpleUploadedFile("run.bat", PDF, content_type="application/x-msdos-program"),
    )
    # Also a record stored before names followed the detected type.
    Evidence.objects.filter(pk=item.pk).update(original_name="run.bat", content_type="text/plain")
    client.force_login(users["editor"])
    response = client.get(reverse("assessments:evidence_download", args=[item.pk]))
    close_download(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="run.pdf"'


@pytest.mark.django_db
def test_evidence_follows_the_part_being_open(client, open_assessment, users, stp, target):
    from .conftest import fill_all

    fill_all(open_assessment, stp, users["editor"], "0")
    services.submit_part(user=users["editor"], assessment=open_assessment, agency=stp)
    with pytest.raises(services.DomainError, match="Đã gửi"):
        services.add_evidence(
            user=users["editor"],
            assessment=open_assessment,
            agency=stp,
            criterion=target,
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
