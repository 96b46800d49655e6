"""Admin for users with their role and agency (in Vietnamese), and for the workflow's
models. Imported from AssessmentsConfig.ready() (assessments/admin.py is kept for the
reference models)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .admin_scope import OwnProvinceAdmin, ProvinceScopedAdmin
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


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    max_num = 1
    verbose_name = "vai trò, tỉnh và cơ quan"
    verbose_name_plural = "vai trò, tỉnh và cơ quan"
    fields = ["role", "province", "agency"]
    autocomplete_fields = ["province", "agency"]


class ParIndexUserAdmin(UserAdmin):
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
class SubmissionAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    list_display = ["assessment", "agency", "stage", "status", "submitted_at", "returned_at"]
    list_filter = ["stage", "status", "assessment"]
    search_fields = ["agency__name"]
    readonly_fields = ["submitted_at", "submitted_by", "returned_at", "returned_by", "updated_at"]
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
    readonly_fields = ["created_at", "created_by"]
    raw_id_fields = ["criterion"]


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ProvinceScopedAdmin, admin.ModelAdmin):
    list_display = ["created_at", "assessment", "action", "agency", "criterion", "user", "reason"]
    list_filter = ["action", "assessment"]
    search_fields = ["reason", "detail", "agency__name"]

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
        "uploaded_by",
    ]
    raw_id_fields = ["criterion"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ProvinceScopedAdmin, admin.ModelAdmin):
    list_display = ["sent_at", "assessment", "agency", "stage", "deadline", "days_before", "recipients"]
    list_filter = ["stage", "days_before", "assessment"]

    def has_add_permission(self, request):
        return False
