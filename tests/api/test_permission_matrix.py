"""Each role against each API action, with a token: 404 outside the account's scope (another
agency's criteria, another province), 403 when read-only, 401 without a token; a refused
write changes nothing. Where the same action exists as a page, the API answers as the page does."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Score

from .conftest import ROLES, token_client

pytestmark = pytest.mark.django_db

# action -> status per role (anonymous: 401 everywhere).
MATRIX = {
    "list_assessments": dict.fromkeys(ROLES, 200),
    "view_assessment": {**dict.fromkeys(ROLES, 200), "other_province": 404},
    "view_score": {
        "process_owner": 200,
        "editor": 200,
        "other_editor": 404,
        "appraiser": 200,
        "viewer": 200,
        "other_province": 404,
    },
    "save_self_score": {
        "process_owner": 200,
        "editor": 200,
        "other_editor": 404,
        "appraiser": 403,
        "viewer": 403,
        "other_province": 404,
    },
    "view_subject": {**dict.fromkeys(ROLES, 200), "other_province": 404},
    "trends": {
        "process_owner": 200,
        "editor": 404,
        "other_editor": 404,
        "appraiser": 200,
        "viewer": 200,
        "other_province": 404,
    },
    "view_published": {**dict.fromkeys(ROLES, 200), "other_province": 404},
    "view_framework": dict.fromkeys(ROLES, 200),
}

# The same action on the pages: page status -> API status.
PAGE_TO_API = {200: 200, 302: 200, 403: 403, 404: 404}


def _perform(client, action, world):
    assessment = world["assessment"]
    leaf = world["criteria"]["1.1"]
    base = f"/api/v1/assessments/{assessment.pk}"
    if action == "list_assessments":
        return client.get("/api/v1/assessments/")
    if action == "view_assessment":
        return client.get(f"{base}/")
    if action == "view_score":
        return client.get(f"{base}/scores/{leaf.pk}/")
    if action == "save_self_score":
        body = {"version": 0, "self_score": "0,5", "explanation": "Có báo cáo"}
        return client.patch(f"{base}/scores/{leaf.pk}/", json.dumps(body), content_type="application/json")
    if action == "view_subject":
        return client.get(f"/api/v1/subjects/{world['province'].pk}/")
    if action == "trends":
        return client.get(f"/api/v1/subjects/{world['province'].pk}/trends/")
    if action == "view_published":
        published = world["province"].published_results.get()
        return client.get(f"/api/v1/published-results/{published.pk}/")
    if action == "view_framework":
        return client.get(f"/api/v1/frameworks/{world['framework'].pk}/criteria/")
    raise AssertionError(action)


def _page(client, action, world):
    """The page that does the same thing, or None."""
    assessment, stp, cid = world["assessment"], world["stp"], world["criteria"]["1.1"].pk
    if action == "view_score":
        return client.get(reverse("assessments:entry", args=[assessment.pk, stp.pk]))
    if action == "save_self_score":
        data = {f"v_{cid}": "0", f"s_{cid}": "0,5", f"e_{cid}": "Có báo cáo"}
        return client.post(reverse("assessments:entry", args=[assessment.pk, stp.pk]), data)
    if action == "trends":
        return client.get(reverse("reports:trends", args=[world["province"].pk]))
    return None


def _saved(world):
    score = Score.objects.filter(assessment=world["assessment"], criterion=world["criteria"]["1.1"]).first()
    return score is not None and score.self_score == Decimal("0.5")


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(world, clients, role, action):
    response = _perform(clients[role], action, world)
    expected = MATRIX[action][role]
    assert response.status_code == expected, (role, action, response.content[:300])
    if action == "save_self_score":
        assert _saved(world) is (expected == 200)
    if expected in (403, 404):
        assert response.json()["detail"]
        assert any(ord(char) > 127 for char in response.json()["detail"])  # Vietnamese


@pytest.mark.parametrize("action", list(MATRIX))
def test_anonymous_gets_401_and_changes_nothing(world, action):
    response = _perform(Client(), action, world)
    assert response.status_code == 401
    assert "Chưa xác thực" in response.json()["detail"]
    assert not _saved(world)


@pytest.mark.parametrize("action", ["view_score", "save_self_score", "trends"])
@pytest.mark.parametrize("role", ROLES)
def test_api_answers_as_the_page_does(world, role, action):
    """Every role, the other province's included (the pages refuse it with a 404 as the API does)."""
    page_client = Client()
    page_client.force_login(world["users"][role])
    page = _page(page_client, action, world)
    Score.objects.all().delete()
    api = _perform(token_client(world["users"][role]), action, world)
    assert api.status_code == PAGE_TO_API[page.status_code], (role, action, page.status_code, api.status_code)
    assert api.status_code == MATRIX[action][role]


def test_other_province_sees_none_of_this_province_in_lists(world, clients):
    own = {a["id"] for a in clients["other_province"].get("/api/v1/assessments/").json()["results"]}
    assert own == {world["other_assessment"].pk}
    subjects = {s["id"] for s in clients["other_province"].get("/api/v1/subjects/").json()["results"]}
    assert subjects == {world["other_province"].pk}
    published = clients["other_province"].get("/api/v1/published-results/").json()["results"]
    assert {p["subject"] for p in published} == {world["other_province"].pk}


def test_no_write_across_provinces(world, clients):
    other = world["other_assessment"]
    leaf = world["criteria"]["1.1"]
    body = json.dumps({"version": 0, "self_score": "1"})
    response = clients["process_owner"].patch(
        f"/api/v1/assessments/{other.pk}/scores/{leaf.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Score.objects.filter(assessment=other).exists()


def test_editor_sees_only_its_criteria_and_no_results(world, clients):
    base = f"/api/v1/assessments/{world['assessment'].pk}"
    codes = {row["code"] for row in clients["editor"].get(f"{base}/scores/").json()["results"]}
    assert codes == {"1.1", "1.2", "1.3"}  # Sở Tư pháp answers for field 1 (1.3 read-only: a survey)
    assert clients["editor"].get(f"{base}/").json()["results"] is None
    assert clients["viewer"].get(f"{base}/").json()["results"]["max"] == "7.0000"


def test_editor_never_sees_an_assessment_in_preparation(world, clients):
    world["assessment"].phase = "preparation"
    world["assessment"].save()
    assert clients["editor"].get(f"/api/v1/assessments/{world['assessment'].pk}/").status_code == 404
    assert clients["viewer"].get(f"/api/v1/assessments/{world['assessment'].pk}/").status_code == 200


def test_editor_reads_its_own_criteria_of_a_published_assessment_and_no_results(world, clients):
    """As on its entry page (docs/permissions.md, "A department's results after the lock"):
    after publication an editor still reads its own part, never the province's results."""
    world["assessment"].phase = "published"
    world["assessment"].save()
    base = f"/api/v1/assessments/{world['assessment'].pk}"
    assert clients["editor"].get(f"{base}/").json()["results"] is None
    codes = {row["code"] for row in clients["editor"].get(f"{base}/scores/").json()["results"]}
    assert codes == {"1.1", "1.2", "1.3"}
