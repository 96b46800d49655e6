"""A department's self-assessment through the API: the entry page's service (save_part), its
checks, optimistic versions and history (source "api"); a stale version gets 409 with the newer
value and writes nothing; bad input gets a Vietnamese 400 naming the place, and writes nothing."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Assessment, ChangeSource, Score, WorkflowEvent
from assessments.services import RowInput, save_part

pytestmark = pytest.mark.django_db


def patch(client, world, code, body):
    cid = world["criteria"][code].pk
    url = f"/api/v1/assessments/{world['assessment'].pk}/scores/{cid}/"
    return client.patch(url, json.dumps(body), content_type="application/json")


def score_of(world, code):
    return Score.objects.filter(assessment=world["assessment"], criterion=world["criteria"][code]).first()


def test_editor_saves_score_and_remark_with_history_from_the_api(world, clients):
    response = patch(
        clients["editor"], world, "1.1", {"version": 0, "self_score": "0,75", "explanation": "Đạt 3/4"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["self_score"] == "0.7500" or body["self_score"] == "0.75"
    assert body["version"] == 1 and body["explanation"] == "Đạt 3/4"
    score = score_of(world, "1.1")
    assert score.self_score == Decimal("0.75") and score.updated_by == world["users"]["editor"]
    record = score.history.latest("history_date")
    assert record.change_source == ChangeSource.API
    assert record.history_user == world["users"]["editor"]


def test_numbers_are_decimal_point_strings(world, clients):
    patch(clients["editor"], world, "1.2", {"version": 0, "self_score": "1.5"})
    row = clients["viewer"].get(f"/api/v1/assessments/{world['assessment'].pk}/scores/").json()["results"]
    by_code = {r["code"]: r for r in row}
    assert by_code["1.2"]["self_score"] == "1.5000"
    assert by_code["1.2"]["max_score"] == "2.0000"
    assert by_code["1.1"]["self_score"] is None and by_code["1.1"]["version"] == 0


def test_stale_version_gets_409_with_the_newer_value_and_writes_nothing(world, clients):
    editor = world["users"]["editor"]
    save_part(
        user=editor,
        assessment=world["assessment"],
        agency=world["stp"],
        rows={world["criteria"]["1.1"].pk: RowInput(0, {"self_score": Decimal("1")})},
    )
    response = patch(clients["process_owner"], world, "1.1", {"version": 0, "self_score": "0.25"})
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["self_score"] == "1.0000" and body["current"]["version"] == 1
    assert "1.1" in body["detail"] and "chưa lưu gì" in body["detail"]
    assert score_of(world, "1.1").self_score == Decimal("1")
    retry = patch(clients["process_owner"], world, "1.1", {"version": 1, "self_score": "0.25"})
    assert retry.status_code == 200 and retry.json()["version"] == 2


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"version": 0, "self_score": "5"}, ["1.1", "lớn hơn điểm tối đa"]),
        ({"version": 0, "self_score": "abc"}, ["self_score", "không phải là điểm hợp lệ"]),
        ({"version": 0, "self_score": "-1"}, ["self_score"]),
        ({"version": 0, "self_score": "0.12345"}, ["self_score"]),
        ({"self_score": "1"}, ["version", "bắt buộc"]),
        ({"version": 0}, ["Không có gì để lưu"]),
        ({"version": 0, "response": "Giải trình"}, ["1.1", "không được sửa response"]),
    ],
)
def test_bad_input_gets_a_vietnamese_400_and_changes_nothing(world, clients, body, words):
    response = patch(clients["editor"], world, "1.1", body)
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, detail
    assert score_of(world, "1.1") is None


def test_malformed_json_gets_a_vietnamese_400(world, clients):
    cid = world["criteria"]["1.1"].pk
    url = f"/api/v1/assessments/{world['assessment'].pk}/scores/{cid}/"
    response = clients["editor"].patch(url, "{không phải json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_survey_criterion_is_read_only(world, clients):
    response = patch(clients["editor"], world, "1.3", {"version": 0, "self_score": "1"})
    assert response.status_code == 403
    assert "1.3" in response.json()["detail"]
    assert score_of(world, "1.3") is None


def test_after_the_deadline_the_part_is_read_only(world, clients):
    Assessment.objects.filter(pk=world["assessment"].pk).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    response = patch(clients["editor"], world, "1.1", {"version": 0, "self_score": "1"})
    assert response.status_code == 403
    assert "hạn" in response.json()["detail"]
    assert score_of(world, "1.1") is None


def test_process_owner_writes_for_the_responsible_agency(world, clients):
    response = patch(clients["process_owner"], world, "2.1", {"version": 0, "self_score": "2"})
    assert response.status_code == 200
    assert score_of(world, "2.1").self_score == Decimal("2")
    wrong = patch(
        clients["process_owner"], world, "2.1", {"version": 1, "self_score": "1", "agency": world["stp"].pk}
    )
    assert wrong.status_code == 400 and "không tham mưu" in wrong.json()["detail"]


def test_editor_cannot_write_for_another_agency(world, clients):
    response = patch(
        clients["editor"], world, "1.1", {"version": 0, "self_score": "1", "agency": world["vp"].pk}
    )
    assert response.status_code == 400
    assert score_of(world, "1.1") is None
    assert not WorkflowEvent.objects.exists()


def test_a_json_number_is_refused_scores_travel_as_text(world, clients):
    response = patch(clients["editor"], world, "1.1", {"version": 0, "self_score": 0.1})
    assert response.status_code == 400
    assert "dạng chuỗi" in response.json()["detail"] and "self_score" in response.json()["detail"]
    assert score_of(world, "1.1") is None
