"""The admin's units import: the annex's upload → preview → confirm, for a province."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Role, Subject

from ..accounts import make_account
from .conftest import to_bytes, units_workbook

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:assessments_subject_import"
CONFIRM_URL = "admin:assessments_subject_process_import"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def preview(client, province):
    upload = SimpleUploadedFile("don-vi.xlsx", to_bytes(units_workbook()))
    return client.post(reverse(IMPORT_URL), {"format": "0", "import_file": upload, "subject": province.pk})


def confirmed(confirm) -> dict:
    """What the page posts back: the confirm form's hidden fields, an empty one as ""."""
    return {name: "" if confirm[name].value() is None else confirm[name].value() for name in confirm.fields}


def test_preview_lists_the_units_then_confirm_imports_them_once(admin_client, binh_phuoc):
    response = preview(admin_client, binh_phuoc)
    page = response.content.decode()
    assert "Xem trước: 9 dòng mới, 0 dòng thay đổi, 0 dòng không đổi" in page
    assert "Cũ → mới" in page and "Phường Đồng Xoài" in page
    assert Subject.objects.count() == 1
    confirm = response.context["confirm_form"]
    data = confirmed(confirm)
    done = admin_client.post(reverse(CONFIRM_URL), data, follow=True)
    messages = [str(m) for m in done.context["messages"]]
    assert "Đã nhập: 9 dòng mới, 0 dòng thay đổi, 0 dòng không đổi." in messages
    assert Subject.objects.filter(parent=binh_phuoc).count() == 9
    again = admin_client.post(reverse(CONFIRM_URL), data, follow=True)
    assert any("đã được nhập" in str(m) for m in again.context["messages"])
    assert Subject.objects.filter(parent=binh_phuoc).count() == 9


def test_a_confirm_for_another_province_than_previewed_is_refused(admin_client, binh_phuoc, dong_nai):
    confirm = preview(admin_client, binh_phuoc).context["confirm_form"]
    data = confirmed(confirm)
    data["subject"] = dong_nai.pk
    done = admin_client.post(reverse(CONFIRM_URL), data, follow=True)
    assert any("khác với bản xem trước" in str(m) for m in done.context["messages"])
    assert Subject.objects.count() == 2


def test_errors_show_in_the_preview_and_nothing_is_written(admin_client, binh_phuoc):
    upload = SimpleUploadedFile("don-vi.csv", "Mã;Tên đơn vị;Khối\nX;Xã A;hội\n".encode())
    response = admin_client.post(
        reverse(IMPORT_URL), {"format": "0", "import_file": upload, "subject": binh_phuoc.pk}
    )
    page = response.content.decode()
    assert "Không thể nhập: 1 lỗi" in page and "Dòng 2 (X): khối “hội” không rõ" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Subject.objects.count() == 1


def test_a_province_staff_account_chooses_only_its_province(client, binh_phuoc, dong_nai):
    user = make_account("snv", Role.PROCESS_OWNER, binh_phuoc)
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_subject", "change_subject", "view_subject"])
    )
    client.force_login(user)
    form = client.get(reverse(IMPORT_URL)).context["form"]
    assert list(form.fields["subject"].queryset) == [binh_phuoc]
    response = preview(client, dong_nai)
    assert "subject" in response.context["form"].errors
    assert Subject.objects.count() == 2
