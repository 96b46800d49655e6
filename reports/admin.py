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
    list_display = [
        "assessment",
        "format",
        "data_as_of",
        "rendered_at",
        "render_seconds",
        "state",
        "attempts",
    ]
    list_select_related = ["assessment__subject", "assessment__framework"]
    readonly_fields = [field.name for field in RenderedReport._meta.fields]

    def has_add_permission(self, request):
        return False
