"""An extension opens exactly what it names, for the agency it names: one criterion's
extension lets the agency answering for it write and submit that criterion, and nothing
else; other agencies stay closed after the general deadline."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Assessment, Submission


@pytest.fixture
def extended(small):
    """The general deadline passed; criterion 1.1 (Sở Tư pháp's) extended by a day."""
    assessment = small["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    assessment.refresh_from_db()
    services.extend_deadline(
        user=small["users"]["process_owner"],
        assessment=assessment,
        criterion=small["criteria"]["1.1"],
        until=timezone.now() + datetime.timedelta(days=1),
        reason="Chờ số liệu của Bộ",
    )
    return small


@pytest.mark.django_db
def test_a_criterion_extension_does_not_open_another_agencys_part(extended, client):
    assessment, other = extended["assessment"], extended["other"]
    result = services.agency_state(assessment, other.pk, scoring.compute(assessment))
    assert not result.can_submit
    assert "Đã quá hạn" in result.reason
    with pytest.raises(services.DomainError, match="quá hạn"):
        services.submit_part(user=extended["users"]["other_editor"], assessment=assessment, agency=other)
    assert not Submission.objects.exists()
    client.force_login(extended["users"]["other_editor"])
    url = reverse("assessments:entry", args=[assessment.pk, other.pk])
    html = client.get(url).content.decode()
    assert 'value="submit"' not in html
    assert client.post(url, {"action": "submit"}).status_code == 403
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_criterion_extension_opens_that_criterion_for_its_agency_only(extended, client):
    assessment, stp = extended["assessment"], extended["agency"]
    c11, c12 = extended["criteria"]["1.1"].pk, extended["criteria"]["1.2"].pk
    client.force_login(extended["users"]["editor"])
    url = reverse("assessments:entry", args=[assessment.pk, stp.pk])
    html = client.get(url).content.decode()
    assert f'name="self_score_{c11}"' in html and f'name="self_score_{c12}"' not in html
    with pytest.raises(services.DomainError, match=r"1\.2: đã quá hạn"):
        services.save_part(
            user=extended["users"]["editor"],
            assessment=assessment,
            agency=stp,
            rows={c12: services.RowInput(0, {"self_score": Decimal("1")})},
        )
    assert services.agency_state(assessment, stp.pk, scoring.compute(assessment)).can_submit
