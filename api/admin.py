"""API tokens in the admin: listed, never shown (only their hash is stored), revoked by action."""

from django.contrib import admin, messages

from .models import ApiToken
from .tokens import revoke_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "created_by", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "created_by", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are created by their owner's page or `create_api_token`

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Thu hồi các mã truy cập đã chọn")
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_token(actor=request.user, token=token)
        messages.success(request, f"Đã thu hồi {queryset.count()} mã truy cập.")
