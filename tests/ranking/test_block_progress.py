"""Sở Nội vụ's progress page of a whole block: each unit's phase, submitted parts, self-assessed
and appraised counts, linked to the unit's progress page; 404 outside the province; queries
that do not grow with the number of units."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Agency, Assessment, CriterionAgency, Role, SubjectKind, Submission
from tests.accounts import make_account

from .conftest import make_block, make_framework, make_unit, score_units

pytestmark = pytest.mark.django_db


def url(province, year=2024, kind="department"):
    return reverse("assessments:block_progress", args=[province.pk, year, kind])


@pytest.fixture
def block(province):
    framework = make_framework(province, 2024)
    units = [make_unit(province, name) for name in ("Sở An", "Sở Bình")]
    agencies = [Agency.objects.create(province=province, name=u.name) for u in units]
    CriterionAgency.objects.bulk_create(
        CriterionAgency(criterion=c, agency=a) for c in framework.criteria.all() for a in agencies
    )
    appraised, entering = score_units(
        framework,
        [(units[0], {"1.1": "30", "1.2": "30", "2.1": "30", "3.1": "0", "3.2": "0"}), (units[1], {})],
    )
    Submission.objects.create(
        assessment=appraised,
        agency=agencies[0],
        status=Submission.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Assessment.objects.filter(pk=appraised.pk).update(phase=Assessment.Phase.APPRAISAL)
    return {"appraised": appraised, "entering": entering, "agencies": agencies}


def test_each_unit_with_its_phase_parts_and_counts(province, block):
    progress = services.block_progress(province, 2024, SubjectKind.DEPARTMENT)
    first, second = progress.units
    assert first.assessment.subject.name == "Sở An" and first.phase_label == "Thẩm định"
    assert [(p.agency.name, p.submitted) for p in first.parts] == [("Sở An", True)]
    assert (first.self_filled, first.self_total) == (5, 5) and first.is_appraised
    assert [(p.agency.name, p.submitted) for p in second.parts] == [("Sở Bình", False)]
    assert (second.self_filled, second.appraised) == (0, 0) and not second.is_appraised
    assert (progress.submitted_count, progress.appraised_count) == (1, 1)


@pytest.mark.parametrize("role", ["process_owner", "appraiser", "viewer"])
def test_page_lists_units_linked_to_their_progress(client, province, accounts, block, role):
    client.force_login(accounts[role])
    response = client.get(url(province))
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("assessments:progress", args=[block["appraised"].pk]) in text
    assert reverse("assessments:progress", args=[block["entering"].pk]) in text
    assert "Đã thẩm định" in text and "Chưa gửi" in text and "Đã gửi" in text


def test_outside_the_province_or_for_an_editor_404(client, province, accounts, block):
    client.force_login(accounts["other_province"])
    assert client.get(url(province)).status_code == 404
    client.force_login(make_account("bob", Role.DEPARTMENT_EDITOR, province, agency=block["agencies"][0]))
    assert client.get(url(province)).status_code == 404


def test_unknown_year_or_kind_is_404(client, province, accounts, block):
    client.force_login(accounts["process_owner"])
    assert client.get(url(province, year=2019)).status_code == 404
    assert client.get(url(province, kind="truong-hoc")).status_code == 404


@pytest.mark.parametrize("count", [20, 150])
def test_block_progress_queries_do_not_grow_with_units(
    client, province, accounts, count, django_assert_max_num_queries
):
    make_block(province, 2024, count)
    client.force_login(accounts["process_owner"])
    with django_assert_max_num_queries(16):
        response = client.get(url(province))
    assert len(response.context["progress"].units) == count
