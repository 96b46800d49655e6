"""Each role against each action, by direct GET/POST: 404 outside the user's scope, 403
when read-only, 405 for a wrong method; and the same rules as the pages show them.
Marking a criterion "không áp dụng" is Sở Nội vụ's alone."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Evidence, Score, Submission

from .conftest import PDF_BYTES, fill_all, leaves_of, matrix_world

ROLES = ["anonymous", "process_owner", "editor", "other_editor", "appraiser", "viewer"]

# action -> expected status per role (302 = done and redirected; anonymous goes to login).
MATRIX = {
    "view": {"process_owner": 200, "editor": 200, "other_editor": 404, "appraiser": 200, "viewer": 200},
    "save_self_score": {
        "process_owner": 302,
        "editor": 302,
        "other_editor": 404,
        "appraiser": 403,
        "viewer": 403,
    },
    "submit": {"process_owner": 302, "editor": 302, "other_editor": 404, "appraiser": 403, "viewer": 403},
    "return": {"process_owner": 302, "editor": 403, "other_editor": 404, "appraiser": 403, "viewer": 403},
    "appraise": {"process_owner": 302, "editor": 404, "other_editor": 404, "appraiser": 302, "viewer": 403},
    "lock": {"process_owner": 302, "editor": 404, "other_editor": 404, "appraiser": 403, "viewer": 403},
    "download_evidence": {
        "process_owner": 200,
        "editor": 200,
        "other_editor": 404,
        "appraiser": 200,
        "viewer": 200,
    },
    "set_applicability": {
        "process_owner": 302,
        "editor": 403,
        "other_editor": 404,
        "appraiser": 403,
        "viewer": 403,
    },
}


@pytest.fixture
def users(small):
    return small["users"]


@pytest.fixture
def world(small):
    return matrix_world(small)


def _prepare(action, world, users):
    assessment, agency = world["assessment"], world["agency"]
    if action == "submit":
        fill_all(assessment, agency, users["editor"], "0")
    if action == "return":
        fill_all(assessment, agency, users["editor"], "0")
        services.submit_part(user=users["editor"], assessment=assessment, agency=agency)
    if action == "appraise":
        Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.APPRAISAL)


def _perform(client, action, world):
    assessment, agency, leaf = world["assessment"], world["agency"], world["leaf"]
    cid = leaf.criterion.pk
    if action == "view":
        return client.get(reverse("assessments:entry", args=[assessment.pk, agency.pk]))
    if action == "save_self_score":
        data = {f"version_{cid}": "0", f"self_score_{cid}": "0,5", f"explanation_{cid}": "Có báo cáo"}
        return client.post(reverse("assessments:entry", args=[assessment.pk, agency.pk]), data)
    if action == "submit":
        return client.post(reverse("assessments:submit", args=[assessment.pk, agency.pk]))
    if action == "return":
        return client.post(
            reverse("assessments:return_part", args=[assessment.pk, agency.pk]), {"comment": "Bổ sung"}
        )
    if action == "appraise":
        return client.post(
            reverse("assessments:appraisal", args=[assessment.pk]),
            {f"version_{cid}": "0", f"score_{cid}": "0,25"},
        )
    if action == "lock":
        return client.post(reverse("assessments:lock", args=[assessment.pk]), {"reason": "Hết đợt"})
    if action == "download_evidence":
        return client.get(reverse("assessments:evidence_download", args=[world["evidence"].pk]))
    if action == "set_applicability":
        return client.post(
            reverse("assessments:set_applicability", args=[assessment.pk, agency.pk, cid]),
            {"applicable": "0", "reason": "Tỉnh không có đơn vị thuộc diện này"},
        )
    raise AssertionError(action)


def _effect(action, world):
    """Whether the action took effect in the database."""
    assessment, agency, cid = world["assessment"], world["agency"], world["leaf"].criterion.pk
    score = Score.objects.filter(assessment=assessment, criterion_id=cid).first()
    if action == "save_self_score":
        return score is not None and score.self_score == Decimal("0.5")
    if action == "submit":
        return Submission.objects.filter(assessment=assessment, agency=agency, status="submitted").exists()
    if action == "return":
        return Submission.objects.filter(assessment=assessment, agency=agency, status="returned").exists()
    if action == "appraise":
        return score is not None and score.appraised_score == Decimal("0.25")
    if action == "lock":
        return Assessment.objects.get(pk=assessment.pk).is_locked
    if action == "set_applicability":
        return score is not None and not score.applicable
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(client, world, users, role, action):
    _prepare(action, world, users)
    if role != "anonymous":
        client.force_login(users[role])
    response = _perform(client, action, world)
    if response.streaming:
        b"".join(response.streaming_content)
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
        assert not _effect(action, world)
        return
    expected = MATRIX[action][role]
    assert response.status_code == expected, (role, action, response.status_code)
    effect = _effect(action, world)
    if effect is not None:
        assert effect is (expected == 302), (role, action)
    if expected == 403:
        assert "không" in response.content.decode().lower()


WRONG_METHODS = [
    ("get", "submit"),
    ("get", "return_part"),
    ("get", "lock"),
    ("get", "unlock"),
    ("get", "extend"),
    ("post", "evidence_download"),
    ("put", "entry"),
    ("delete", "progress"),
    ("get", "set_applicability"),
    ("put", "set_applicability"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name"), WRONG_METHODS)
def test_wrong_method_is_405(client, world, users, method, name):
    client.force_login(users["process_owner"])
    assessment, agency = world["assessment"], world["agency"]
    args = {
        "submit": [assessment.pk, agency.pk],
        "return_part": [assessment.pk, agency.pk],
        "entry": [assessment.pk, agency.pk],
        "evidence_download": [world["evidence"].pk],
        "set_applicability": [assessment.pk, agency.pk, world["leaf"].criterion.pk],
    }.get(name, [assessment.pk])
    response = getattr(client, method)(reverse(f"assessments:{name}", args=args))
    assert response.status_code == 405


@pytest.mark.django_db
def test_editor_cannot_reach_other_agency_through_any_url(client, world, users):
    """Sở Tư pháp's editor, on Văn phòng UBND's part: every page and action is 404."""
    client.force_login(users["editor"])
    assessment = world["assessment"]
    other = world["other"]
    leaf = leaves_of(assessment, other)[0]
    cid = leaf.criterion.pk
    urls = [
        ("get", reverse("assessments:entry", args=[assessment.pk, other.pk]), {}),
        (
            "post",
            reverse("assessments:entry", args=[assessment.pk, other.pk]),
            {f"version_{cid}": "0", f"self_score_{cid}": "1"},
        ),
        ("post", reverse("assessments:submit", args=[assessment.pk, other.pk]), {}),
        (
            "post",
            reverse("assessments:set_applicability", args=[assessment.pk, other.pk, cid]),
            {"applicable": "0", "reason": "Thử"},
        ),
        ("get", reverse("assessments:criterion_history", args=[assessment.pk, cid]), {}),
        ("get", reverse("assessments:progress", args=[assessment.pk]), {}),
        ("get", reverse("assessments:appraisal", args=[assessment.pk]), {}),
        (
            "post",
            reverse("assessments:evidence_upload", args=[assessment.pk, other.pk, cid]),
            {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
        ),
    ]
    for method, url, data in urls:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert not Score.objects.filter(assessment=assessment, criterion_id=cid).exists()
    assert Evidence.objects.filter(criterion_id=cid).count() == 0


@pytest.mark.django_db
def test_editor_cannot_write_appraised_scores(client, world, users):
    assessment, agency, cid = world["assessment"], world["agency"], world["leaf"].criterion.pk
    client.force_login(users["editor"])
    # An extra field on the entry form is ignored: only the self score is written.
    data = {
        f"version_{cid}": "0",
        f"self_score_{cid}": "0,5",
        f"score_{cid}": "0,5",
        "appraised_score": "0,5",
    }
    client.post(reverse("assessments:entry", args=[assessment.pk, agency.pk]), data)
    score = Score.objects.get(assessment=assessment, criterion_id=cid)
    assert score.self_score == Decimal("0.5")
    assert score.appraised_score is None
    # And the service refuses outright.
    with pytest.raises(services.DomainError):
        services.save_part(
            user=users["editor"],
            assessment=assessment,
            agency=agency,
            rows={cid: services.RowInput(score.version, {"appraised_score": Decimal("0.5")})},
        )


@pytest.mark.django_db
def test_editor_cannot_write_after_submission_or_lock(client, world, users):
    assessment, agency, cid = world["assessment"], world["agency"], world["leaf"].criterion.pk
    fill_all(assessment, agency, users["editor"], "0")
    services.submit_part(user=users["editor"], assessment=assessment, agency=agency)
    client.force_login(users["editor"])
    url = reverse("assessments:entry", args=[assessment.pk, agency.pk])
    version = Score.objects.get(assessment=assessment, criterion_id=cid).version
    response = client.post(url, {f"version_{cid}": str(version), f"self_score_{cid}": "0,5"})
    assert response.status_code == 403
    assert "Đã gửi" in response.content.decode()
    services.return_part(user=users["process_owner"], assessment=assessment, agency=agency, comment="Sửa lại")
    services.lock(user=users["process_owner"], assessment=assessment, reason="Hết đợt")
    response = client.post(url, {f"version_{cid}": str(version), f"self_score_{cid}": "0,5"})
    assert response.status_code == 403
    assert "khóa" in response.content.decode()
    assert Score.objects.get(assessment=assessment, criterion_id=cid).self_score == Decimal("0")


@pytest.mark.django_db
def test_editor_does_not_see_an_assessment_in_preparation(client, world, users):
    """An assessment not yet opened to departments is outside an editor's scope: no way in
    from the home page, 404 by direct request."""
    assessment, stp = world["assessment"], world["agency"]
    client.force_login(users["editor"])
    entry_url = reverse("assessments:entry", args=[assessment.pk, stp.pk])
    Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.PREPARATION)
    assert client.get(entry_url).status_code == 404
    html = client.get(reverse("assessments:home")).content.decode()
    assert f"/danh-gia/{assessment.pk}/" not in html
    assert "2031" not in html


@pytest.mark.django_db
def test_editor_reads_its_published_part_and_nothing_else(client, world, users):
    """After publication an editor reads its own part, read-only (docs/permissions.md, "A
    department's results after the lock"); the report, the progress and the appraisal pages and
    other agencies' parts stay outside its scope (404)."""
    assessment, stp = world["assessment"], world["agency"]
    Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.PUBLISHED)
    client.force_login(users["editor"])
    entry_url = reverse("assessments:entry", args=[assessment.pk, stp.pk])
    page = client.get(entry_url)
    assert page.status_code == 200
    assert 'value="save"' not in page.content.decode()
    assert entry_url in client.get(reverse("assessments:home")).content.decode()
    for name in ("reports:detail", "assessments:progress", "assessments:appraisal"):
        assert client.get(reverse(name, args=[assessment.pk])).status_code == 404, name
    other = reverse("assessments:entry", args=[assessment.pk, world["other"].pk])
    assert client.get(other).status_code == 404


PAGE_AFFORDANCES = {
    # role: (entry page has inputs, entry page has "Gửi", progress status, appraisal has inputs)
    "process_owner": (True, True, 200, True),
    "editor": (True, True, 404, None),
    "appraiser": (False, False, 200, True),
    "viewer": (False, False, 200, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(PAGE_AFFORDANCES))
def test_pages_offer_only_allowed_actions(client, world, users, role):
    has_inputs, has_submit, progress_status, appraisal_inputs = PAGE_AFFORDANCES[role]
    assessment, agency, cid = world["assessment"], world["agency"], world["leaf"].criterion.pk
    client.force_login(users[role])
    page = client.get(reverse("assessments:entry", args=[assessment.pk, agency.pk])).content.decode()
    assert (f'name="self_score_{cid}"' in page) is has_inputs
    assert ('name="action" value="submit"' in page) is has_submit
    applicability_url = reverse("assessments:set_applicability", args=[assessment.pk, agency.pk, cid])
    assert (applicability_url in page) is (role == "process_owner")
    assert ("Đánh dấu không áp dụng" in page) is (role == "process_owner")
    progress = client.get(reverse("assessments:progress", args=[assessment.pk]))
    assert progress.status_code == progress_status
    if progress_status == 200:
        assert (reverse("assessments:lock", args=[assessment.pk]) in progress.content.decode()) is (
            role == "process_owner"
        )
    Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.APPRAISAL)
    appraisal = client.get(reverse("assessments:appraisal", args=[assessment.pk]))
    if appraisal_inputs is None:
        assert appraisal.status_code == 404
    else:
        assert (f'name="score_{cid}"' in appraisal.content.decode()) is appraisal_inputs
