"""Frameworks are data: the ministry's for provinces, and each province's own for its
departments and communes, per year."""

import pytest
from django.db import IntegrityError, transaction
from model_bakery import baker

from assessments.models import Framework, Subject, SubjectKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def provinces():
    a = baker.make(Subject, kind=SubjectKind.PROVINCE, name="Tỉnh A", code="01")
    b = baker.make(Subject, kind=SubjectKind.PROVINCE, name="Tỉnh B", code="02")
    return a, b


def test_each_province_has_its_own_department_framework(provinces):
    a, b = provinces
    national = Framework.objects.create(year=2024, subject_kind=SubjectKind.PROVINCE, name="Cấp tỉnh")
    own_a = Framework.objects.create(year=2024, subject_kind=SubjectKind.DEPARTMENT, owner=a, name="Sở – A")
    own_b = Framework.objects.create(year=2024, subject_kind=SubjectKind.DEPARTMENT, owner=b, name="Sở – B")
    dept_a = baker.make(Subject, kind=SubjectKind.DEPARTMENT, name="Sở Tư pháp", parent=a)
    dept_b = baker.make(Subject, kind=SubjectKind.DEPARTMENT, name="Sở Tư pháp", parent=b)
    assert Framework.objects.for_subject(a, 2024) == national
    assert Framework.objects.for_subject(dept_a, 2024) == own_a
    assert Framework.objects.for_subject(dept_b, 2024) == own_b
    assert Framework.objects.for_subject(dept_b, 2025) is None


def test_commune_under_a_district_finds_its_province(provinces):
    a, _ = provinces
    district = baker.make(Subject, kind=SubjectKind.DISTRICT, name="Huyện X", parent=a)
    commune = baker.make(Subject, kind=SubjectKind.COMMUNE, name="Xã Y", parent=district)
    own = Framework.objects.create(year=2024, subject_kind=SubjectKind.COMMUNE, owner=a, name="Xã – A")
    assert commune.province == a
    assert Framework.objects.for_subject(commune, 2024) == own


def test_one_national_and_one_own_framework_per_year_and_kind(provinces):
    a, _ = provinces
    Framework.objects.create(year=2024, subject_kind=SubjectKind.PROVINCE, name="1")
    Framework.objects.create(year=2024, subject_kind=SubjectKind.DEPARTMENT, owner=a, name="2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.create(year=2024, subject_kind=SubjectKind.PROVINCE, name="3")
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.create(year=2024, subject_kind=SubjectKind.DEPARTMENT, owner=a, name="4")


def test_a_national_framework_answers_to_each_province_s_own_agencies(reference_data):
    """Criteria of the ministry's framework name the agencies of every province using it;
    an assessment sees only its own province's."""
    from assessments import scoring
    from assessments.models import Agency, Assessment, Criterion

    framework = Framework.objects.get(year=2023, subject_kind=SubjectKind.PROVINCE, owner=None)
    other = Subject.objects.get(kind=SubjectKind.PROVINCE, code="72", valid_from=None)
    their_justice = Agency.objects.create(province=other, name="Sở Tư pháp")
    Criterion.objects.get(framework=framework, code="2").agencies.add(their_justice)
    theirs = Assessment.objects.create(subject=other, framework=framework)
    ours = Assessment.objects.get(subject__code="70", framework=framework)

    assert scoring.compute(theirs).by_code["2.1.1"].responsible == [their_justice]
    ours_names = [(a.name, a.province.code) for a in scoring.compute(ours).by_code["2.1.1"].responsible]
    assert ours_names == [("Sở Tư pháp", "70")]
