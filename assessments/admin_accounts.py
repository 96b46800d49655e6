"""Admin for users with their role and agency (in Vietnamese), and for the workflow's
models. Imported from AssessmentsConfig.ready() (assessments/admin.py is kept for the
reference models)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from .admin_scope import HistoryAdmin, OwnProvinceAdmin, ProvinceScopedAdmin, account_as_text
from .models import (
    DeadlineExtension,
    Evidence,
    Profile,
    ReminderLog,
    Submission,
    SubmittedAnswer,
    WorkflowEvent,
)

User = get_user_model()

# Django names the permissions it makes for each model in English ("Can add session"), in the
# database; the account and group forms show them by action and model, in Vietnamese.
PERMISSION_ACTIONS = {"add": "Thêm", "change": "Sửa", "delete": "Xóa", "view": "Xem"}


def permission_label(permission) -> str:
    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action not in PERMISSION_ACTIONS or model is None or model._meta.model_name != model_name:
        return str(permission)
    return f"{model._meta.app_config.verbose_name} | {PERMISSION_ACTIONS[action]} {model._meta.verbose_name}"


class VietnamesePermissionsMixin:
    """The permissions of an account or a group, listed in Vietnamese (permission_label)."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if field is not None and db_field.name in self.permission_fields:
            field.label_from_instance = permission_label
        return field


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    max_num = 1
    verbose_name = "vai trò, tỉnh và cơ quan"
    verbose_name_plural = "vai trò, tỉnh và cơ quan"
    fields = ["role", "province", "agency"]
    autocomplete_fields = ["province", "agency"]


class ParIndexUserAdmin(VietnamesePermissionsMixin, UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "full_name", "email", "role", "province", "agency", "is_active", "is_staff"]
    list_filter = [
        "parindex_profile__role",
        "parindex_profile__province",
        "parindex_profile__agency",
        "is_active",
        "is_staff",
    ]
    list_select_related = ["parindex_profile", "parindex_profile__province", "parindex_profile__agency"]
    search_fields = ["username", "first_name", "last_name", "email"]

    @admin.display(description="họ và tên")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description="vai trò")
    def role(self, obj):
        profile = getattr(obj, "parindex_profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description="tỉnh")
    def province(self, obj):
        profile = getattr(obj, "parindex_profile", None)
        return profile.province if profile and profile.province else "—"

    @admin.display(description="cơ quan")
    def agency(self, obj):
        profile = getattr(obj, "parindex_profile", None)
        return profile.agency if profile and profile.agency else "—"


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, ParIndexUserAdmin)


class ParIndexGroupAdmin(VietnamesePermissionsMixin, GroupAdmin):
    pass


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, ParIndexGroupAdmin)

if not admin.site.is_registered(Profile):

    @admin.register(Profile)
    class ProfileAdmin(OwnProvinceAdmin, admin.ModelAdmin):
        list_display = ["user", "role", "province", "agency"]
        list_filter = ["role", "province", "agency"]
        search_fields = ["user__username", "user__first_name", "user__last_name"]
        autocomplete_fields = ["user", "province", "agency"]


class SubmittedAnswerInline(admin.TabularInline):
    model = SubmittedAnswer
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "submitted_at",
        "criterion_code",
        "max_score",
        "applicable",
        "self_score",
        "explanation",
        "response",
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ProvinceScopedAdmin, HistoryAdmin):
    list_display = ["assessment", "agency", "stage", "status", "submitted_at", "returned_at"]
    list_filter = ["stage", "status", "assessment"]
    search_fields = ["agency__name"]
    exclude = ["submitted_by", "returned_by"]
    readonly_fields = ["submitted_at", "submitted_by_name", "returned_at", "returned_by_name", "updated_at"]
    submitted_by_name = account_as_text(Submission, "submitted_by")
    returned_by_name = account_as_text(Submission, "returned_by")
    inlines = [SubmittedAnswerInline]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ProvinceScopedAdmin, admin.ModelAdmin):
    list_display = [
        "assessment",
        "stage",
        "agency",
        "criterion",
        "until",
        "reason",
        "created_by",
        "created_at",
    ]
    list_filter = ["stage", "assessment"]
    exclude = ["created_by"]
    readonly_fields = ["created_at", "created_by_name"]
    raw_id_fields = ["criterion"]
    created_by_name = account_as_text(DeadlineExtension, "created_by")


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ProvinceScopedAdmin, admin.ModelAdmin):
    list_display = ["created_at", "assessment", "action", "agency", "criterion", "user", "reason"]
    list_filter = ["action", "assessment"]
    search_fields = ["reason", "detail", "agency__name"]
    exclude = ["user"]
    readonly_fields = ["user_name"]
    user_name = account_as_text(WorkflowEvent, "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(ProvinceScopedAdmin, admin.ModelAdmin):
    list_display = [
        "original_name",
        "assessment",
        "criterion",
        "agency",
        "kind",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["kind", "assessment"]
    search_fields = ["original_name", "criterion__code"]
    readonly_fields = [
        "file",
        "sha256",
        "size",
        "content_type",
        "extension",
        "kind",
        "uploaded_at",
        "uploaded_by_name",
    ]
    exclude = ["uploaded_by"]
    raw_id_fields = ["criterion"]
    uploaded_by_name = account_as_text(Evidence, "uploaded_by")


@admin.register(ReminderLog)
class ReminderLogAdmin(ProvinceScopedAdmin, admin.ModelAdmin):
    list_display = ["sent_at", "assessment", "agency", "stage", "deadline", "days_before", "recipients"]
    list_filter = ["stage", "days_before", "assessment"]

    def has_add_permission(self, request):
        return False
