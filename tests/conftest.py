import pytest
from django.core.management import call_command


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
    """Nothing extra: each test loads what it needs. Kept as a hook for shared setup."""
    yield


def run_command(*args, **kwargs):
    call_command(*args, **kwargs)
