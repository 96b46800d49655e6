"""Schemathesis against the checked-in schema (docs/api/openapi.yaml), through the WSGI app (no
network), for each role: no 500, responses as the schema says, and invalid input refused with
a 4xx whose 400s speak Vietnamese. Bounded: a few examples per operation and mode."""

from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from parindex.wsgi import application

from .conftest import ROLES, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SCHEMA = schemathesis.openapi.from_path(Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml")
SCHEMA.app = application
EXAMPLES = 4
MISSING = 987654


def vietnamese_bad_request(ctx, response, case):
    """A 400 says what is wrong, in Vietnamese."""
    if response.status_code == 400:
        detail = response.json()["detail"]
        assert any(ord(char) > 127 for char in detail), detail
    return True


POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [
    not_a_server_error,
    negative_data_rejection,
    response_schema_conformance,
    vietnamese_bad_request,
]


def path_choices(operation, world) -> dict:
    path = operation.path
    ids = {
        "assessment_pk": [world["assessment"].pk, world["other_assessment"].pk, MISSING],
        "criterion": [world["criteria"]["1.1"].pk, world["criteria"]["2.1"].pk, MISSING],
    }
    if path.startswith("/api/v1/subjects/"):
        ids["id"] = [world["province"].pk, world["other_province"].pk, MISSING]
    elif path.startswith("/api/v1/frameworks/"):
        ids["id"] = [world["framework"].pk, MISSING]
    elif path.startswith("/api/v1/assessments/"):
        ids["id"] = [world["assessment"].pk, world["other_assessment"].pk, MISSING]
    elif path.startswith("/api/v1/published-results/"):
        ids["id"] = [p.pk for p in world["province"].published_results.all()] + [MISSING]
    return {name: ids[name] for name in (p.name for p in operation.path_parameters)}


def operations():
    return [result.ok() for result in SCHEMA.get_all_operations()]


def has_input(operation) -> bool:
    """Whether invalid input can be made (its path parameters are fixed to real ids)."""
    return bool(list(operation.query)) or bool(list(operation.body))


def run_operation(operation, mode, checks, choices, headers):
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data):
        fixed = {name: data.draw(st.sampled_from(values)) for name, values in choices.items()}
        case = data.draw(operation.as_strategy(generation_mode=mode, path_parameters=fixed))
        case.call_and_validate(headers=headers, checks=checks)

    check()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's WSGI handler closes the database connection after each request (the
    request_started/request_finished signals); the test client disconnects that, and so
    must a test that calls the WSGI app itself: on PostgreSQL the test's connection, holding
    its transaction, would be closed under it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_for_every_role(world, role):
    secret_client = token_client(world["users"][role])
    headers = {"Authorization": secret_client.defaults["HTTP_AUTHORIZATION"]}
    ran = negative = 0
    for operation in operations():
        choices = path_choices(operation, world)
        run_operation(operation, schemathesis.GenerationMode.POSITIVE, POSITIVE_CHECKS, choices, headers)
        if has_input(operation):
            run_operation(operation, schemathesis.GenerationMode.NEGATIVE, NEGATIVE_CHECKS, choices, headers)
            negative += 1
        ran += 1
    assert negative >= 8
    assert ran >= 12
