"""The demo's block of departments: units, a framework of the province's own, assessments
taken through the cycle by the services, a ranking; loading twice changes nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from assessments import scoring
from assessments.demo_units import APPRAISED, DEMO_UNITS, EDITOR_UNITS
from assessments.management.commands.load_demo_accounts import province_in_year
from assessments.models import (
    Agency,
    Assessment,
    Framework,
    GradeBand,
    Profile,
    Role,
    Score,
    Section,
    Subject,
    SubjectKind,
    Submission,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(reference_data):
    call_command("load_demo_accounts", stdout=StringIO())
    return province_in_year("70", 2024)


def test_demo_has_a_block_of_departments_on_the_province_framework(demo):
    framework = Framework.objects.get(year=2024, subject_kind=SubjectKind.DEPARTMENT, owner=demo)
    units = Subject.objects.filter(kind=SubjectKind.DEPARTMENT, parent=demo)
    assert units.count() == len(DEMO_UNITS)
    tree = scoring.compute_framework(framework)
    assert len(list(tree.main_leaves())) == 17 and len(list(tree.leaves())) == 20
    assert {c.section for c in framework.criteria.filter(level=1)} == {
        Section.MAIN,
        Section.BONUS,
        Section.DEDUCTION,
    }
    assert list(GradeBand.objects.filter(framework=framework).values_list("label", flat=True)) == [
        "Xuất sắc",
        "Tốt",
        "Khá",
        "Trung bình",
        "Yếu",
    ]
    assert Assessment.objects.filter(framework=framework).count() == len(DEMO_UNITS)


def test_demo_units_are_ranked_and_the_unappraised_are_not(demo):
    out = StringIO()
    call_command(
        "ranking", "--province", "70", "--year", "2024", "--kind", "department", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    ranked = [row for row in data if row["rank"] is not None]
    assert len(ranked) == len(APPRAISED)
    assert all(row["grade"] for row in ranked)
    assert ranked[0]["rank"] == 1


def test_demo_editors_enter_their_own_unit_only(demo):
    for code, username in EDITOR_UNITS.items():
        profile = Profile.objects.select_related("agency").get(user__username=username)
        assert profile.role == Role.DEPARTMENT_EDITOR
        name = next(n for c, n, _s in DEMO_UNITS if c == code)
        assert profile.agency.name == name
        assessment = Assessment.objects.get(subject__name=name, framework__year=2024, framework__owner=demo)
        result = scoring.compute(assessment)
        assert all(leaf.leads == [profile.agency] for leaf in result.leaves())


def test_demo_cycle_went_through_the_services(demo):
    submitted = Submission.objects.filter(
        assessment__framework__owner=demo, status=Submission.Status.SUBMITTED
    ).count()
    assert submitted == len(APPRAISED) + 1
    assert Assessment.objects.filter(
        framework__owner=demo, framework__year=2024, phase="appraisal"
    ).count() == len(APPRAISED)
    assert Score.history.filter(assessment__framework__owner=demo).exists()


def test_loading_the_demo_twice_changes_nothing(demo):
    before = (
        Score.objects.count(),
        Assessment.objects.count(),
        Agency.objects.count(),
        Subject.objects.count(),
    )
    call_command("load_demo_accounts", stdout=StringIO())
    after = (
        Score.objects.count(),
        Assessment.objects.count(),
        Agency.objects.count(),
        Subject.objects.count(),
    )
    assert before == after
