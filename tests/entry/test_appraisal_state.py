"""The appraisal's open-phase rule lives in one place (services.AppraisalState, beside
PartState): the page and the service refuse with the same reason."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment

Phase = Assessment.Phase
# The council writes its score, its remark, the figures it corrected and why it kept another score.
APPRAISAL_WRITES = ("appraised_score", "appraisal_comment", "appraised_figures", "appraised_override_reason")


@pytest.mark.parametrize(
    ("phase", "locked", "fields", "reason"),
    [
        (Phase.APPRAISAL, False, APPRAISAL_WRITES, ""),
        (Phase.RECHECK, False, ("rechecked_score", "recheck_comment"), ""),
        (
            Phase.SELF_ASSESSMENT,
            False,
            None,
            "chỉ nhập điểm thẩm định trong giai đoạn thẩm định hoặc phúc tra",
        ),
        (Phase.PUBLISHED, False, None, "giai đoạn “Đã công bố”"),
        (Phase.APPRAISAL, True, APPRAISAL_WRITES, "Đợt đánh giá đã khóa"),
    ],
)
def test_appraisal_state_says_what_may_be_written_and_why_not(phase, locked, fields, reason):
    state = services.appraisal_state(Assessment(phase=phase, is_locked=locked))
    assert state.fields == fields
    assert state.is_open is (reason == "")
    assert reason in state.closed_reason
    assert state.is_recheck is (phase == Phase.RECHECK)


@pytest.mark.django_db
@pytest.mark.parametrize("locked", [False, True])
def test_page_and_service_refuse_with_the_same_reason(client, small, locked):
    assessment = small["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(is_locked=locked)
    assessment.refresh_from_db()
    reason = services.appraisal_state(assessment).closed_reason
    assert reason
    with pytest.raises(services.DomainError) as refused:
        services.save_appraisal(user=small["users"]["appraiser"], assessment=assessment, rows={})
    assert refused.value.message == reason
    client.force_login(small["users"]["appraiser"])
    response = client.post(reverse("assessments:appraisal", args=[assessment.pk]), {})
    assert response.status_code == 403
    assert reason in response.content.decode()
