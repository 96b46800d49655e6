from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from assessments.admin_scope import HistoryAdmin, ProvinceScopedAdmin, account_as_text

from .models import RenderedReport, ReportNarrative


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(ProvinceScopedAdmin, HistoryAdmin):
    list_display = ["assessment", "document_number", "issue_date", "signer_name", "updated_at", "updated_by"]
    list_select_related = ["assessment__subject", "assessment__framework", "updated_by"]
    exclude = ["updated_by"]
    readonly_fields = ["updated_at", "updated_by_name"]
    updated_by_name = account_as_text(ReportNarrative, "updated_by")

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


# The background tasks by their path, and the name django-tasks gives its queue and backend.
TASK_NAMES = {
    "reports.tasks.render_report_file": "Tạo tệp báo cáo",
    "reports.drawings.draw_report_chart": "Vẽ biểu đồ của trang báo cáo",
}
DEFAULT_NAMES = {"default": "mặc định"}


class TaskResultAdmin(DBTaskResultAdmin):
    """The background tasks (the report files being made): django-tasks' admin, in Vietnamese
    where it writes English without marking it for translation (the id, the task's name, its
    arguments, the queue's and backend's names, two computed fields)."""

    shown_as = {
        "id": "task_id",
        "task_path": "task_label",
        "args_kwargs": "arguments",
        "queue_name": "queue_label",
        "backend_name": "backend_label",
    }
    list_display = (
        "task_id",
        "task_label",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_label",
    )
    # Not by queue (its one queue is django-tasks' "default"); mypy reads django-tasks'
    # three-filter tuple as the attribute's type.
    list_filter = ("status", "priority")  # type: ignore[assignment]

    def get_readonly_fields(self, request, obj=None):
        return [self.shown_as.get(name, name) for name in super().get_readonly_fields(request, obj)]

    @admin.display(description="mã", ordering="id")
    def task_id(self, obj):
        return obj.id

    @admin.display(description="tác vụ", ordering="task_path")
    def task_label(self, obj):
        return TASK_NAMES.get(obj.task_path, obj.task_path)

    @admin.display(description="tham số")
    def arguments(self, obj):
        values = [*obj.args_kwargs.get("args", []), *obj.args_kwargs.get("kwargs", {}).values()]
        return ", ".join(str(value) for value in values) or "—"

    @admin.display(description="hàng đợi", ordering="queue_name")
    def queue_label(self, obj):
        return DEFAULT_NAMES.get(obj.queue_name, obj.queue_name)

    @admin.display(description="bộ xử lý")
    def backend_label(self, obj):
        return DEFAULT_NAMES.get(obj.backend_name, obj.backend_name)

    @admin.display(description="vết lỗi")
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description="chạy sau")
    def display_run_after(self, obj):
        return super().display_run_after(obj)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
