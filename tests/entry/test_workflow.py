"""Submit (frozen), return with a comment, deadlines with and without extensions (that
never submit anything), lock and unlock with reasons, appraisal, explanation, re-check."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, Criterion, Score, Submission, SubmittedAnswer, WorkflowEvent

from .conftest import fill_all, leaves_of


@pytest.mark.django_db
def test_submit_freezes_answers_and_makes_the_part_read_only(open_assessment, users, stp):
    editor = users["editor"]
    fill_all(open_assessment, stp, editor, "0,5".replace(",", "."))
    submission = services.submit_part(user=editor, assessment=open_assessment, agency=stp)
    answers = SubmittedAnswer.objects.filter(submission=submission)
    leaves = leaves_of(open_assessment, stp)
    assert answers.count() == len(leaves)
    first = leaves[0]
    # A later edit of the framework does not change the submitted answer.
    Criterion.objects.filter(pk=first.criterion.pk).update(name="Đổi tên", max_score=Decimal("9"))
    frozen = answers.get(criterion_code=first.code)
    assert frozen.criterion_name == first.name
    assert frozen.max_score == first.max
    assert frozen.self_score == min(first.max, Decimal("0.5"))
    state = services.part_state(open_assessment, stp.pk)
    assert state.is_submitted and "Đã gửi" in state.reason
    with pytest.raises(services.DomainError, match="Đã gửi"):
        services.save_part(
            user=editor,
            assessment=open_assessment,
            agency=stp,
            rows={first.criterion.pk: services.RowInput(1, {"self_score": Decimal("0")})},
        )


@pytest.mark.django_db
def test_submit_needs_every_criterion_scored(open_assessment, users, stp):
    with pytest.raises(services.DomainError, match="chưa có điểm tự đánh giá"):
        services.submit_part(user=users["editor"], assessment=open_assessment, agency=stp)
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_return_needs_a_comment_and_reopens(client, open_assessment, users, stp):
    fill_all(open_assessment, stp, users["editor"], "0")
    services.submit_part(user=users["editor"], assessment=open_assessment, agency=stp)
    client.force_login(users["process_owner"])
    url = reverse("assessments:return_part", args=[open_assessment.pk, stp.pk])
    client.post(url, {"comment": "  "})
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    client.post(url, {"comment": "Bổ sung tài liệu kiểm chứng TC 2.1"})
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.RETURNED
    assert submission.return_comment == "Bổ sung tài liệu kiểm chứng TC 2.1"
    assert submission.history.first().history_change_reason == "Bổ sung tài liệu kiểm chứng TC 2.1"
    client.force_login(users["editor"])
    html = client.get(reverse("assessments:entry", args=[open_assessment.pk, stp.pk])).content.decode()
    assert "Bổ sung tài liệu kiểm chứng TC 2.1" in html
    assert "Lưu bản nháp" in html


@pytest.mark.django_db
def test_passed_deadline_locks_entry_but_submits_nothing(client, open_assessment, users, stp):
    fill_all(open_assessment, stp, users["editor"], "0")
    past = timezone.now() - datetime.timedelta(hours=1)
    Assessment.objects.filter(pk=open_assessment.pk).update(self_assessment_deadline=past)
    open_assessment.refresh_from_db()
    leaf = leaves_of(open_assessment, stp)[0]
    cid = leaf.criterion.pk
    client.force_login(users["editor"])
    url = reverse("assessments:entry", args=[open_assessment.pk, stp.pk])
    page = client.get(url).content.decode()
    assert "Đã quá hạn" in page and f'name="self_score_{cid}"' not in page
    assert client.post(url, {f"version_{cid}": "1", f"self_score_{cid}": "0,5"}).status_code == 403
    assert client.post(reverse("assessments:submit", args=[open_assessment.pk, stp.pk])).status_code == 403
    with pytest.raises(services.DomainError, match="quá hạn"):
        services.submit_part(user=users["editor"], assessment=open_assessment, agency=stp)
    assert not Submission.objects.exists()  # nothing submitted on anyone's behalf
    assert Assessment.objects.get(pk=open_assessment.pk).phase == Assessment.Phase.SELF_ASSESSMENT
    progress_user = users["process_owner"]
    client.force_login(progress_user)
    progress = client.get(reverse("assessments:progress", args=[open_assessment.pk])).content.decode()
    assert 'class="overdue"' in progress and "Quá hạn" in progress


@pytest.mark.django_db
def test_agency_extension_reopens_entry_for_that_agency_only(client, open_assessment, users, stp, agencies):
    past = timezone.now() - datetime.timedelta(hours=1)
    Assessment.objects.filter(pk=open_assessment.pk).update(self_assessment_deadline=past)
    open_assessment.refresh_from_db()
    with pytest.raises(services.DomainError, match="lý do"):
        services.extend_deadline(
            user=users["process_owner"], assessment=open_assessment, agency=stp, until=past, reason=""
        )
    services.extend_deadline(
        user=users["process_owner"],
        assessment=open_assessment,
        agency=stp,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="Cán bộ phụ trách nghỉ ốm",
    )
    assert not services.part_state(open_assessment, stp.pk).deadline_passed
    assert services.part_state(open_assessment, agencies["VP UBND"].pk).deadline_passed
    fill_all(open_assessment, stp, users["editor"], "0")
    services.submit_part(user=users["editor"], assessment=open_assessment, agency=stp)
    event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.EXTEND)
    assert event.reason == "Cán bộ phụ trách nghỉ ốm"


@pytest.mark.django_db
def test_criterion_extension_reopens_one_criterion(open_assessment, users, stp):
    past = timezone.now() - datetime.timedelta(hours=1)
    Assessment.objects.filter(pk=open_assessment.pk).update(self_assessment_deadline=past)
    open_assessment.refresh_from_db()
    first, second = leaves_of(open_assessment, stp)[:2]
    services.extend_deadline(
        user=users["process_owner"],
        assessment=open_assessment,
        criterion=first.criterion,
        until=timezone.now() + datetime.timedelta(days=1),
        reason="Chờ văn bản của Bộ",
    )
    editor = users["editor"]
    services.save_part(
        user=editor,
        assessment=open_assessment,
        agency=stp,
        rows={first.criterion.pk: services.RowInput(0, {"self_score": Decimal("0")})},
    )
    with pytest.raises(services.DomainError, match="quá hạn"):
        services.save_part(
            user=editor,
            assessment=open_assessment,
            agency=stp,
            rows={second.criterion.pk: services.RowInput(0, {"self_score": Decimal("0")})},
        )


@pytest.mark.django_db
def test_lock_and_unlock_with_a_written_reason(client, open_assessment, users):
    owner = users["process_owner"]
    client.force_login(owner)
    client.post(reverse("assessments:lock", args=[open_assessment.pk]), {"reason": "Hoàn thành"})
    assert Assessment.objects.get(pk=open_assessment.pk).is_locked
    client.post(reverse("assessments:unlock", args=[open_assessment.pk]), {"reason": ""})
    assert Assessment.objects.get(pk=open_assessment.pk).is_locked  # a reason is required
    client.post(reverse("assessments:unlock", args=[open_assessment.pk]), {"reason": "Bộ yêu cầu bổ sung"})
    assessment = Assessment.objects.get(pk=open_assessment.pk)
    assert not assessment.is_locked
    assert assessment.history.first().history_change_reason == "Bộ yêu cầu bổ sung"
    assert WorkflowEvent.objects.filter(action="unlock", reason="Bộ yêu cầu bổ sung").exists()


@pytest.mark.django_db
def test_appraisal_explanation_and_recheck(client, open_assessment, users, stp):
    editor, owner, appraiser = users["editor"], users["process_owner"], users["appraiser"]
    fill_all(open_assessment, stp, editor, "0.5")
    services.submit_part(user=editor, assessment=open_assessment, agency=stp)
    leaf = max(leaves_of(open_assessment, stp), key=lambda n: n.max)
    cid = leaf.criterion.pk
    services.set_phase(user=owner, assessment=open_assessment, phase=Assessment.Phase.APPRAISAL)
    client.force_login(appraiser)
    url = reverse("assessments:appraisal", args=[open_assessment.pk])
    version = Score.objects.get(assessment=open_assessment, criterion_id=cid).version
    response = client.post(
        url, {f"version_{cid}": version, f"score_{cid}": "0,25", f"comment_{cid}": "Thiếu báo cáo quý"}
    )
    assert response.status_code == 302
    score = Score.objects.get(assessment=open_assessment, criterion_id=cid)
    assert (score.appraised_score, score.appraisal_comment) == (Decimal("0.25"), "Thiếu báo cáo quý")
    # Explanation window: the agency answers on the criteria that lost points.
    deadline = timezone.now() + datetime.timedelta(days=3)
    services.set_phase(
        user=owner,
        assessment=open_assessment,
        phase=Assessment.Phase.EXPLANATION,
        explanation_deadline=deadline,
    )
    client.force_login(editor)
    entry_url = reverse("assessments:entry", args=[open_assessment.pk, stp.pk])
    html = client.get(entry_url).content.decode()
    assert f'name="response_{cid}"' in html and "Thiếu báo cáo quý" in html
    assert f'name="self_score_{cid}"' not in html
    client.post(entry_url, {f"version_{cid}": score.version, f"response_{cid}": "Đã có báo cáo, gửi kèm"})
    assert Score.objects.get(pk=score.pk).response == "Đã có báo cáo, gửi kèm"
    # Re-check: the final score.
    services.set_phase(user=owner, assessment=open_assessment, phase=Assessment.Phase.RECHECK)
    client.force_login(appraiser)
    version = Score.objects.get(pk=score.pk).version
    client.post(
        url, {f"version_{cid}": version, f"score_{cid}": "0,5", f"comment_{cid}": "Chấp nhận giải trình"}
    )
    score.refresh_from_db()
    assert score.rechecked_score == Decimal("0.5") and score.final_score == Decimal("0.5")
    assert score.appraised_score == Decimal("0.25")
