"""The admin flow through django-import-export: upload → preview with per-row errors → confirm;
the export button on the assessment."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment, ChangeSource, PublishedResult, Score, Subject

from .conftest import annex_workbook, reference_rows, to_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    # No password: force_login needs none, and hashing one costs half a second per test.
    user = get_user_model().objects.create(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def upload(client, url, content: bytes, name="phu-luc.xlsx", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"format": "0", "import_file": SimpleUploadedFile(name, content), **fields}
    return client.post(url, data)


def test_changelist_has_a_vietnamese_import_button(admin_client, provinces):
    response = admin_client.get(reverse("admin:assessments_score_changelist"))
    assert "Nhập từ tệp Excel" in response.content.decode()


def test_preview_then_confirm(admin_client, provinces):
    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    url = reverse("admin:assessments_score_import")
    assert "Tệp cần nhập" in admin_client.get(url).content.decode()

    response = upload(admin_client, url, to_bytes(annex_workbook()), subject=subject.pk, year=2023)

    page = response.content.decode()
    assert response.status_code == 200
    # 101 leaves, and the remarks of the three parent rows 2.4, 5.7 and 8.1.
    assert "Xem trước: 104 dòng mới, 0 dòng thay đổi, 0 dòng không đổi" in page
    assert "Sẽ thực hiện: Tạo bộ tiêu chí năm 2023" in page
    assert "(4.3.4): tiêu chí chấm qua điều tra xã hội học có điểm tự đánh giá 0" in page
    assert "Xác nhận nhập" in page
    assert not Score.objects.exists()  # nothing written by the preview

    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = admin_client.post(reverse("admin:assessments_score_process_import"), data, follow=True)

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert "Đã nhập: 104 dòng mới, 0 dòng thay đổi, 0 dòng không đổi." in messages
    assessment = Assessment.objects.get(subject=subject, framework__year=2023)
    assert assessment.scores.count() == 104
    assert Score.history.filter(change_source=ChangeSource.IMPORT).count() == 104


def test_preview_lists_row_errors_and_offers_no_confirm(admin_client, provinces):
    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    rows = [list(r) for r in reference_rows()]
    for row in rows:
        if row[0] == "2.2.1":
            row[2] = "nửa điểm"
        if row[0] == "3.4.4":
            row[4] = "0,5"
    wb = annex_workbook(rows)
    response = upload(
        admin_client, reverse("admin:assessments_score_import"), to_bytes(wb), subject=subject.pk, year=2023
    )
    page = response.content.decode()
    assert "Không thể nhập: 2 lỗi, không có gì được ghi" in page
    assert "(2.2.1): điểm chuẩn &#x27;nửa điểm&#x27; không phải là số" in page
    assert "(3.4.4): điểm thẩm định 0,5 lớn hơn điểm chuẩn 0,25" in page
    assert "Xác nhận nhập" not in page
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a table", "Tệp không phải bảng tính (là tệp PDF)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "mật khẩu"),
    ],
)
def test_unreadable_files_get_a_clear_refusal(admin_client, provinces, content, message):
    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    response = upload(
        admin_client, reverse("admin:assessments_score_import"), content, subject=subject.pk, year=2023
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_subject_not_valid_in_year(admin_client, provinces):
    merged = Subject.objects.get(code="75", valid_from__isnull=False)  # Đồng Nai after 1/7/2025
    response = upload(
        admin_client,
        reverse("admin:assessments_score_import"),
        to_bytes(annex_workbook()),
        subject=merged.pk,
        year=2023,
    )
    assert "không tồn tại trong năm 2023" in response.content.decode()


def test_field_summary_in_published_results_admin(admin_client, sample_assessment):
    from .test_published import field_summary_workbook

    PublishedResult.objects.all().delete()
    url = reverse("admin:assessments_publishedresult_import")
    response = upload(
        admin_client,
        url,
        field_summary_workbook(),
        subject=sample_assessment.subject.pk,
        year=2023,
        resource="1",
    )
    page = response.content.decode()
    assert "Xem trước: 18 dòng mới" in page
    assert "87,41% khác chỉ số tính từ điểm 87,38%" in page
    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    admin_client.post(reverse("admin:assessments_publishedresult_process_import"), data)
    assert PublishedResult.objects.filter(subject=sample_assessment.subject).count() == 18


def test_export_button_on_the_assessment(admin_client, sample_assessment):
    change = admin_client.get(reverse("admin:assessments_assessment_change", args=[sample_assessment.pk]))
    url = reverse("admin:assessments_assessment_export_annex", args=[sample_assessment.pk])
    assert f'href="{url}"' in change.content.decode()
    assert "Xuất phụ lục (Excel)" in change.content.decode()
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "phu-luc-chi-so-cchc-2023-binh-phuoc.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "PHỤ LỤC"


def test_export_needs_staff(client, sample_assessment):
    url = reverse("admin:assessments_assessment_export_annex", args=[sample_assessment.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the confirm step imports exactly what was previewed, once --------------------------------


def preview_annex(admin_client, subject):
    url = reverse("admin:assessments_score_import")
    response = upload(admin_client, url, to_bytes(annex_workbook()), subject=subject.pk, year=2023)
    confirm = response.context["confirm_form"]
    return {name: confirm[name].value() for name in confirm.fields}


def confirm_import(admin_client, data):
    response = admin_client.post(reverse("admin:assessments_score_process_import"), data, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_confirming_the_same_preview_twice_imports_once(admin_client, provinces):
    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    data = preview_annex(admin_client, subject)
    assert "Đã nhập: 101 dòng mới, 0 dòng thay đổi, 0 dòng không đổi." in confirm_import(admin_client, data)
    history = Score.history.count()

    messages = confirm_import(admin_client, data)

    assert messages == [
        "Bản xem trước này đã được nhập, hoặc không còn trên máy chủ: không nhập lại. "
        "Nếu cần, hãy tải tệp lên và xem trước lần nữa."
    ]
    assert Score.objects.count() == 101 and Score.history.count() == history


@pytest.mark.parametrize(
    "change",
    [
        {"year": "2024"},
        {"resource": "1"},
        {"import_file_name": "passwd"},
        {"token": "gia-mao"},
        {"year": "hai nghìn"},
    ],
)
def test_a_confirm_that_differs_from_its_preview_is_refused(admin_client, provinces, change):
    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    data = preview_annex(admin_client, subject)

    messages = confirm_import(admin_client, {**data, **change})

    assert len(messages) == 1 and messages[0].startswith("Thông tin xác nhận khác với bản xem trước")
    assert not Assessment.objects.filter(framework__year__in=[2023, 2024]).exists()
    # The preview itself is still there, and still imports what it showed.
    assert "Đã nhập: 101 dòng mới, 0 dòng thay đổi, 0 dòng không đổi." in confirm_import(admin_client, data)


def test_a_file_changed_after_the_preview_is_refused(admin_client, provinces):
    import os
    import tempfile

    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    data = preview_annex(admin_client, subject)
    with open(os.path.join(tempfile.gettempdir(), data["import_file_name"]), "ab") as handle:
        handle.write(b"\0")

    messages = confirm_import(admin_client, data)

    assert messages == [
        "Tệp đã thay đổi sau khi xem trước: không nhập. Hãy tải tệp lên và xem trước lần nữa."
    ]
    assert not Score.objects.exists()


def test_a_confirm_after_the_data_changed_since_the_preview_imports_nothing(admin_client, provinces):
    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    data = preview_annex(admin_client, subject)
    # Meanwhile another import stores the same table: confirming would now change nothing,
    # not create the 101 rows the preview showed.
    other = preview_annex(admin_client, subject)
    confirm_import(admin_client, other)
    history = Score.history.count()

    messages = confirm_import(admin_client, data)

    assert messages == [
        "Dữ liệu đã thay đổi từ lúc xem trước (có người vừa sửa hoặc nhập): kết quả nhập sẽ khác bản "
        "xem trước, nên không nhập gì. Hãy tải tệp lên và xem trước lần nữa."
    ]
    assert Score.history.count() == history
