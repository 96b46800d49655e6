"""A person's own notifications (the bell in the header): the list, opening one (marks it
read and goes to its page), marking all read; and the account page's e-mail preference.
Everyone sees only their own notifications (404 on anyone else's)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .. import permissions
from ..models import Notification
from ..services import DomainError
from ..services import notifications as service
from .common import protected

PER_PAGE = 30


@protected("GET")
def notification_list(request):
    page = Paginator(
        Notification.objects.filter(user=request.user).select_related(
            "assessment__subject", "assessment__framework"
        ),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request, "assessments/notifications.html", {"page_obj": page, "notifications": page.object_list}
    )


@protected("POST")
def notification_open(request, notification_pk):
    notification = get_object_or_404(Notification, pk=notification_pk, user=request.user)
    service.mark_read(user=request.user, notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("assessments:notifications")
    return redirect(target)


@protected("POST")
def notification_read_all(request):
    count = service.mark_all_read(user=request.user)
    messages.success(
        request, f"Đã đánh dấu {count} thông báo là đã đọc." if count else "Không còn thông báo chưa đọc."
    )
    return redirect("assessments:notifications")


@protected("GET", "POST")
def account(request):
    profile = permissions.profile_of(request.user)
    if request.method == "POST":
        enabled = request.POST.get("email_notifications") == "on"
        try:
            service.set_email_notifications(user=request.user, enabled=enabled)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                "Đã lưu: bạn sẽ nhận thông báo qua thư điện tử."
                if enabled
                else "Đã lưu: bạn chỉ nhận thông báo trong ParIndex, không qua thư điện tử.",
            )
        return redirect("assessments:account")
    return render(request, "assessments/account.html", {"profile": profile})
