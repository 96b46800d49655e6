"""The admin edits a score through the one score service: on the locked, published 2023
sample it is refused with a Vietnamese message and changes nothing; above the maximum
likewise; an accepted edit is recorded with its source, reason, version and a workflow event."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from assessments import scoring
from assessments.models import Assessment, ChangeSource, Score, WorkflowEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client, reference_data):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x-secret-9")
    client.force_login(user)
    return client


def unlock(assessment):
    Assessment.objects.filter(pk=assessment.pk).update(is_locked=False)


def change_url(score):
    return f"/admin/assessments/score/{score.pk}/change/"


def posted(client, score, **changes):
    """The change form as the admin shows it, with some fields changed, posted."""
    page = client.get(change_url(score))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if name == "applicable":
            if value:
                data[name] = "on"
            continue
        data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    data.update(changes)
    return client.post(change_url(score), data)


def snapshot():
    return (
        list(Score.objects.order_by("pk").values_list("pk", "self_score", "appraised_score", "version")),
        Score.history.count(),
        WorkflowEvent.objects.count(),
    )


def test_score_on_a_locked_assessment_is_refused_and_nothing_changes(root_client, sample_assessment):
    assert sample_assessment.is_locked
    score = Score.objects.get(assessment=sample_assessment, criterion__code="1.1")
    before = snapshot()
    response = posted(root_client, score, appraised_score="99", reason="Sửa thử")
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [
        "Đợt đánh giá năm 2023 của Bình Phước đã khóa: không sửa được điểm. "
        "Sở Nội vụ cần mở khóa (kèm lý do) trước."
    ]
    assert snapshot() == before
    assert str(scoring.compute(sample_assessment).index) == "88.0115"


def test_score_above_the_maximum_is_refused_and_nothing_changes(root_client, sample_assessment):
    unlock(sample_assessment)
    score = Score.objects.get(assessment=sample_assessment, criterion__code="1.1")
    before = snapshot()
    response = posted(root_client, score, appraised_score="99", reason="Sửa thử")
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "1.1: điểm thẩm định 99 lớn hơn điểm tối đa 1,5."
    ]
    assert snapshot() == before


def test_accepted_edit_goes_through_the_score_service(root_client, sample_assessment):
    unlock(sample_assessment)
    score = Score.objects.get(assessment=sample_assessment, criterion__code="1.1")
    response = posted(
        root_client,
        score,
        appraised_score="1,4",
        appraisal_comment="Sửa qua trang quản trị",
        reason="Sai số liệu",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.4") and score.version == 2
    latest = score.history.first()
    assert latest.change_source == ChangeSource.ADMIN
    assert latest.history_change_reason == "Sai số liệu"
    assert latest.history_user.username == "root"
    event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.SCORE)
    assert (event.criterion_id, event.reason) == (score.criterion_id, "Sai số liệu")


def test_edit_needs_a_reason(root_client, sample_assessment):
    unlock(sample_assessment)
    score = Score.objects.get(assessment=sample_assessment, criterion__code="1.1")
    before = snapshot()
    response = posted(root_client, score, appraised_score="1,4")
    assert response.context["adminform"].form.errors["reason"] == ["Phải ghi lý do sửa điểm."]
    assert snapshot() == before


def test_stale_version_is_a_conflict(root_client, sample_assessment):
    unlock(sample_assessment)
    score = Score.objects.get(assessment=sample_assessment, criterion__code="1.1")
    page = root_client.get(change_url(score))
    assert page.status_code == 200
    Score.objects.filter(pk=score.pk).update(appraised_score=Decimal("1.2"), version=5)
    response = posted(root_client, score, appraised_score="1,4", reason="Sửa", opened_version="1")
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.2") and score.version == 5
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and messages[0].startswith("Không lưu: 1 tiêu chí đã được người khác sửa")


def test_a_new_row_is_added_through_the_score_service(root_client, sample_assessment):
    from assessments.models import Criterion

    unlock(sample_assessment)
    parent = Criterion.objects.get(framework=sample_assessment.framework, code="2.4")
    response = root_client.post(
        "/admin/assessments/score/add/",
        {
            "assessment": sample_assessment.pk,
            "criterion": parent.pk,
            "applicable": "on",
            "appraisal_comment": "Kết quả điều tra xã hội học",
            "reason": "Ghi ý kiến của dòng lĩnh vực",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Score.objects.get(assessment=sample_assessment, criterion=parent)
    assert (added.version, added.appraisal_comment) == (1, "Kết quả điều tra xã hội học")
    assert added.history.get().change_source == ChangeSource.ADMIN


def test_a_score_on_a_parent_row_is_refused(root_client, sample_assessment):
    from assessments.models import Criterion

    unlock(sample_assessment)
    parent = Criterion.objects.get(framework=sample_assessment.framework, code="1.3")
    before = snapshot()
    response = root_client.post(
        "/admin/assessments/score/add/",
        {
            "assessment": sample_assessment.pk,
            "criterion": parent.pk,
            "applicable": "on",
            "appraised_score": "2",
            "reason": "Thử",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "1.3: tiêu chí có tiêu chí con, điểm của nó là tổng các tiêu chí con; không ghi được điểm "
        "thẩm định, chỉ ghi được ý kiến."
    ]
    assert snapshot() == before
