"""Several application servers share only PostgreSQL and the object store: files go to the
bucket named by S3_BUCKET, and sessions, login throttling and the task queue are database rows."""

import json

from .conftest import manage, production_env

PROBE = """
import json
from django.conf import settings
from django.core.files.storage import storages
print(json.dumps({
    "default": type(storages["default"]).__module__ + "." + type(storages["default"]).__name__,
    "reports": type(storages["reports"]).__module__ + "." + type(storages["reports"]).__name__,
    "bucket": storages["reports"].bucket_name if hasattr(storages["reports"], "bucket_name") else None,
    "endpoint": settings.STORAGES["default"].get("OPTIONS", {}).get("endpoint_url"),
    "locations": [settings.STORAGES[a].get("OPTIONS", {}).get("location") for a in ("default", "reports")],
    "sessions": settings.SESSION_ENGINE,
    "axes": settings.AXES_HANDLER,
    "tasks": settings.TASKS["default"]["BACKEND"],
}, default=str))
"""


def probe(**overrides):
    result = manage("shell", "-c", PROBE, env=production_env(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_a_bucket_files_go_to_the_object_store_and_state_to_the_database():
    values = probe(S3_BUCKET="parindex-tinh", S3_ENDPOINT_URL="https://s3.example.gov.vn")
    assert values["default"] == values["reports"] == "storages.backends.s3.S3Storage"
    assert values["bucket"] == "parindex-tinh"
    assert values["endpoint"] == "https://s3.example.gov.vn"
    assert values["locations"] == ["media", "reports"]
    assert values["sessions"] == "django.contrib.sessions.backends.db"
    assert values["axes"] == "axes.handlers.database.AxesDatabaseHandler"
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"


def test_without_a_bucket_files_stay_on_the_local_disk():
    values = probe(PARINDEX_CACHE_DIR="/srv/parindex/cache")
    assert values["default"] == values["reports"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert values["locations"] == [None, "/srv/parindex/cache/reports"]
