"""The explanation phase asks only where the council lowered the department's score, and
the progress page counts exactly those; its title and actions follow the phase."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Assessment, Score, Stage, Submission
from assessments.services.entry import stage_leaves

D = Decimal


def _score(assessment, criterion, self_score, appraised, **extra):
    return Score.objects.create(
        assessment=assessment, criterion=criterion, self_score=self_score, appraised_score=appraised, **extra
    )


@pytest.fixture
def scored(small):
    """1.1 (max 1): self 1, appraised 0,5 -> lowered. 1.2 (max 2): self 1, appraised 1 ->
    below max but not lowered. 2.1 (max 3): self 2, appraised 2,5 -> raised."""
    a, c = small["assessment"], small["criteria"]
    _score(a, c["1.1"], D("1"), D("0.5"))
    _score(a, c["1.2"], D("1"), D("1"))
    _score(a, c["2.1"], D("2"), D("2.5"))
    Assessment.objects.filter(pk=a.pk).update(phase=Assessment.Phase.EXPLANATION)
    a.refresh_from_db()
    return small


@pytest.mark.django_db
def test_only_a_lowered_score_asks_for_an_explanation(scored):
    result = scoring.compute(scored["assessment"])
    lowered = {n.code for n in result.leaves() if scoring.lowered_by_council(n)}
    assert lowered == {"1.1"}
    below_max = {n.code for n in result.leaves() if scoring.lost_points(n)}
    assert below_max == {"1.1", "1.2", "2.1"}  # the old rule asked all three


@pytest.mark.django_db
def test_a_missing_self_score_or_appraised_score_asks_nothing(small):
    a, c = small["assessment"], small["criteria"]
    _score(a, c["1.1"], None, D("0.5"))
    _score(a, c["1.2"], D("2"), None)
    result = scoring.compute(a)
    assert not any(scoring.lowered_by_council(n) for n in result.leaves())


@pytest.mark.django_db
def test_the_department_answers_on_the_lowered_criteria_only(scored):
    a, stp, vp = scored["assessment"], scored["agency"], scored["other"]
    result = scoring.compute(a)
    state = services.agency_state(a, stp.pk, result)
    assert [n.code for n in stage_leaves(result, state, stp.pk).values()] == ["1.1"]
    state = services.agency_state(a, vp.pk, result)
    assert stage_leaves(result, state, vp.pk) == {}


@pytest.mark.django_db
def test_explanation_progress_counts_the_lowered_criteria(scored, client):
    a, c, stp = scored["assessment"], scored["criteria"], scored["agency"]
    client.force_login(scored["users"]["process_owner"])
    url = reverse("assessments:progress", args=[a.pk])
    html = client.get(url).content.decode()
    assert "<h1>Tiến độ giải trình</h1>" in html
    assert "0 / 1" in html and "Đã giải trình / cần giải trình" in html
    assert "Văn phòng UBND tỉnh" not in html.split("<tbody>")[1].split("</tbody>")[0]  # nothing to explain
    Score.objects.filter(assessment=a, criterion=c["1.1"]).update(response="Đã bổ sung báo cáo")
    assert "1 / 1" in client.get(url).content.decode()
    assert stp.name in client.get(url).content.decode()


@pytest.mark.django_db
def test_progress_during_appraisal_says_so_and_offers_no_return(small, client):
    a, c, stp = small["assessment"], small["criteria"], small["agency"]
    _score(a, c["1.1"], D("1"), D("0.5"))
    _score(a, c["1.2"], D("1"), None)
    Submission.objects.create(
        assessment=a,
        agency=stp,
        stage=Stage.SELF_ASSESSMENT,
        status=Submission.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Assessment.objects.filter(pk=a.pk).update(phase=Assessment.Phase.APPRAISAL)
    client.force_login(small["users"]["process_owner"])
    html = client.get(reverse("assessments:progress", args=[a.pk])).content.decode()
    assert "<h1>Tiến độ thẩm định</h1>" in html and "Tiến độ tự đánh giá" not in html
    assert "Đã thẩm định / tổng số" in html and "1 / 2" in html  # 1.1 appraised of 1.1, 1.2
    assert "Trả lại" not in html and "return_part" not in html
    assert reverse("assessments:return_part", args=[a.pk, stp.pk]) not in html


@pytest.mark.django_db
def test_progress_during_self_assessment_still_offers_return(small, client):
    a, stp = small["assessment"], small["agency"]
    Submission.objects.create(
        assessment=a,
        agency=stp,
        stage=Stage.SELF_ASSESSMENT,
        status=Submission.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    client.force_login(small["users"]["process_owner"])
    html = client.get(reverse("assessments:progress", args=[a.pk])).content.decode()
    assert "<h1>Tiến độ tự đánh giá</h1>" in html
    assert reverse("assessments:return_part", args=[a.pk, stp.pk]) in html


@pytest.mark.django_db
def test_moving_on_from_appraisal_names_the_agencies_that_did_not_submit(small, client):
    a = small["assessment"]
    Assessment.objects.filter(pk=a.pk).update(phase=Assessment.Phase.APPRAISAL)
    client.force_login(small["users"]["process_owner"])
    response = client.post(reverse("assessments:phase", args=[a.pk]), {"phase": "explanation"})
    html = response.content.decode()
    assert "Chuyển sang giai đoạn “Giải trình”" in html
    assert "2 cơ quan chưa gửi phần tự đánh giá" in html
    assert Assessment.objects.get(pk=a.pk).phase == Assessment.Phase.APPRAISAL
