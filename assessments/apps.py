from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Chỉ số cải cách hành chính"

    def ready(self):
        from . import signals  # noqa: F401
