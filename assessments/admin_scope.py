"""The admin's share of the one-province rule: a staff account lists and opens only the
assessments of its province (permissions.visible_assessments) and what hangs on them (scores,
evidence, submissions, extensions, events, reminders, report texts). Outside it, a change or
history page answers 404, as the site's own pages do. A superuser sees every province."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from . import permissions

if TYPE_CHECKING:
    # For the type checker the mixin is the ModelAdmin it is mixed into (self.model, super()).
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


class ProvinceScopedAdmin(_AdminBase):
    """Mix into a ModelAdmin (before the admin class). `assessment_path`: the lookup from the
    model to its assessment ("" for the assessment itself)."""

    assessment_path = "assessment"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.is_superuser(request.user):
            return queryset
        lookup = f"{self.assessment_path}__in" if self.assessment_path else "pk__in"
        return queryset.filter(**{lookup: permissions.visible_assessments(request.user).values("pk")})

    def get_object(self, request, object_id, from_field=None):
        """None for an object that does not exist (the admin says so); 404 for one that exists
        outside the user's province."""
        found = super().get_object(request, object_id, from_field)
        if found is None and self._exists(object_id, from_field):
            raise Http404("Không tìm thấy trang hoặc bạn không có quyền xem.")
        return found

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def _exists(self, object_id, from_field=None) -> bool:
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            value = field.to_python(object_id)
        except (ValidationError, ValueError):
            return False
        return self.model._default_manager.filter(**{field.attname: value}).exists()


class OwnProvinceAdmin(ProvinceScopedAdmin):
    """For what belongs to a province directly (agencies, accounts): a staff account lists and
    opens its province's, and may choose only its province in a form. `province_path`: the
    lookup from the model to its province."""

    province_path = "province"

    def get_queryset(self, request):
        queryset = super(ProvinceScopedAdmin, self).get_queryset(request)
        if permissions.is_superuser(request.user):
            return queryset
        province = permissions.user_province(request.user)
        return queryset.filter(**{self.province_path: province}) if province else queryset.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "province" and field is not None and not permissions.is_superuser(request.user):
            province = permissions.user_province(request.user)
            field.queryset = field.queryset.filter(pk=province.pk) if province else field.queryset.none()
        return field


# --- accounts named on pages of staff accounts that may not open them ---------------------------


def may_open_accounts(admin_site, request) -> bool:
    """Whether the user may open the admin's account pages (the superuser; not Sở Nội vụ's staff,
    whose rights are on the assessments)."""
    try:
        accounts = admin_site.get_model_admin(get_user_model())
    except NotRegistered:
        return False
    return accounts.has_view_or_change_permission(request)


def account_as_text(model, field_name: str):
    """A read-only column naming the account in `field_name` as text. Django links a read-only
    foreign key to the account's admin page without asking whether the user may open it: a
    staff account of Sở Nội vụ would follow the link to a 403."""

    @admin.display(description=model._meta.get_field(field_name).verbose_name)
    def show(self, obj):
        account = getattr(obj, field_name)
        return (account.get_full_name() or account.username) if account is not None else "—"

    show.__name__ = f"{field_name}_name"
    return show


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, whose history page links the person behind each change to
    their account page for everyone: only for a user who may open it (a URL name that does not
    reverse leaves the name as text, the template's own fallback)."""

    def history_view(self, request, object_id, extra_context=None):
        if not may_open_accounts(self.admin_site, request):
            extra_context = {**(extra_context or {}), "admin_user_view": "no-account-page"}
        return super().history_view(request, object_id, extra_context=extra_context)
