"""In a unit's own assessment only the unit's own agency (the agency of the unit's name) answers
for the block framework's criteria, though every unit's agency is linked to them: it leads,
it is reminded, its editor enters on the usual entry page; a peer unit's agency does not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Agency, Assessment, CriterionAgency, Role
from tests.accounts import make_account

from .conftest import make_framework, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(province):
    framework = make_framework(province, 2024)
    subjects = [make_unit(province, name) for name in ("Sở An", "Sở Bình")]
    agencies = [Agency.objects.create(province=province, name=s.name) for s in subjects]
    CriterionAgency.objects.bulk_create(
        CriterionAgency(criterion=c, agency=a) for c in framework.criteria.all() for a in agencies
    )
    deadline = timezone.now() + datetime.timedelta(days=5)
    assessments = [
        services.open_assessment(
            s, framework, phase=Assessment.Phase.SELF_ASSESSMENT, self_assessment_deadline=deadline
        )
        for s in subjects
    ]
    return {"assessments": assessments, "agencies": agencies}


def test_only_the_unit_agency_leads_in_its_assessment(units):
    for assessment, agency in zip(units["assessments"], units["agencies"], strict=True):
        for result in (
            scoring.compute(assessment),
            scoring.compute_many([assessment], with_agencies=True)[assessment.pk],
        ):
            leaves = list(result.leaves())
            assert leaves and all(leaf.leads == [agency] and leaf.responsible == [agency] for leaf in leaves)


def test_reminders_name_the_unit_agency_only(units):
    for assessment, agency in zip(units["assessments"], units["agencies"], strict=True):
        assert [item.agency for item in services.open_parts(assessment)] == [agency]


def test_the_unit_editor_enters_its_own_and_a_peer_sees_nothing_to_score(client, province, units):
    an, binh = units["agencies"]
    own = units["assessments"][0]
    client.force_login(make_account("cb-an", Role.DEPARTMENT_EDITOR, province, agency=an))
    response = client.get(reverse("assessments:entry", args=[own.pk, an.pk]))
    assert response.status_code == 200
    assert "Tiêu chí 1.1" in response.content.decode()
    client.force_login(make_account("cb-binh", Role.DEPARTMENT_EDITOR, province, agency=binh))
    response = client.get(reverse("assessments:entry", args=[own.pk, binh.pk]))
    assert "Tiêu chí 1.1" not in response.content.decode()
    assert services.editor_home(response.wsgi_request.user).open == [units["assessments"][1]]
