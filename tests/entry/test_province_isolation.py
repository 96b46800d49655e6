"""One province per account: the Sở Nội vụ, appraiser, viewer and department editor of a
second province, by direct request, on every page and action of the first province's
assessment — 404 each time, and the database does not change. A superuser sees every
province; the admin lists only the account's province."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import permissions, services
from assessments.models import (
    Agency,
    Assessment,
    Criterion,
    DeadlineExtension,
    Evidence,
    Framework,
    Role,
    Score,
    Subject,
    SubjectKind,
    Submission,
    WorkflowEvent,
)
from reports.compose import compose
from reports.facts import gather
from reports.models import ChartDrawing, RenderedReport, ReportNarrative

from .conftest import fill_all, matrix_world
from .test_permission_matrix import _perform, _prepare

OUTSIDERS = ["process_owner", "appraiser", "viewer", "editor"]

# The matrix's own actions (its _prepare and _perform), then the rest of the site.
MATRIX_ACTIONS = [
    "view",
    "save_self_score",
    "submit",
    "return",
    "appraise",
    "lock",
    "download_evidence",
    "set_applicability",
]


def _site_requests(world):
    """(method, url, data) of every other page and action of the assessment."""
    assessment, agency, cid = world["assessment"], world["agency"], world["leaf"].criterion.pk
    pk = assessment.pk
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n")
    return [
        ("get", reverse("assessments:my_entry", args=[pk]), {}),
        ("get", reverse("assessments:entry_export", args=[pk, agency.pk]), {}),
        ("get", reverse("assessments:progress", args=[pk]), {}),
        ("get", reverse("assessments:appraisal", args=[pk]), {}),
        (
            "post",
            reverse("assessments:extend", args=[pk]),
            {"stage": "self_assessment", "agency": agency.pk, "until": later, "reason": "Thử"},
        ),
        ("post", reverse("assessments:phase", args=[pk]), {"phase": "appraisal"}),
        ("post", reverse("assessments:unlock", args=[pk]), {"reason": "Thử"}),
        ("post", reverse("assessments:evidence_upload", args=[pk, agency.pk, cid]), {"file": upload}),
        ("post", reverse("assessments:evidence_delete", args=[world["evidence"].pk]), {}),
        ("get", reverse("assessments:criterion_history", args=[pk, cid]), {}),
        ("get", reverse("reports:detail", args=[pk]), {}),
        ("get", reverse("reports:files", args=[pk]), {}),
        *[("get", reverse("reports:chart", args=[pk, kind]), {}) for kind in ("index", "rank")],
        *[("get", reverse("reports:download", args=[pk, fmt]), {}) for fmt in ("pdf", "docx", "html")],
        ("get", reverse("reports:edit", args=[pk]), {}),
        ("post", reverse("reports:edit", args=[pk]), {"assessment_text": "Sửa trộm"}),
    ]


def drawn(assessment):
    """Both of the report's charts kept as drawn (reports/drawings.py), so that a 404 for
    them comes from the province, not from a missing drawing."""
    for kind in ("index", "rank"):
        ChartDrawing.objects.create(assessment=assessment, kind=kind, key=kind * 8, svg="<svg></svg>")


def _admin_requests(world):
    pk, score = world["assessment"].pk, world["score"]
    return [
        ("get", reverse("admin:assessments_assessment_change", args=[pk]), {}),
        ("post", reverse("admin:assessments_assessment_change", args=[pk]), {"phase": "published"}),
        ("get", reverse("admin:assessments_assessment_history", args=[pk]), {}),
        ("get", reverse("admin:assessments_assessment_export_annex", args=[pk]), {}),
        ("get", reverse("admin:assessments_score_change", args=[score.pk]), {}),
        ("post", reverse("admin:assessments_score_change", args=[score.pk]), {"self_score": "0,9"}),
        ("get", reverse("admin:assessments_score_history", args=[score.pk]), {}),
        ("get", reverse("admin:assessments_evidence_change", args=[world["evidence"].pk]), {}),
        ("get", reverse("admin:assessments_agency_change", args=[world["agency"].pk]), {}),
        ("post", reverse("admin:assessments_agency_change", args=[world["agency"].pk]), {"name": "Sở Đổi"}),
        ("get", reverse("admin:assessments_profile_change", args=[world["editor_profile"].pk]), {}),
    ]


def snapshot():
    """Everything an action could change, as plain values."""
    tables = [
        Assessment.objects.values_list("pk", "phase", "is_locked", "self_assessment_deadline"),
        Score.objects.values_list("pk", "applicable", "self_score", "appraised_score", "version"),
        Agency.objects.values_list("pk", "name"),
        Submission.objects.values_list("pk", "status", "stage"),
        DeadlineExtension.objects.values_list("pk", "until"),
        WorkflowEvent.objects.values_list("pk"),
        Evidence.objects.values_list("pk"),
        ReportNarrative.objects.values_list("pk"),
        RenderedReport.objects.values_list("pk"),
        Assessment.history.values_list("pk"),
        Score.history.values_list("pk"),
    ]
    return [sorted(rows.order_by()) for rows in tables]


@pytest.fixture
def users(small):
    return small["users"]


@pytest.fixture
def world(small):
    return matrix_world(small)


@pytest.fixture
def second(small, make_user):
    """Tỉnh Khác (98) with its own Sở Nội vụ and Sở Tư pháp, and its four accounts (staff,
    with every admin permission of the apps)."""
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Khác", code="98")
    snv = Agency.objects.create(province=province, name="Sở Nội vụ", short_name="SNV", is_process_owner=True)
    stp = Agency.objects.create(province=province, name="Sở Tư pháp", short_name="STP")
    small["criteria"]["1"].agencies.add(stp)  # the national framework: every province's agencies
    users = {
        "process_owner": make_user("snv2", Role.PROCESS_OWNER, snv, is_staff=True),
        "appraiser": make_user("thamdinh2", Role.APPRAISER, province=province, is_staff=True),
        "viewer": make_user("lanhdao2", Role.VIEWER, province=province, is_staff=True),
        "editor": make_user("cb-stp2", Role.DEPARTMENT_EDITOR, stp, is_staff=True),
    }
    every = Permission.objects.filter(content_type__app_label__in=["assessments", "reports"])
    for user in users.values():
        user.user_permissions.set(every)
    return {"province": province, "users": users, "stp": stp}


@pytest.fixture
def scored(world, small):
    fill_all(world["assessment"], world["agency"], small["users"]["editor"], "0")
    return {
        **world,
        "score": Score.objects.filter(assessment=world["assessment"]).first(),
        "editor_profile": small["users"]["editor"].parindex_profile,
    }


def _request(client, method, url, data):
    response = getattr(client, method)(url, data)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("action", MATRIX_ACTIONS)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_other_province_gets_404_on_every_matrix_action(client, world, users, second, persona, action):
    _prepare(action, world, users)
    before = snapshot()
    client.force_login(second["users"][persona])
    response = _perform(client, action, world)
    assert response.status_code == 404, (persona, action, response.status_code)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_other_province_gets_404_on_every_page_report_and_admin_page(client, scored, second, persona):
    drawn(scored["assessment"])
    before = snapshot()
    client.force_login(second["users"][persona])
    for method, url, data in _site_requests(scored) + _admin_requests(scored):
        response = _request(client, method, url, data)
        assert response.status_code == 404, (persona, method, url, response.status_code)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_other_province_sees_nothing_in_the_lists(client, scored, second, small, persona):
    """Home page, admin changelists of assessments and scores: the first province is absent;
    the account's own province's assessment is listed."""
    own = Assessment.objects.create(
        subject=second["province"],
        framework=scored["assessment"].framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
    )
    client.force_login(second["users"][persona])
    home = client.get(reverse("assessments:home"))
    listed = {row["assessment"].pk for row in home.context["rows"]}
    assert scored["assessment"].pk not in listed
    assert "Tỉnh Thử" not in home.content.decode()
    changelist = client.get(reverse("admin:assessments_assessment_changelist"))
    assert [a.pk for a in changelist.context["cl"].result_list] == [own.pk]
    scores = client.get(reverse("admin:assessments_score_changelist"))
    assert list(scores.context["cl"].result_list) == []
    for name in ("evidence", "submission", "workflowevent", "deadlineextension"):
        page = client.get(reverse(f"admin:assessments_{name}_changelist"))
        assert list(page.context["cl"].result_list) == [], name
    for name in ("agency", "profile"):
        page = client.get(reverse(f"admin:assessments_{name}_changelist"))
        assert {obj.province for obj in page.context["cl"].result_list} == {second["province"]}, name


@pytest.mark.django_db
def test_the_same_requests_are_allowed_in_the_own_province(client, scored, small):
    """The 404s above come from the province, not from the requests: Sở Nội vụ of the first
    province (made staff) gets its pages."""
    owner = small["users"]["process_owner"]
    owner.is_staff = True
    owner.save()
    owner.user_permissions.set(Permission.objects.filter(content_type__app_label="assessments"))
    client.force_login(owner)
    pk = scored["assessment"].pk
    drawn(scored["assessment"])
    for url in (
        reverse("reports:files", args=[pk]),
        reverse("reports:chart", args=[pk, "index"]),
        reverse("assessments:progress", args=[pk]),
        reverse("admin:assessments_assessment_change", args=[pk]),
        reverse("admin:assessments_score_change", args=[scored["score"].pk]),
        reverse("admin:assessments_score_history", args=[scored["score"].pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_superuser_sees_every_province(client, scored, second, django_user_model):
    root = django_user_model.objects.create_user(
        username="root", password="x-test-pass-123", is_superuser=True, is_staff=True
    )
    client.force_login(root)
    pk = scored["assessment"].pk
    assert client.get(reverse("assessments:progress", args=[pk])).status_code == 200
    assert client.get(reverse("admin:assessments_assessment_change", args=[pk])).status_code == 200
    assert client.get(reverse("assessments:entry", args=[pk, scored["agency"].pk])).status_code == 200


@pytest.mark.django_db
def test_an_unknown_admin_object_is_still_reported_as_missing(client, scored, second):
    """Only what exists elsewhere is a 404; a missing id keeps the admin's own message."""
    client.force_login(second["users"]["process_owner"])
    response = client.get(reverse("admin:assessments_assessment_change", args=[999999]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_account_without_province_sees_nothing(client, world, make_user):
    stray = make_user("stray", Role.VIEWER)
    client.force_login(stray)
    assert client.get(reverse("assessments:progress", args=[world["assessment"].pk])).status_code == 404
    assert client.get(reverse("assessments:home")).context["rows"] == []


@pytest.mark.django_db
def test_reminders_stay_in_the_province(second, small):
    """Sở Nội vụ's notice lists its own province's parts only."""
    Assessment.objects.create(
        subject=second["province"],
        framework=small["assessment"].framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=3),
    )
    mine = services.due_for_user(
        small["users"]["process_owner"], services.answering_assessments(small["users"]["process_owner"])
    )
    theirs = services.due_for_user(
        second["users"]["process_owner"], services.answering_assessments(second["users"]["process_owner"])
    )
    assert {item.assessment.subject.name for item in mine} == {"Tỉnh Thử"}
    assert {item.agency.province.name for item in theirs} == {"Tỉnh Khác"}


# --- which province owns an assessment ----------------------------------------------------


def _unit_framework(small, kind, owner):
    """A framework the province issues for its units, field 1 answered by Sở Tư pháp."""
    framework = Framework.objects.create(year=2031, subject_kind=kind, owner=owner, name="Bộ tiêu chí sở")
    field = Criterion.objects.create(framework=framework, code="1", name="Lĩnh vực", max_score=Decimal(2))
    Criterion.objects.create(framework=framework, parent=field, code="1.1", name="TC", max_score=Decimal(2))
    field.agencies.set([small["agency"]])
    return framework


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["department", "commune_of_district", "framework_owner"])
def test_a_units_assessment_belongs_to_its_province_and_shows_its_agencies(client, small, second, where):
    """A department's (parent: the province), a commune's (parent: a district of the province)
    or a parentless unit's on a framework the province issued: province_of gives the province,
    its agencies answer, its accounts open it and the other province's get 404."""
    province = small["assessment"].subject
    if where == "department":
        subject = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="Sở Xây dựng", parent=province)
    elif where == "commune_of_district":
        district = Subject.objects.create(kind=SubjectKind.DISTRICT, name="Huyện Một", parent=province)
        subject = Subject.objects.create(kind=SubjectKind.COMMUNE, name="Xã Một", parent=district)
    else:
        subject = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="Ban Quản lý")
    kind = SubjectKind.COMMUNE if where == "commune_of_district" else SubjectKind.DEPARTMENT
    assessment = Assessment.objects.create(
        subject=subject,
        framework=_unit_framework(small, kind, province),
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=5),
    )
    assessment = Assessment.objects.select_related("subject", "framework").get(pk=assessment.pk)
    assert permissions.province_of(assessment) == province
    assert permissions.visible_assessments(small["users"]["viewer"]).filter(pk=assessment.pk).exists()
    assert services.agencies_of(assessment) == list(
        Agency.objects.filter(province=province).order_by("-is_process_owner", "name")
    )
    assert [item.agency for item in services.open_parts(assessment)] == [small["agency"]]
    report = compose(gather(assessment))  # issued by the province's Sở Nội vụ, under its UBND
    assert (report.header.parent_body, report.header.issuing_body) == ("UBND TỈNH TỈNH THỬ", "SỞ NỘI VỤ")
    client.force_login(small["users"]["process_owner"])
    progress = client.get(reverse("assessments:progress", args=[assessment.pk]))
    assert progress.status_code == 200
    assert "Sở Tư pháp" in progress.content.decode()
    client.force_login(small["users"]["editor"])
    assert (
        client.get(reverse("assessments:entry", args=[assessment.pk, small["agency"].pk])).status_code == 200
    )
    client.force_login(second["users"]["process_owner"])
    assert client.get(reverse("assessments:progress", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:entry", args=[assessment.pk, second["stp"].pk])).status_code == 404
