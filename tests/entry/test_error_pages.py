"""Error pages in Vietnamese: 404 and 403 in the site's layout, 500 and the CSRF failure as
plain HTML that needs no request context."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True])
def test_404_is_in_vietnamese(client, small, logged_in):
    if logged_in:
        client.force_login(small["users"]["editor"])
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Không tìm thấy trang" in html
    assert 'class="topbar"' in html  # the site's layout
    assert "Not Found" not in html


@pytest.mark.django_db
def test_404_outside_ones_scope_does_not_leak_the_reason(client, small):
    """Sở Tư pháp's editor on Văn phòng UBND's part: a plain Vietnamese 404."""
    client.force_login(small["users"]["editor"])
    response = client.get(reverse("assessments:entry", args=[small["assessment"].pk, small["other"].pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_403_is_in_vietnamese_with_its_reason(client, small):
    client.force_login(small["users"]["appraiser"])
    response = client.post(
        reverse("assessments:return_part", args=[small["assessment"].pk, small["agency"].pk]),
        {"comment": "Bổ sung"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Không thực hiện được" in html
    assert "Chỉ Sở Nội vụ được trả lại." in html
    assert "dave" in html  # the layout, with who is logged in


@pytest.mark.django_db
def test_403_without_a_reason_says_so_in_vietnamese(small):
    request = RequestFactory().get("/")
    request.user = small["users"]["viewer"]
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này." in response.content.decode()


def test_500_renders_without_any_context():
    html = loader.get_template("500.html").render()
    assert '<html lang="vi">' in html
    assert "Hệ thống đang gặp sự cố" in html
    assert "{%" not in html and "{{" not in html
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_is_in_vietnamese(small):
    client = Client(enforce_csrf_checks=True)
    client.force_login(small["users"]["process_owner"])
    response = client.post(reverse("assessments:lock", args=[small["assessment"].pk]), {"reason": "Hết đợt"})
    assert response.status_code == 403
    assert "Chưa gửi được biểu mẫu" in response.content.decode()
    small["assessment"].refresh_from_db()
    assert not small["assessment"].is_locked
