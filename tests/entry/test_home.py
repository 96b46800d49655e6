"""The home page: a bounded number of queries whatever the number of assessments, what
concerns each user, pagination and filters, and the figures of the reference sample."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import scoring, services
from assessments.models import (
    Agency,
    Assessment,
    Criterion,
    DeadlineExtension,
    Framework,
    GradeBand,
    Profile,
    Role,
    Score,
    Stage,
    Subject,
    SubjectKind,
    Submission,
)

Phase = Assessment.Phase


def make_framework(year, kind, *agencies, name="Bộ tiêu chí thử"):
    """Field 1 (two leaves) answered by the given agencies, field 2 by nobody."""
    framework = Framework.objects.create(year=year, subject_kind=kind, name=name)
    made = {}
    for code, max_score in [("1", "3"), ("1.1", "1"), ("1.2", "2"), ("2", "1"), ("2.1", "1")]:
        made[code] = Criterion.objects.create(
            framework=framework,
            parent=made.get(code.rpartition(".")[0]),
            code=code,
            name=f"Tiêu chí {code}",
            max_score=Decimal(max_score),
        )
    made["1"].agencies.set(agencies)
    GradeBand.objects.create(framework=framework, label="Nhóm A", min_index=Decimal(90))
    return framework


def add_assessments(pairs, **fields):
    """Assessments of (subject, framework) pairs in one query, each leaf scored (one query)."""
    made = Assessment.objects.bulk_create(
        [Assessment(subject=subject, framework=framework, **fields) for subject, framework in pairs]
    )
    made = list(Assessment.objects.filter(pk__in=[a.pk for a in made]).select_related("framework"))
    leaves = {}
    for assessment in made:
        if assessment.framework_id not in leaves:
            leaves[assessment.framework_id] = list(
                Criterion.objects.filter(framework=assessment.framework, children__isnull=True)
            )
    Score.objects.bulk_create(
        [
            Score(assessment=a, criterion=c, self_score=c.max_score, appraised_score=c.max_score / 2)
            for a in made
            for c in leaves[a.framework_id]
        ]
    )
    return made


def departments(province, count, start=0, kind=SubjectKind.DEPARTMENT):
    label = "Sở" if kind == SubjectKind.DEPARTMENT else "Xã"
    return Subject.objects.bulk_create(
        [
            Subject(kind=kind, name=f"{label} thử {i:02d}", parent=province)
            for i in range(start, start + count)
        ]
    )


def soon(days=10):
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def home_world(small):
    """Three assessments of Tỉnh Thử: its open 2031 one (from `small`), its published 2030
    one, and one of its departments in 2031; plus frameworks for growing it."""
    province = small["assessment"].subject
    stp, vp = small["agency"], small["other"]
    frameworks = {
        ("province", 2030): make_framework(2030, SubjectKind.PROVINCE, stp),
        ("department", 2031): make_framework(2031, SubjectKind.DEPARTMENT, stp),
        ("commune", 2031): make_framework(2031, SubjectKind.COMMUNE),
    }
    add_assessments([(province, frameworks[("province", 2030)])], phase=Phase.PUBLISHED)
    add_assessments(
        [(departments(province, 1)[0], frameworks[("department", 2031)])], phase=Phase.SELF_ASSESSMENT
    )
    DeadlineExtension.objects.create(
        assessment=small["assessment"],
        stage=Stage.SELF_ASSESSMENT,
        agency=stp,
        until=soon(20),
        reason="Chờ số liệu",
        created_by=small["users"]["process_owner"],
    )
    superuser = get_user_model().objects.create_user(
        username="root", password="x-test-pass-123", is_superuser=True, is_staff=True
    )
    return {**small, "province": province, "stp": stp, "vp": vp, "frameworks": frameworks, "root": superuser}


# The province's earlier years: who answers for field 1, and the phase.
EARLIER_YEARS = {
    2020: ("stp", Phase.SELF_ASSESSMENT),  # Sở Tư pháp has sent its part
    2021: ("vp", Phase.EXPLANATION),
    2022: ("vp", Phase.PUBLISHED),
    2023: ("stp", Phase.APPRAISAL),
    2024: ("vp", Phase.SELF_ASSESSMENT),
    2025: ("stp", Phase.EXPLANATION),
    2026: ("stp", Phase.PUBLISHED),
    2027: ("vp", Phase.APPRAISAL),
    2028: ("stp", Phase.SELF_ASSESSMENT),
    2029: ("vp", Phase.EXPLANATION),
}


def grow(world, *, extra_departments=9, communes=8):
    """27 more assessments: the province's earlier years (EARLIER_YEARS), more departments,
    communes."""
    province = world["province"]
    for year, (answering, phase) in EARLIER_YEARS.items():
        agency = world[answering]
        framework = make_framework(year, SubjectKind.PROVINCE, agency)
        (assessment,) = add_assessments(
            [(province, framework)],
            phase=phase,
            self_assessment_deadline=soon(year - 2025),
            explanation_deadline=soon(year - 2025),
        )
        if year == 2020:
            Submission.objects.create(
                assessment=assessment,
                agency=agency,
                stage=Stage.SELF_ASSESSMENT,
                status="submitted",
                submitted_at=timezone.now(),
            )
    department_framework = world["frameworks"][("department", 2031)]
    commune_framework = world["frameworks"][("commune", 2031)]
    add_assessments(
        [(s, department_framework) for s in departments(province, extra_departments, start=1)],
        phase=Phase.SELF_ASSESSMENT,
    )
    add_assessments(
        [(s, commune_framework) for s in departments(province, communes, kind=SubjectKind.COMMUNE)],
        phase=Phase.PUBLISHED,
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def rows_of(response, key="rows"):
    return [
        (row["assessment"].subject.name, row["assessment"].framework.year) for row in response.context[key]
    ]


ROLES = ["editor", "other_editor", "process_owner", "appraiser", "viewer", "root"]


def _user(world, role):
    return world["root"] if role == "root" else world["users"][role]


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_assessments(client, home_world):
    before = {}
    for role in ROLES:
        client.force_login(_user(home_world, role))
        before[role], _ = count_queries(client, reverse("assessments:home"))
    assert Assessment.objects.count() == 3
    grow(home_world)
    assert Assessment.objects.count() == 30
    after = {}
    for role in ROLES:
        client.force_login(_user(home_world, role))
        after[role], response = count_queries(client, reverse("assessments:home"))
        assert response.context["rows"], role
    assert after == before
    # the second page and a filtered page cost the same too
    client.force_login(home_world["users"]["process_owner"])
    assert count_queries(client, reverse("assessments:home") + "?page=2")[0] == before["process_owner"]
    assert (
        count_queries(client, reverse("assessments:home") + "?year=2031&kind=department")[0]
        == before["process_owner"]
    )
    print("home page queries by role:", after)


@pytest.mark.django_db
def test_department_editor_sees_what_concerns_its_agency(client, home_world):
    grow(home_world)
    province, stp = home_world["province"], home_world["stp"]
    other_province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Khác", code="98")
    Agency.objects.create(province=other_province, name="Sở Tư pháp", short_name="STP")
    add_assessments(
        [(other_province, home_world["frameworks"][("province", 2030)])], phase=Phase.SELF_ASSESSMENT
    )
    Assessment.objects.filter(subject=province, framework__year=2028).update(is_locked=True)

    client.force_login(home_world["users"]["editor"])
    response = client.get(reverse("assessments:home"))
    html = response.content.decode()
    # the open (self-assessment or explanation, not locked) assessments of the province where
    # Sở Tư pháp answers, newest first, the province before its departments (whose framework
    # Sở Tư pháp also answers for): not 2028 (locked), 2023 (appraisal), 2026 (published),
    # nor Văn phòng UBND's years, the communes' (published) or the other province's.
    departments_2031 = [(f"Sở thử {i:02d}", 2031) for i in range(10)]
    assert rows_of(response) == [
        ("Tỉnh Thử", 2031),
        *departments_2031,
        ("Tỉnh Thử", 2025),
        ("Tỉnh Thử", 2020),
    ]
    for row in response.context["rows"]:
        assert reverse("assessments:entry", args=[row["assessment"].pk, stp.pk]) in html
    # the province's recent published results, newest first, figures only
    assert rows_of(response, "published_rows") == [("Tỉnh Thử", 2030), ("Tỉnh Thử", 2026), ("Tỉnh Thử", 2022)]
    published = Assessment.objects.get(subject=province, framework__year=2030)
    # Its parts that are closed now (appraisal, locked, published) stay readable, newest first
    # (issue 13 item 5): the link opens its own part, read-only; the report stays closed.
    closed = rows_of(response, "closed_rows")
    assert closed[:4] == [("Tỉnh Thử", 2030), ("Tỉnh Thử", 2028), ("Tỉnh Thử", 2026), ("Tỉnh Thử", 2023)], (
        closed
    )
    assert reverse("assessments:entry", args=[published.pk, stp.pk]) in html
    assert reverse("reports:detail", args=[published.pk]) not in html
    assert "2 / 4" in html and "50,00" in html  # half of each leaf's max was appraised
    # deadline notices: only its own parts not yet sent (2020's is sent)
    assert [(item.agency.pk, item.assessment.year) for item in response.context["due"]] == [
        (stp.pk, 2031),
        *[(stp.pk, 2031)] * 10,
        (stp.pk, 2025),
    ]
    assert "Văn phòng UBND" not in html
    assert "Trang sau" not in html and "Tỉnh Khác" not in html and "Xã thử" not in html

    client.force_login(home_world["users"]["other_editor"])
    response = client.get(reverse("assessments:home"))
    assert [year for _, year in rows_of(response)] == [2031, 2029, 2024, 2021]
    assert {item.assessment.year for item in response.context["due"]} == {2031, 2029, 2024, 2021}


@pytest.mark.django_db
def test_province_list_is_paginated_and_filtered(client, home_world):
    grow(home_world)
    other_province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Khác", code="98")
    add_assessments(
        [(other_province, home_world["frameworks"][("province", 2030)])], phase=Phase.SELF_ASSESSMENT
    )
    client.force_login(home_world["users"]["process_owner"])
    response = client.get(reverse("assessments:home"))
    html = response.content.decode()
    rows = rows_of(response)
    assert len(rows) == 25
    assert rows[0] == ("Tỉnh Thử", 2031)  # newest year first, the province before its units
    assert [year for _, year in rows] == sorted((year for _, year in rows), reverse=True)
    assert "Trang 1/2" in html and "trong 30 đợt đánh giá" in html
    assert 'href="?page=2"' in html and "Trang sau" in html
    assert "Tỉnh Khác" not in html
    response = client.get(reverse("assessments:home"), {"page": 2})
    assert len(response.context["rows"]) == 5
    html = response.content.decode()
    assert "Trang 2/2" in html and 'href="?page=1"' in html and "Trang trước" in html
    seen = set(rows) | set(rows_of(response))
    assert len(seen) == 30
    # a page that does not exist gives the last one, not an error
    assert client.get(reverse("assessments:home"), {"page": "99"}).context["page_obj"].number == 2
    assert client.get(reverse("assessments:home"), {"page": "abc"}).context["page_obj"].number == 1

    response = client.get(reverse("assessments:home"), {"year": "2031", "kind": "department"})
    assert len(rows_of(response)) == 10
    assert {year for _, year in rows_of(response)} == {2031}
    assert all(row["assessment"].subject.kind == "department" for row in response.context["rows"])
    assert "Bỏ lọc" in response.content.decode()
    response = client.get(reverse("assessments:home"), {"kind": "commune", "page": "1"})
    assert len(rows_of(response)) == 8
    response = client.get(reverse("assessments:home"), {"year": "1999"})
    assert "Không có đợt đánh giá nào khớp với bộ lọc." in response.content.decode()
    response = client.get(reverse("assessments:home"), {"year": "abc", "kind": "nonsense"})
    assert response.context["page_obj"].paginator.count == 30
    # the filter keeps to the next page
    response = client.get(reverse("assessments:home"), {"year": "", "kind": "", "page": "1"})
    assert "page=2" in response.content.decode()

    # a superuser without an agency sees every province
    client.force_login(home_world["root"])
    response = client.get(reverse("assessments:home"), {"page": 2})
    assert response.context["page_obj"].paginator.count == 31


@pytest.mark.django_db
def test_process_owner_notice_lists_parts_not_sent(client, home_world):
    client.force_login(home_world["users"]["process_owner"])
    due = client.get(reverse("assessments:home")).context["due"]
    # 2031: Sở Tư pháp (field 1) and Văn phòng UBND (field 2) answer; nobody has sent
    assert {(item.agency.short_name, item.assessment.year) for item in due} == {
        ("STP", 2031),
        ("VP UBND", 2031),
    }
    stp_item = next(item for item in due if item.agency.short_name == "STP")
    assert stp_item.deadline > home_world["assessment"].self_assessment_deadline  # the extension
    for role in ("appraiser", "viewer"):
        client.force_login(home_world["users"][role])
        assert client.get(reverse("assessments:home")).context["due"] == []


@pytest.mark.django_db
def test_open_parts_many_agrees_with_open_parts(home_world):
    grow(home_world)
    assessments = list(Assessment.objects.select_related("subject", "framework"))
    many = services.open_parts_many(assessments)
    for assessment in assessments:
        single = services.open_parts(assessment)
        assert [(i.agency.pk, i.stage, i.deadline, i.submitted, i.overdue) for i in single] == [
            (i.agency.pk, i.stage, i.deadline, i.submitted, i.overdue) for i in many[assessment.pk]
        ]


@pytest.mark.django_db
def test_compute_many_equals_compute_with_constant_queries(home_world, django_assert_num_queries):
    grow(home_world)
    assessments = list(Assessment.objects.select_related("subject", "framework"))
    with django_assert_num_queries(3):  # criteria, scores, grade bands
        results = scoring.compute_many(assessments)
    with django_assert_num_queries(5):  # and the criteria's agencies, the subjects' provinces
        with_agencies = scoring.compute_many(assessments[:3], with_agencies=True)
    for assessment in assessments:
        one, expected = results[assessment.pk], scoring.compute(assessment)
        assert one.as_dict() == expected.as_dict()
        assert one.grade == expected.grade
    for pk, result in with_agencies.items():
        expected = scoring.compute(Assessment.objects.get(pk=pk))
        assert [n.responsible_agency_names for n in result.nodes()] == [
            n.responsible_agency_names for n in expected.nodes()
        ]
    assert scoring.compute_many([]) == {}


@pytest.mark.django_db
def test_sample_figures_still_show(client, sample_assessment, make_user):
    snv = Agency.objects.get(province=sample_assessment.subject, is_process_owner=True)
    for user in (
        make_user("alice", Role.PROCESS_OWNER, snv),
        make_user("erin", Role.VIEWER, province=snv.province),
    ):
        client.force_login(user)
        html = client.get(reverse("assessments:home")).content.decode()
        assert "Tỉnh Bình Phước" in html
        assert "88,0115 / 100" in html and "88,01" in html
    assert Profile.objects.count() == 2


@pytest.mark.django_db
def test_a_long_notice_is_cut_short(client, home_world, monkeypatch):
    home_view = importlib.import_module("assessments.views.home")
    monkeypatch.setattr(home_view, "DUE_SHOWN", 1)
    client.force_login(home_world["users"]["process_owner"])
    response = client.get(reverse("assessments:home"))
    # three parts are due: Sở Tư pháp's and Văn phòng UBND's in the province's 2031 assessment,
    # and Sở Tư pháp's in its department's (the province's agencies answer there too)
    assert len(response.context["due"]) == 1
    assert "… và 2 phần việc khác chưa gửi" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["²", "²⁰²³", "٢٠٢٣", "2023²", "20 23", "99999999999999999999999"])
def test_a_year_that_is_not_a_number_is_ignored_with_a_message(client, sample_assessment, make_user, year):
    client.force_login(make_user("erin", Role.VIEWER, province=sample_assessment.subject))
    response = client.get(reverse("assessments:home"), {"year": year})
    assert response.status_code == 200
    assert response.context["filter"].year is None
    assert "Tỉnh Bình Phước" in response.content.decode()
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"Năm “{year[:20]}” không hợp lệ: đang hiện mọi năm."]
