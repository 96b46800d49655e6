from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin_scope import ProvinceScopedAdmin

from .models import RenderedReport, ReportNarrative


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(ProvinceScopedAdmin, SimpleHistoryAdmin):
    list_display = ["assessment", "document_number", "issue_date", "signer_name", "updated_at", "updated_by"]
    list_select_related = ["assessment__subject", "assessment__framework", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    # Writes go through reports.services.save_narrative (the report's edit page).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RenderedReport)
class RenderedReportAdmin(ProvinceScopedAdmin, admin.ModelAdmin):
    list_display = ["assessment", "format", "rendered_at", "render_seconds", "fingerprint"]
    list_select_related = ["assessment__subject", "assessment__framework"]
    exclude = ["content"]
    readonly_fields = ["assessment", "format", "fingerprint", "rendered_at", "render_seconds"]

    def has_add_permission(self, request):
        return False
