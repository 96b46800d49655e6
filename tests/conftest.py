import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Every test hashes with MD5: Argon2, the production hasher, is slow on purpose (about
    0,3 s a login) and the suite logs in hundreds of times. Subprocesses (the production
    tests' manage.py) keep the real settings."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
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
