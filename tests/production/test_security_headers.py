"""Content-Security-Policy without inline script, and the other response headers."""

import re

import pytest
from django.urls import reverse

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.django_db
def test_login_page_sends_a_csp_without_inline_script(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("default-src", [])
    assert not any("unsafe" in source for source in policy["script-src"])


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_event_handler(client, reference_data, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", password="mat-khau-rat-dai-2024")
    pages = [reverse("login")]
    client.force_login(user)
    pages += [reverse("assessments:home"), "/admin/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not EVENT_HANDLER.search(html), url
        assert "script-src 'self'" in response["Content-Security-Policy"], url


@pytest.mark.django_db
def test_hardening_headers_are_sent(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_cookie_is_http_only_and_secure_when_configured(client, settings, django_user_model):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.AXES_ENABLED = False
    django_user_model.objects.create_user("canbo", password="mat-khau-rat-dai-2024")
    response = client.post(reverse("login"), {"username": "canbo", "password": "mat-khau-rat-dai-2024"})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["secure"]
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_logout_is_not_possible_by_get(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("canbo"))
    assert client.get(reverse("logout")).status_code == 405


@pytest.mark.django_db
def test_csrf_is_enforced_on_login(django_user_model):
    from django.test import Client

    django_user_model.objects.create_user("canbo", password="mat-khau-rat-dai-2024")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "canbo", "password": "mat-khau-rat-dai-2024"})
    assert response.status_code == 403
