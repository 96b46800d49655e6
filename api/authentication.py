"""`Authorization: Token <secret>`: the secret is hashed and looked up, never stored."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .tokens import user_for_secret


class HashedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Tiêu đề Authorization sai dạng: cần đúng 'Token <mã truy cập>'."
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Mã truy cập chứa ký tự không hợp lệ.") from exc
        found = user_for_secret(secret)
        if found is None:
            raise exceptions.AuthenticationFailed(
                "Mã truy cập không đúng, đã bị thu hồi hoặc tài khoản bị khóa."
            )
        return found

    def authenticate_header(self, request):
        return self.keyword


class HashedTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token: an `Authorization: Token <secret>` header."""

    target_class = "api.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Mã truy cập theo dạng `Token <mã>` (tạo tại trang Mã truy cập API hoặc bằng "
            "`python manage.py create_api_token USERNAME`).",
        }
