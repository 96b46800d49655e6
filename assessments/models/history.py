"""Where a change came from, on every historical record (django-simple-history)."""

from typing import Any

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ChangeSource(models.TextChoices):
    FORM = "form", "Trang nhập liệu"
    IMPORT = "import", "Nhập từ tệp"
    ADMIN = "admin", "Trang quản trị"
    SYSTEM = "system", "Hệ thống"
    API = "api", "API"


class HistorySource(models.Model):
    """Extra column on every historical record: where the change came from."""

    change_source = models.CharField(
        "nguồn thay đổi", max_length=10, choices=ChangeSource.choices, default=ChangeSource.SYSTEM
    )

    class Meta:
        abstract = True


class SourcedHistory(HistoricalRecords):
    """django-simple-history's records with the change_source column (HistorySource), whose
    values the database checks like every other choice field."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(bases=[HistorySource], **kwargs)

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        options = super().get_meta_options(model)
        options["constraints"] = [
            models.CheckConstraint(
                condition=Q(change_source__in=ChangeSource.values),
                name=f"historical{model._meta.model_name}_source_valid",
            )
        ]
        return options
