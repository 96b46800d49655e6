"""Sở Nội vụ marks a criterion "không áp dụng" for an assessment: with a written reason kept in
the history; its max leaves the index's denominator and the field sub-total; the department
sees "Không áp dụng" and cannot enter a score there; marking it applicable again reopens it."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessments import scoring, services
from assessments.models import Assessment, ChangeSource, Criterion, Framework, Score, SubmittedAnswer

from .conftest import fill_all

REASON = "Tỉnh không có đơn vị sự nghiệp thuộc diện này trong năm"


@pytest.fixture
def world(small):
    criteria = small["criteria"]
    return {
        **small,
        "owner_user": small["users"]["process_owner"],
        "editor": small["users"]["editor"],
        "leaf": criteria["1.2"],  # max 2, self-assessed, answered by Sở Tư pháp
        "other_leaf": criteria["1.1"],  # max 1
    }


def _mark(world, applicable=False, reason=REASON, criterion=None):
    return services.set_applicable(
        user=world["owner_user"],
        assessment=world["assessment"],
        criterion=criterion or world["leaf"],
        applicable=applicable,
        reason=reason,
    )


def _entry_url(world):
    return reverse("assessments:entry", args=[world["assessment"].pk, world["agency"].pk])


def _control_url(world, criterion=None):
    criterion = criterion or world["leaf"]
    return reverse(
        "assessments:set_applicability", args=[world["assessment"].pk, world["agency"].pk, criterion.pk]
    )


# --- the service ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_marking_not_applicable_needs_a_reason_and_writes_nothing_without_one(world):
    for blank in ("", "   \n"):
        with pytest.raises(services.DomainError, match="Phải ghi lý do"):
            _mark(world, reason=blank)
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_marking_not_applicable_is_kept_in_the_history_with_who_why_and_where(world):
    score = _mark(world)
    assert score.applicable is False and score.version == 1
    record = score.history.latest()
    assert record.history_change_reason == REASON
    assert record.history_user == world["owner_user"]
    assert record.change_source == ChangeSource.FORM
    again = _mark(world, applicable=True, reason="Đã có đơn vị thuộc diện")
    assert again.applicable is True and again.version == 2
    assert [r.applicable for r in Score.history.order_by("history_date", "history_id")] == [False, True]


@pytest.mark.django_db
def test_keeps_the_scores_already_entered_but_no_longer_counts_them(world):
    fill_all(world["assessment"], world["agency"], world["editor"], "0.5")
    _mark(world)
    score = Score.objects.get(assessment=world["assessment"], criterion=world["leaf"])
    assert score.self_score == Decimal("0.5") and not score.applicable
    node = scoring.compute(world["assessment"]).by_code["1.2"]
    assert node.self_score is None and node.applicable_max == 0


@pytest.mark.django_db
def test_refused_when_unchanged_locked_a_parent_or_another_frameworks_criterion(world):
    with pytest.raises(services.DomainError, match="đang được áp dụng"):
        _mark(world, applicable=True)
    _mark(world)
    with pytest.raises(services.DomainError, match="đã được đánh dấu không áp dụng"):
        _mark(world)
    with pytest.raises(services.DomainError, match="không có tiêu chí con"):
        _mark(world, criterion=world["criteria"]["1"])
    foreign = Criterion.objects.create(
        framework=Framework.objects.create(year=2032, name="Khác"), code="1", name="Khác", max_score=1
    )
    with pytest.raises(services.DomainError, match="không thuộc bộ tiêu chí"):
        _mark(world, criterion=foreign)
    services.lock(user=world["owner_user"], assessment=world["assessment"], reason="Hết đợt")
    with pytest.raises(services.DomainError, match="đã khóa"):
        _mark(world, applicable=True)
    assert Score.objects.get(criterion=world["leaf"]).applicable is False


@pytest.mark.django_db
def test_the_index_is_computed_on_the_applicable_max(world):
    assessment = world["assessment"]
    before = scoring.compute(assessment)
    assert before.applicable_max == Decimal("7")
    _mark(world)
    Score.objects.filter(assessment=assessment, criterion=world["other_leaf"]).delete()
    Score.objects.create(assessment=assessment, criterion=world["other_leaf"], appraised_score=Decimal("1"))
    Score.objects.create(
        assessment=assessment, criterion=world["criteria"]["2.1"], appraised_score=Decimal("3")
    )
    result = scoring.compute(assessment)
    assert result.applicable_max == Decimal("5")  # 7 − 2 for 1.2
    assert result.fields[0].applicable_max == Decimal("2")
    assert result.index == Decimal("80")  # 4 of an applicable 5, not of 7


# --- the department's part -----------------------------------------------------------------


@pytest.mark.django_db
def test_entry_page_shows_not_applicable_without_an_input_and_a_smaller_subtotal_max(client, world):
    cid = world["leaf"].pk
    client.force_login(world["editor"])
    html = client.get(_entry_url(world)).content.decode()
    assert f'name="self_score_{cid}"' in html
    # What Sở Tư pháp enters: 1.1 and 1.2 (1.3, 1 point, comes from the leader survey).
    assert re.search(r"Tổng điểm tự đánh giá của cơ quan: <output[^>]*>0</output> / 3\b", html)
    _mark(world)
    html = client.get(_entry_url(world)).content.decode()
    row = html[html.index(f'id="tc-{cid}"') :]
    row = row[: row.index("</tr>")]
    assert "Không áp dụng" in row
    assert f'name="self_score_{cid}"' not in html
    assert f'name="self_score_{world["other_leaf"].pk}"' in html  # the rest stays editable
    assert re.search(r"Tổng điểm tự đánh giá của cơ quan: <output[^>]*>0</output> / 1\b", html)
    assert f'id="ev-{cid}"' not in html  # no evidence for a criterion that does not apply


@pytest.mark.django_db
def test_editor_cannot_enter_a_score_there_by_direct_post_or_through_the_service(client, world):
    cid, other = world["leaf"].pk, world["other_leaf"].pk
    _mark(world)
    client.force_login(world["editor"])
    data = {
        f"version_{cid}": "1",
        f"self_score_{cid}": "1,5",
        f"explanation_{cid}": "Có",
        f"version_{other}": "0",
        f"self_score_{other}": "0,5",
    }
    response = client.post(_entry_url(world), data, follow=True)
    assert response.status_code == 200
    assert "không lưu điểm nhập cho: 1.2" in response.content.decode()
    score = Score.objects.get(assessment=world["assessment"], criterion_id=cid)
    assert score.self_score is None and score.explanation == ""
    assert Score.objects.get(assessment=world["assessment"], criterion_id=other).self_score == Decimal("0.5")
    with pytest.raises(services.DomainError, match=r"1\.2: tiêu chí không áp dụng"):
        services.save_part(
            user=world["editor"],
            assessment=world["assessment"],
            agency=world["agency"],
            rows={cid: services.RowInput(score.version, {"self_score": Decimal("1"), "explanation": ""})},
        )


@pytest.mark.django_db
def test_submit_needs_no_score_there_and_freezes_it_as_not_applicable(world):
    _mark(world)
    services.save_part(
        user=world["editor"],
        assessment=world["assessment"],
        agency=world["agency"],
        rows={world["other_leaf"].pk: services.RowInput(0, {"self_score": Decimal("1"), "explanation": ""})},
    )
    submission = services.submit_part(
        user=world["editor"], assessment=world["assessment"], agency=world["agency"]
    )
    frozen = SubmittedAnswer.objects.get(submission=submission, criterion_code="1.2")
    assert frozen.applicable is False and frozen.self_score is None


@pytest.mark.django_db
def test_marking_it_applicable_again_reopens_the_input(client, world):
    _mark(world)
    client.force_login(world["owner_user"])
    response = client.post(_control_url(world), {"applicable": "1", "reason": "Nhầm lẫn"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#tc-{world['leaf'].pk}")
    client.force_login(world["editor"])
    html = client.get(_entry_url(world)).content.decode()
    assert f'name="self_score_{world["leaf"].pk}"' in html


@pytest.mark.django_db
def test_progress_counts_only_the_applicable_criteria(client, world):
    client.force_login(world["owner_user"])
    url = reverse("assessments:progress", args=[world["assessment"].pk])
    assert '<span class="count">0 / 2</span>' in client.get(url).content.decode()
    _mark(world)
    assert '<span class="count">0 / 1</span>' in client.get(url).content.decode()


@pytest.mark.django_db
def test_appraisal_page_takes_no_score_for_it(client, world):
    _mark(world)
    Assessment.objects.filter(pk=world["assessment"].pk).update(phase=Assessment.Phase.APPRAISAL)
    client.force_login(world["users"]["appraiser"])
    html = client.get(reverse("assessments:appraisal", args=[world["assessment"].pk])).content.decode()
    assert f'name="score_{world["leaf"].pk}"' not in html
    assert f'name="score_{world["other_leaf"].pk}"' in html
    assert "Không áp dụng" in html
    world["assessment"].refresh_from_db()
    with pytest.raises(services.DomainError, match="không áp dụng"):
        services.save_appraisal(
            user=world["users"]["appraiser"],
            assessment=world["assessment"],
            rows={world["leaf"].pk: services.RowInput(1, {"appraised_score": Decimal("1")})},
        )


# --- the control ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_control_refuses_a_missing_reason_in_vietnamese(client, world):
    client.force_login(world["owner_user"])
    response = client.post(_control_url(world), {"applicable": "0", "reason": "  "}, follow=True)
    assert "1.2: chưa đổi. Phải ghi lý do." in response.content.decode()
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_control_is_404_for_a_criterion_the_agency_does_not_answer_for(client, world):
    client.force_login(world["owner_user"])
    response = client.post(_control_url(world, world["criteria"]["2.1"]), {"applicable": "0", "reason": "x"})
    assert response.status_code == 404
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_control_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner_user"])
    response = client.post(_control_url(world), {"applicable": "0", "reason": REASON})
    assert response.status_code == 403
    assert "Chưa gửi được biểu mẫu" in response.content.decode()
    assert not Score.objects.exists()
    page = client.get(_entry_url(world)).content.decode()
    form = page[page.index(f'id="ap-{world["leaf"].pk}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post(
        _control_url(world), {"applicable": "0", "reason": REASON, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Score.objects.get(criterion=world["leaf"]).applicable is False


@pytest.mark.django_db
def test_history_page_shows_the_change_and_its_reason(client, world):
    _mark(world)
    client.force_login(world["editor"])
    url = reverse("assessments:criterion_history", args=[world["assessment"].pk, world["leaf"].pk])
    html = client.get(url).content.decode()
    assert re.search(
        r"Áp dụng</strong>: <span class=\"old\">có</span> → <span class=\"new\">không</span>", html
    )
    assert f"Lý do: {REASON}" in html
