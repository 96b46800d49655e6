"""The account's API tokens page: create one (its secret shown once), revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from assessments.services import DomainError

from .models import ApiToken
from .tokens import create_token, revoke_token


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Tên hệ thống sử dụng mã",
        max_length=100,
        help_text="Ví dụ: Nền tảng LGSP của tỉnh.",
        error_messages={"required": "Nhập tên hệ thống sẽ dùng mã truy cập.", "max_length": "Tên quá dài."},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = create_token(
                actor=request.user, owner=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_http_methods(["POST"])
def revoke(request, token_pk: int):
    token = get_object_or_404(ApiToken, pk=token_pk, user=request.user)
    try:
        revoke_token(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thu hồi mã “{token.name}” ({token.prefix}…).")
    return redirect("api_tokens")
