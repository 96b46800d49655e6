"""Reading through the API: assessments with phase and computed figures (indices, parts,
grades, ranks in their block), published results, trends; paginated, numbers as strings,
a bounded number of queries; filters checked; errors and rate limits in Vietnamese."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.settings import api_settings

from assessments.models import GradeBand, Score

pytestmark = pytest.mark.django_db


def appraise(assessment, criteria, values):
    for code, value in values.items():
        Score.objects.create(assessment=assessment, criterion=criteria[code], appraised_score=Decimal(value))


def test_assessment_figures_come_from_scoring_as_strings(world, clients):
    appraise(world["assessment"], world["criteria"], {"1.1": "1", "1.2": "1.5", "1.3": "0.5", "2.1": "3"})
    appraise(world["other_assessment"], world["criteria"], {"1.1": "1", "1.2": "2", "1.3": "1", "2.1": "3"})
    GradeBand.objects.create(framework=world["framework"], label="Tốt", min_index=Decimal(90))
    GradeBand.objects.create(framework=world["framework"], label="Khá", min_index=Decimal(80))
    data = clients["viewer"].get(f"/api/v1/assessments/{world['assessment'].pk}/").json()
    results = data["results"]
    assert data["phase"] == "self_assessment" and data["phase_label"] == "Tự đánh giá"
    assert results["appraised"] == "6.0000" and results["max"] == "7.0000"
    assert results["index"] == "85.7143"  # 6/7 × 100, 4 places, half to even
    assert results["grade"] == "Khá"
    assert (results["rank"], results["ranked_count"]) == (2, 2)  # Tỉnh Khác scored 100
    assert results["parts"]["leader_survey"] == {"score": "0.5000", "max": "1.0000", "index": "50.0000"}
    field_one = results["fields"][0]
    assert field_one["code"] == "1" and field_one["index"] == "75.0000" and field_one["rank"] == 2


def test_published_results_and_trends(world, clients):
    rows = clients["viewer"].get("/api/v1/published-results/?year=2030").json()["results"]
    assert [(r["index"], r["rank"], r["ranked_count"]) for r in rows] == [("87.5000", 12, 34)]
    trend = clients["viewer"].get(f"/api/v1/subjects/{world['province'].pk}/trends/").json()
    assert trend["years"][0]["year"] == 2030 and trend["years"][0]["source"] == "published"
    assert trend["years"][0]["total"]["ranked_count"] == 34


def test_lists_are_paginated(world, clients):
    first = clients["viewer"].get(f"/api/v1/frameworks/{world['framework'].pk}/criteria/?page_size=4").json()
    assert first["count"] == 6 and len(first["results"]) == 4 and first["next"]
    second = clients["viewer"].get(first["next"].replace("http://testserver", "")).json()
    assert len(second["results"]) == 2


@pytest.mark.parametrize(
    "query", ["?page_size=0", "?page_size=abc", "?page=-1", "?page_size=201", "?page_size=2&page_size=3"]
)
def test_bad_pagination_gets_a_vietnamese_400(world, clients, query):
    response = clients["viewer"].get(f"/api/v1/assessments/{query}")
    assert response.status_code == 400
    assert "số nguyên dương" in response.json()["detail"] or "tối đa" in response.json()["detail"]


@pytest.mark.parametrize("query", ["?year=abc", "?subject=0", "?phase=khong-co"])
def test_bad_filter_gets_a_vietnamese_400(world, clients, query):
    response = clients["viewer"].get(f"/api/v1/assessments/{query}")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "Dữ liệu không hợp lệ" in detail and query[1:].split("=")[0] in detail


def test_list_queries_do_not_grow_with_assessments(world, clients, django_assert_max_num_queries):
    client = clients["viewer"]
    with django_assert_max_num_queries(30) as few:
        client.get("/api/v1/assessments/")
    from assessments.models import Assessment, Framework, Subject, SubjectKind

    for year in range(2020, 2026):
        framework = Framework.objects.create(year=year, name=f"Bộ {year}")
        unit = Subject.objects.create(
            kind=SubjectKind.DEPARTMENT, name=f"Sở {year}", parent=world["province"]
        )
        Assessment.objects.create(subject=unit, framework=framework, phase="published")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/assessments/")
    assert response.json()["count"] == 7


def test_errors_are_vietnamese(world, clients):
    assert "Không tìm thấy" in clients["viewer"].get("/api/v1/assessments/987654/").json()["detail"]
    response = clients["viewer"].delete(f"/api/v1/assessments/{world['assessment'].pk}/")
    assert response.status_code == 405 and "Phương thức" in response.json()["detail"]
    cid = world["criteria"]["1.1"].pk
    response = clients["editor"].patch(
        f"/api/v1/assessments/{world['assessment'].pk}/scores/{cid}/", "version=0", content_type="text/plain"
    )
    assert response.status_code == 415 and "application/json" in response.json()["detail"]
    response = Client(HTTP_AUTHORIZATION="Token").get("/api/v1/years/")
    assert response.status_code == 401 and "Authorization" in response.json()["detail"]


def test_rate_limit_per_account(world, clients, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "account", "3/minute")
    for _ in range(3):
        assert clients["viewer"].get("/api/v1/years/").status_code == 200
    response = clients["viewer"].get("/api/v1/years/")
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.json()["detail"]
    assert clients["appraiser"].get("/api/v1/years/").status_code == 200  # each account its own


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["editor"])
    cid = world["criteria"]["1.1"].pk
    url = f"/api/v1/assessments/{world['assessment'].pk}/scores/{cid}/"
    assert client.get(url).status_code == 200
    response = client.patch(
        url, json.dumps({"version": 0, "self_score": "1"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/subjects/abc/trends/",
        "/api/v1/assessments/abc/",
        "/api/v1/assessments/99999999999/",
        "/api/v1/assessments/1/scores/99999999999/",
        "/api/v1/frameworks/x/criteria/",
    ],
)
def test_ids_that_are_not_ids_are_not_found(world, clients, url):
    response = clients["viewer"].get(url)
    assert response.status_code == 404
