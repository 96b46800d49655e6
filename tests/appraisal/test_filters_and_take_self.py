"""Filters and search on the appraisal page (GET), and "take the self score" for a row or a
field (POST through save_appraisal: versioned, in the history, refused outside the phase)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Score
from assessments.services import DomainError

from .world import scored_world

D = Decimal


def _shown(client, small, query):
    client.force_login(small["users"]["appraiser"])
    url = reverse("assessments:appraisal", args=[small["assessment"].pk]) + query
    html = client.get(url).content.decode()
    return {code for code, c in small["criteria"].items() if f'id="tc-{c.pk}"' in html}


@pytest.fixture
def world(small):
    a = scored_world(small)
    c = small["criteria"]
    # 1.1: self 0,9756, not appraised. 1.2 (max 2): self 2, appraised 1,5 (changed, below max).
    # 1.3: a survey leaf, no self score. 2.1 (max 3): self 2,5 appraised 2,5.
    Score.objects.filter(assessment=a, criterion=c["1.2"]).update(appraised_score=D("1.5"))
    Score.objects.filter(assessment=a, criterion=c["2.1"]).update(appraised_score=D("2.5"))
    return small


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"1.1", "1.2", "1.3", "2.1"}),
        ("?field=2", {"2.1"}),
        ("?agency={other}", {"2.1"}),
        ("?below_max=1", {"1.1", "1.2", "2.1"}),
        ("?changed=1", {"1.2"}),
        ("?pending=1", {"1.1", "1.3"}),
        ("?field=1&changed=1", {"1.2"}),
        ("?q=tham+dinh", {"1.2"}),  # "thẩm định", typed without accents
        ("?q=TH%E1%BA%A8M", {"1.2"}),  # "THẨM" in capitals
        ("?q=1.2", {"1.2"}),
        ("?q=1", {"1.1", "1.2", "1.3"}),  # a code finds the criteria under it
        ("?q=khong+co+dau", set()),
    ],
)
def test_filters_keep_the_matching_criteria(client, world, query, expected):
    assert _shown(client, world, query.format(other=world["other"].pk)) == expected


@pytest.mark.django_db
def test_no_match_says_so(client, world):
    client.force_login(world["users"]["appraiser"])
    url = reverse("assessments:appraisal", args=[world["assessment"].pk])
    html = client.get(url + "?q=xyz").content.decode()
    assert "Không có tiêu chí nào khớp bộ lọc “xyz”." in html and "Đang hiện 0 / 4 tiêu chí." in html


@pytest.mark.django_db
def test_take_the_self_score_of_one_row(client, world):
    a, c = world["assessment"], world["criteria"]
    client.force_login(world["users"]["appraiser"])
    url = reverse("assessments:appraisal_take_self", args=[a.pk])
    response = client.post(url, {"take_criterion": c["1.1"].pk, "changed": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?changed=1#tc-{c['1.1'].pk}")  # back to the same view
    score = Score.objects.get(assessment=a, criterion=c["1.1"])
    assert score.appraised_score == D("0.9756") and score.appraised_figures == "40/41"
    record = score.history.first()
    assert record.change_source == "form" and record.history_user == world["users"]["appraiser"]
    # A row already appraised is taken too (the team asked for this one).
    client.post(url, {"take_criterion": c["1.2"].pk})
    assert Score.objects.get(assessment=a, criterion=c["1.2"]).appraised_score == D("2")


@pytest.mark.django_db
def test_take_the_self_scores_of_a_field_fills_only_the_rows_not_yet_appraised(client, world):
    a, c = world["assessment"], world["criteria"]
    client.force_login(world["users"]["appraiser"])
    response = client.post(
        reverse("assessments:appraisal_take_self", args=[a.pk]), {"take_field": "1"}, follow=True
    )
    assert "Đã lấy điểm tự đánh giá cho 1 tiêu chí: 1.1." in response.content.decode()
    assert Score.objects.get(assessment=a, criterion=c["1.1"]).appraised_score == D("0.9756")
    assert Score.objects.get(assessment=a, criterion=c["1.2"]).appraised_score == D("1.5")  # kept
    # The page's own filters come back as they were (not the field that was taken).
    back = client.post(reverse("assessments:appraisal_take_self", args=[a.pk]), {"take_field": "2", "q": "x"})
    assert back["Location"].endswith("/tham-dinh/?q=x")
    again = client.post(
        reverse("assessments:appraisal_take_self", args=[a.pk]), {"take_field": "1"}, follow=True
    )
    assert "Lĩnh vực 1: không còn tiêu chí nào có điểm tự đánh giá mà chưa có điểm thẩm định." in (
        again.content.decode()
    )


@pytest.mark.django_db
def test_take_the_self_score_is_refused_outside_the_appraisal_phases(world):
    a, c = world["assessment"], world["criteria"]
    Assessment.objects.filter(pk=a.pk).update(phase=Assessment.Phase.EXPLANATION)
    a.refresh_from_db()
    with pytest.raises(DomainError, match="chỉ nhập điểm thẩm định trong giai đoạn thẩm định"):
        services.take_self_scores(user=world["users"]["appraiser"], assessment=a, criterion_id=c["1.1"].pk)
    assert Score.objects.get(assessment=a, criterion=c["1.1"]).appraised_score is None


@pytest.mark.django_db
def test_take_the_self_score_without_one_says_so(world):
    a, c = world["assessment"], world["criteria"]
    with pytest.raises(DomainError, match=r"1\.3: cơ quan chưa tự chấm điểm"):
        services.take_self_scores(user=world["users"]["appraiser"], assessment=a, criterion_id=c["1.3"].pk)


@pytest.mark.django_db
def test_only_the_council_takes_the_self_score(client, world):
    a, c = world["assessment"], world["criteria"]
    client.force_login(world["users"]["viewer"])
    response = client.post(
        reverse("assessments:appraisal_take_self", args=[a.pk]), {"take_criterion": c["1.1"].pk}
    )
    assert response.status_code == 403
    client.force_login(world["users"]["editor"])
    response = client.post(
        reverse("assessments:appraisal_take_self", args=[a.pk]), {"take_criterion": c["1.1"].pk}
    )
    assert response.status_code == 404
    assert Score.objects.get(assessment=a, criterion=c["1.1"]).appraised_score is None


@pytest.mark.django_db
def test_in_recheck_the_self_score_becomes_the_recheck_score(client, world):
    a, c = world["assessment"], world["criteria"]
    Assessment.objects.filter(pk=a.pk).update(phase=Assessment.Phase.RECHECK)
    client.force_login(world["users"]["appraiser"])
    client.post(reverse("assessments:appraisal_take_self", args=[a.pk]), {"take_criterion": c["1.2"].pk})
    score = Score.objects.get(assessment=a, criterion=c["1.2"])
    assert score.rechecked_score == D("2") and score.appraised_score == D("1.5")
