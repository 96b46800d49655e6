"""Sở Nội vụ's phase and lock actions: locking needs a reason, as unlocking does; a phase
change first lists the agencies that have not submitted and asks to confirm; going back to
an earlier phase needs a reason; leaving the deadline fields out never clears them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, WorkflowEvent


@pytest.fixture
def owner(client, small):
    client.force_login(small["users"]["process_owner"])
    return client


def _reload(small):
    return Assessment.objects.get(pk=small["assessment"].pk)


@pytest.mark.django_db
def test_lock_without_a_reason_is_refused(owner, small):
    url = reverse("assessments:lock", args=[small["assessment"].pk])
    response = owner.post(url, {"reason": "  "}, follow=True)
    assert "Phải ghi lý do khi khóa đợt đánh giá" in response.content.decode()
    assert not _reload(small).is_locked
    assert not WorkflowEvent.objects.filter(action=WorkflowEvent.Action.LOCK).exists()
    with pytest.raises(services.DomainError, match="Phải ghi lý do"):
        services.lock(user=small["users"]["process_owner"], assessment=small["assessment"], reason="")
    owner.post(url, {"reason": "Đã công bố kết quả"})
    assert _reload(small).is_locked
    assert WorkflowEvent.objects.get(action=WorkflowEvent.Action.LOCK).reason == "Đã công bố kết quả"


@pytest.mark.django_db
def test_phase_change_lists_agencies_not_submitted_and_waits_for_confirmation(owner, small):
    url = reverse("assessments:phase", args=[small["assessment"].pk])
    response = owner.post(url, {"phase": Assessment.Phase.APPRAISAL})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xác nhận chuyển giai đoạn" in html
    pending = html[html.index("pending-agencies") : html.index("</ul>", html.index("pending-agencies"))]
    assert "Sở Tư pháp" in pending and "Văn phòng UBND tỉnh" in pending
    assert _reload(small).phase == Assessment.Phase.SELF_ASSESSMENT  # nothing changed yet
    assert owner.post(url, {"phase": Assessment.Phase.APPRAISAL, "confirm": "1"}).status_code == 302
    assert _reload(small).phase == Assessment.Phase.APPRAISAL


@pytest.mark.django_db
def test_leaving_the_deadline_fields_out_keeps_the_deadlines(owner, small):
    before = _reload(small)
    explanation = timezone.now() + datetime.timedelta(days=20)
    Assessment.objects.filter(pk=before.pk).update(explanation_deadline=explanation)
    url = reverse("assessments:phase", args=[before.pk])
    owner.post(url, {"phase": Assessment.Phase.APPRAISAL, "confirm": "1"})
    after = _reload(small)
    assert after.phase == Assessment.Phase.APPRAISAL
    assert after.self_assessment_deadline == before.self_assessment_deadline
    assert after.explanation_deadline == explanation
    # A deadline field posted empty clears it, on purpose.
    owner.post(url, {"phase": Assessment.Phase.APPRAISAL, "explanation_deadline": "", "confirm": "1"})
    assert _reload(small).explanation_deadline is None
    assert _reload(small).self_assessment_deadline == before.self_assessment_deadline


@pytest.mark.django_db
def test_going_back_to_an_earlier_phase_needs_a_reason(owner, small):
    Assessment.objects.filter(pk=small["assessment"].pk).update(phase=Assessment.Phase.APPRAISAL)
    url = reverse("assessments:phase", args=[small["assessment"].pk])
    response = owner.post(url, {"phase": Assessment.Phase.SELF_ASSESSMENT, "confirm": "1"})
    assert response.status_code == 200
    assert "Phải ghi lý do khi chuyển ngược" in response.content.decode()
    assert _reload(small).phase == Assessment.Phase.APPRAISAL
    with pytest.raises(services.DomainError, match="Phải ghi lý do khi chuyển ngược"):
        services.set_phase(
            user=small["users"]["process_owner"],
            assessment=_reload(small),
            phase=Assessment.Phase.PREPARATION,
        )
    reason = "Sở Tư pháp xin bổ sung số liệu"
    data = {"phase": Assessment.Phase.SELF_ASSESSMENT, "reason": reason, "confirm": "1"}
    assert owner.post(url, data).status_code == 302
    assert _reload(small).phase == Assessment.Phase.SELF_ASSESSMENT
    assert WorkflowEvent.objects.get(action=WorkflowEvent.Action.PHASE).reason == reason
