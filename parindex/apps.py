"""App configurations that only name third-party apps in Vietnamese for the admin (wiring, no
logic). What these apps mark for translation is translated in locale/vi/LC_MESSAGES; what they
write in English without marking it is replaced here."""

from axes.apps import AppConfig as BaseAxesConfig
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django_tasks_db.apps import TasksAppConfig

BOOLEAN_ICON = {True: "yes", False: "no", None: "unknown"}
BOOLEAN_ALT = {True: "Có", False: "Không", None: "Không rõ"}


def _boolean_icon(field_val):
    """Django's yes/no/unknown icon of the admin's lists and read-only fields, its alt text in
    Vietnamese (Django writes str(value): "True", "False", "None")."""
    icon_url = static(f"admin/img/icon-{BOOLEAN_ICON[field_val]}.svg")
    return format_html('<img src="{}" alt="{}">', icon_url, BOOLEAN_ALT[field_val])


class AdminConfig(BaseAdminConfig):
    """The admin, its boolean icons described in Vietnamese. Every caller imports
    `admin_list._boolean_icon` when it runs (django.contrib.admin.utils, helpers) or calls it
    from that module (the change lists), so replacing it there covers them all."""

    def ready(self):
        from django.contrib.admin.templatetags import admin_list

        admin_list._boolean_icon = _boolean_icon
        super().ready()


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M:%S %d/%m/%Y}" if moment else "—"


class AxesConfig(BaseAxesConfig):
    """django-axes (login throttling), titled in Vietnamese in the admin's index, its records
    named in Vietnamese in the admin's titles and breadcrumbs (django-axes writes "Access Log
    for … @ …", "Attempted Access: …" and "Failed access: user …")."""

    verbose_name = "Chống dò mật khẩu (khóa đăng nhập)"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessLog.__str__ = lambda log: f"Lượt đăng nhập của {log.username} lúc {_local(log.attempt_time)}"
        AccessAttempt.__str__ = lambda attempt: (
            f"Đăng nhập sai của {attempt.username} lúc {_local(attempt.attempt_time)}"
        )
        AccessFailureLog.__str__ = lambda failure: (
            f"Đăng nhập thất bại của {failure.username} lúc {_local(failure.attempt_time)} "
            f"từ {failure.ip_address}" + (" (bị khóa)" if failure.locked_out else "")
        )


class TasksConfig(TasksAppConfig):
    """django-tasks' database backend (the report files and charts made in the background),
    titled in Vietnamese in the admin's index, a task named so in the admin's titles
    ("DBTaskResult object (…)" otherwise)."""

    verbose_name = "Tác vụ nền (tệp và biểu đồ báo cáo)"

    def ready(self):
        super().ready()
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.__str__ = lambda task: f"Tác vụ nền {task.id}"
