"""django-axes: repeated failed logins lock the username from that address, in Vietnamese."""

import pytest
from django.conf import settings
from django.urls import reverse

PASSWORD = "mat-khau-rat-dai-2024"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("canbo.sotuphap", password=PASSWORD)


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_login_locks_after_repeated_failures(client, editor):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = attempt(client, editor.username, "sai-mat-khau")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = attempt(client, editor.username, "sai-mat-khau")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tạm khóa đăng nhập" in html
    assert f"sai mật khẩu {limit} lần" in html
    assert f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} phút" in html

    # Even the right password is refused while the lock lasts.
    response = attempt(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_username_and_a_success_resets_the_count(client, editor, django_user_model):
    django_user_model.objects.create_user("canbo.sotaichinh", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, editor.username, "sai-mat-khau")
    response = attempt(client, "canbo.sotaichinh", PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
def test_client_address_behind_a_trusted_proxy(rf, monkeypatch):
    from parindex import settings as project_settings

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    monkeypatch.setattr(project_settings, "TRUSTED_PROXY_COUNT", 0)
    assert project_settings.client_ip_address(request) == "127.0.0.1"
    monkeypatch.setattr(project_settings, "TRUSTED_PROXY_COUNT", 1)
    assert project_settings.client_ip_address(request) == "203.0.113.7"
