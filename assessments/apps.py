from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Chỉ số cải cách hành chính"

    def ready(self):
        from . import admin_accounts, signals  # noqa: F401
