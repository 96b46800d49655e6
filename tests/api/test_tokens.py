"""API tokens: stored only as a SHA-256 hash, created and revoked by their owner (page) or an
administrator (admin, command); a revoked token, or one of a disabled account, opens nothing."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from api.tokens import create_token, revoke_token
from assessments.services import DomainError

pytestmark = pytest.mark.django_db


def api_get(secret, url="/api/v1/years/"):
    return Client(HTTP_AUTHORIZATION=f"Token {secret}").get(url)


def test_only_the_hash_is_stored(world):
    user = world["users"]["viewer"]
    token, secret = create_token(actor=user, owner=user, name="LGSP")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.digest, stored.name} and len(stored.prefix) == 8
    assert api_get(secret).status_code == 200


def test_command_prints_a_working_token(world):
    out = StringIO()
    call_command("create_api_token", "erin", stdout=out)
    secret = out.getvalue().strip()
    assert len(secret) >= 40
    assert api_get(secret).status_code == 200
    assert ApiToken.objects.filter(user__username="erin").count() == 1


def test_command_refuses_an_unknown_account(db):
    with pytest.raises(CommandError, match="Không có tài khoản 'khong-co'"):
        call_command("create_api_token", "khong-co")


def test_revoked_token_and_disabled_account_are_refused(world):
    user = world["users"]["viewer"]
    token, secret = create_token(actor=user, owner=user)
    revoke_token(actor=user, token=token)
    response = api_get(secret)
    assert response.status_code == 401
    assert "thu hồi" in response.json()["detail"]
    _token, other = create_token(actor=user, owner=user)
    user.is_active = False
    user.save()
    assert api_get(other).status_code == 401


def test_wrong_token_is_refused(world):
    assert api_get("khong-phai-ma-that").status_code == 401


def test_nobody_else_manages_an_accounts_tokens(world):
    owner, other = world["users"]["viewer"], world["users"]["editor"]
    token, _secret = create_token(actor=owner, owner=owner)
    with pytest.raises(DomainError):
        revoke_token(actor=other, token=token)
    with pytest.raises(DomainError):
        create_token(actor=other, owner=owner)
    assert ApiToken.objects.get(pk=token.pk).is_active


def test_owner_creates_and_revokes_on_the_account_page(world):
    client = Client()
    client.force_login(world["users"]["viewer"])
    response = client.post(reverse("api_tokens"), {"name": "Nền tảng LGSP"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert api_get(secret).status_code == 200
    token = ApiToken.objects.get(user=world["users"]["viewer"])
    assert client.get(reverse("api_tokens")).content.decode().count(secret) == 0  # shown once
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api_get(secret).status_code == 401


def test_empty_name_is_refused_in_vietnamese(world):
    client = Client()
    client.force_login(world["users"]["viewer"])
    response = client.post(reverse("api_tokens"), {"name": ""})
    assert "Nhập tên hệ thống" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_another_account_cannot_revoke_through_the_page(world):
    owner = world["users"]["viewer"]
    token, secret = create_token(actor=owner, owner=owner)
    client = Client()
    client.force_login(world["users"]["editor"])
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert api_get(secret).status_code == 200


def test_admin_revokes_with_an_action(world, django_user_model):
    owner = world["users"]["viewer"]
    token, secret = create_token(actor=owner, owner=owner)
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("quantri"))
    response = admin.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    assert api_get(secret).status_code == 401
