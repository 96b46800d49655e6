"""Creating and revoking API tokens: the owner or an administrator, each in a transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from assessments.services import DomainError

from .models import PREFIX_LENGTH, ApiToken, hash_token, new_secret


def may_manage(actor, owner) -> bool:
    """The owner of the tokens, or an administrator (staff or superuser)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return actor.pk == owner.pk or actor.is_superuser or actor.is_staff


def create_token(*, actor, owner, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `owner`; returns (token, secret). The secret is not stored."""
    if not may_manage(actor, owner):
        raise DomainError("Chỉ chủ tài khoản hoặc quản trị viên được tạo mã truy cập.")
    if not owner.is_active:
        raise DomainError(f"Tài khoản {owner.get_username()} đã bị khóa, không tạo được mã truy cập.")
    name = (name or "").strip()[:100] or "Mã truy cập"
    secret = new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            digest=hash_token(secret),
            created_by=actor,
        )
    return token, secret


def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    if not may_manage(actor, token.user):
        raise DomainError("Chỉ chủ tài khoản hoặc quản trị viên được thu hồi mã truy cập.")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def user_for_secret(secret: str):
    """The active account holding this secret, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user, token
