import socket
import uuid

import pytest
from django.conf import settings
from django.test.utils import override_settings

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session", autouse=True)
def tasks_run_immediately_and_files_stay_in_tmp(tmp_path_factory):
    """Tests run background tasks at once, in the test's transaction (production queues them
    in the database for `manage.py db_worker`), keep rendered reports in a temporary folder,
    and hash passwords with MD5: Argon2, the production hasher, is slow on purpose (about 0,3 s
    a login) and the suite logs in hundreds of times. Subprocesses (the production tests'
    manage.py) keep the real settings."""
    storages = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("reports")},
        },
    }
    with override_settings(
        TASKS=IMMEDIATE_TASKS,
        STORAGES=storages,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


@pytest.fixture
def reference_data(db):
    """The shipped reference data: provinces, 2023 framework, Bình Phước 2023."""
    from assessments.reference_data import load_reference_data

    return load_reference_data()


@pytest.fixture
def sample_assessment(reference_data):
    from assessments.models import Assessment

    return Assessment.objects.select_related("subject", "framework").get(
        subject__code="70", framework__year=2023
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Each test loads what it needs. At the end, on PostgreSQL, close what other threads
    left open on the test database (the browser tests' live server keeps an idle connection
    in its own thread), so that it can be dropped."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, in this process, on a free loopback port (no internet). moto is in
    requirements.txt, so CI runs these tests; they are skipped only where it is missing."""
    moto_server = pytest.importorskip("moto.server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def object_store(s3_server, settings, monkeypatch):
    """Evidence and rendered reports in a fresh bucket of the S3 server, as STORAGES reads
    them with S3_BUCKET set. Returns (bucket, boto3 client)."""
    import boto3

    from parindex.settings import s3_storage

    for name, value in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ]:
        monkeypatch.setenv(name, value)
    bucket = f"parindex-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage("media", bucket, s3_server),
        "reports": s3_storage("reports", bucket, s3_server),
    }
    return bucket, client
