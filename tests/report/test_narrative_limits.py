"""A narrative block has a length limit (a 1 MB block took 17,6 s to render as PDF): the
editor refuses a longer one beside the field, in Vietnamese, and the service refuses it on
every other path; nothing is stored either way."""

import pytest
from django.urls import reverse

from reports.models import ReportNarrative
from reports.services import NARRATIVE_MAX_CHARS, NarrativeError, save_narrative

pytestmark = pytest.mark.django_db

TOO_LONG = "Nhận xét dài. " * (NARRATIVE_MAX_CHARS // 14 + 1)


def edit(assessment):
    return reverse("reports:edit", kwargs={"pk": assessment.pk})


@pytest.mark.parametrize("field", ["proposals_text", "assessment_text", "recipients", "field_3"])
def test_editor_refuses_a_block_over_the_limit_beside_the_field(client, owner, sample_assessment, field):
    client.force_login(owner)
    response = client.post(edit(sample_assessment), {field: TOO_LONG, "document_number": "5"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert "vượt quá giới hạn 20.000 ký tự" in errors[field][0]
    assert "vượt quá giới hạn 20.000 ký tự" in response.content.decode()
    assert not ReportNarrative.objects.exists()


def test_service_refuses_a_block_over_the_limit_and_stores_nothing(owner, sample_assessment):
    save_narrative(sample_assessment, owner, {"proposals_text": "Ngắn."})
    with pytest.raises(NarrativeError) as refused:
        save_narrative(sample_assessment, owner, {"proposals_text": "Khác.", "field_2": TOO_LONG})
    assert refused.value.field == "field_2"
    assert "vượt quá giới hạn" in str(refused.value)
    narrative = ReportNarrative.objects.get(assessment=sample_assessment)
    assert (narrative.proposals_text, narrative.field_texts) == ("Ngắn.", {})
    assert narrative.history.count() == 1


def test_a_block_at_the_limit_is_stored(owner, sample_assessment):
    text = "x" * NARRATIVE_MAX_CHARS
    narrative = save_narrative(sample_assessment, owner, {"assessment_text": text})
    assert len(narrative.assessment_text) == NARRATIVE_MAX_CHARS
