"""Declared figures through the API: a score row reads its self and appraised figures and the
reason for an appraised score kept apart from them; a department writes its figures by the
entry page's service (save_part), the score follows them (1.1 is max × a/b), kept in the
history with source "api"; bad figures get a Vietnamese 400 naming the criterion and write
nothing."""

import json
from decimal import Decimal

import pytest

from assessments.models import ChangeSource, Score

pytestmark = pytest.mark.django_db


def url(world, code):
    return f"/api/v1/assessments/{world['assessment'].pk}/scores/{world['criteria'][code].pk}/"


def patch(client, world, code, body):
    return client.patch(url(world, code), json.dumps(body), content_type="application/json")


def score_of(world, code):
    return Score.objects.filter(assessment=world["assessment"], criterion=world["criteria"][code]).first()


def test_a_score_row_reads_its_figures_and_the_override_reason(world, clients):
    Score.objects.create(
        assessment=world["assessment"],
        criterion=world["criteria"]["1.1"],
        self_figures="3/4",
        self_score=Decimal("0.75"),
        appraised_figures="2/4",
        appraised_score=Decimal("0.6"),
        appraised_override_reason="Một văn bản ban hành muộn, tính nửa điểm.",
    )
    row = clients["viewer"].get(url(world, "1.1")).json()
    assert (row["self_figures"], row["self_score"]) == ("3/4", "0.7500")
    assert (row["appraised_figures"], row["appraised_score"]) == ("2/4", "0.6000")
    assert row["appraised_override_reason"] == "Một văn bản ban hành muộn, tính nửa điểm."
    listed = clients["editor"].get(f"/api/v1/assessments/{world['assessment'].pk}/scores/").json()
    by_code = {r["code"]: r for r in listed["results"]}
    assert by_code["1.1"]["self_figures"] == "3/4"
    assert (by_code["1.2"]["self_figures"], by_code["1.2"]["appraised_figures"]) == ("", "")


def test_editor_declares_figures_and_the_score_follows_with_history(world, clients):
    response = patch(clients["editor"], world, "1.1", {"version": 0, "self_figures": "06/08"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["self_figures"], body["self_score"], body["version"]) == ("6/8", "0.7500", 1)
    stored = score_of(world, "1.1")
    assert (stored.self_figures, stored.self_score) == ("6/8", Decimal("0.75"))
    record = stored.history.get(version=1)
    assert (record.self_figures, record.self_score, record.change_source) == (
        "6/8",
        Decimal("0.75"),
        ChangeSource.API,
    )
    # Corrected figures: the score follows; a score sent beside them must be theirs.
    again = patch(
        clients["editor"], world, "1.1", {"version": 1, "self_figures": "7/8", "self_score": "0,875"}
    )
    assert again.status_code == 200 and again.json()["self_score"] == "0.8750"
    # Figures cleared: the score typed stays a typed score.
    cleared = patch(clients["editor"], world, "1.1", {"version": 2, "self_figures": "", "self_score": "0.5"})
    assert cleared.status_code == 200
    assert (cleared.json()["self_figures"], cleared.json()["self_score"]) == ("", "0.5000")


@pytest.mark.parametrize(
    ("code", "body", "words"),
    [
        ("1.1", {"self_figures": "5/4"}, ["1.1", "tử số lớn hơn mẫu số"]),
        ("1.1", {"self_figures": "3/0"}, ["1.1", "mẫu số bằng 0"]),
        ("1.1", {"self_figures": "abc"}, ["1.1", "không phải là số liệu"]),
        (
            "1.1",
            {"self_figures": "3/4", "self_score": "1"},
            ["1.1", "khác điểm tính từ số liệu tự đánh giá 3/4"],
        ),
        ("1.2", {"self_figures": "3/4"}, ["1.2", "nhập điểm trực tiếp"]),
        ("1.1", {"self_figures": "1" * 101}, ["self_figures", "quá dài"]),
    ],
)
def test_bad_figures_get_a_vietnamese_400_naming_the_criterion_and_write_nothing(
    world, clients, code, body, words
):
    response = patch(clients["editor"], world, code, {"version": 0, **body})
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, detail
    assert score_of(world, code) is None


def test_a_score_typed_alone_is_checked_against_the_stored_figures(world, clients):
    patch(clients["editor"], world, "1.1", {"version": 0, "self_figures": "3/4"})
    response = patch(clients["editor"], world, "1.1", {"version": 1, "self_score": "1"})
    assert response.status_code == 400
    assert "1.1" in response.json()["detail"] and "3/4" in response.json()["detail"]
    stored = score_of(world, "1.1")
    assert (stored.self_figures, stored.self_score, stored.version) == ("3/4", Decimal("0.75"), 1)


def test_figures_of_another_agency_or_read_only_role_are_refused(world, clients):
    assert (
        patch(clients["other_editor"], world, "1.1", {"version": 0, "self_figures": "3/4"}).status_code == 404
    )
    assert patch(clients["viewer"], world, "1.1", {"version": 0, "self_figures": "3/4"}).status_code == 403
    assert score_of(world, "1.1") is None


def test_a_stale_version_gets_409_not_a_figures_error(world, clients):
    """Another account declared 3/4 since version 0 was read: a score sent at version 0 is a
    conflict (409, the figures in 'current'), not a score that contradicts figures never seen."""
    assert patch(clients["editor"], world, "1.1", {"version": 0, "self_figures": "3/4"}).status_code == 200
    response = patch(clients["process_owner"], world, "1.1", {"version": 0, "self_score": "0.5"})
    assert response.status_code == 409, response.content
    assert response.json()["current"]["self_figures"] == "3/4"
    assert response.json()["current"]["version"] == 1
    stored = score_of(world, "1.1")
    assert (stored.self_figures, stored.self_score, stored.version) == ("3/4", Decimal("0.75"), 1)
