"""Fixtures for the self-assessment workflow: an open 2024 assessment of Bình Phước with
the 2023 tree copied, and named users — one per role — plus an outsider editor."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import services
from assessments.models import Agency, Assessment, Profile, Role

SAMPLE_PROVINCE_CODE = "70"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_open_assessment(sample, *, year=2024, days=10):
    from assessments.services import copy_framework, open_assessment

    framework = copy_framework(sample.framework, year)
    return open_assessment(
        sample.subject,
        framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=days),
    )


@pytest.fixture
def open_assessment(sample_assessment):
    return make_open_assessment(sample_assessment)


@pytest.fixture
def agencies(sample_assessment):
    found = {a.short_name: a for a in Agency.objects.filter(province=sample_assessment.subject)}
    return found


@pytest.fixture
def make_user(db):
    def make(username, role, agency=None, province=None, **extra):
        """An account of `province` (by default its agency's)."""
        user = get_user_model().objects.create_user(
            username=username, password="x-test-pass-123", email=f"{username}@example.test", **extra
        )
        province = province or (agency.province if agency is not None else None)
        Profile.objects.create(user=user, role=role, agency=agency, province=province)
        return user

    return make


@pytest.fixture
def users(make_user, agencies):
    """alice: Sở Nội vụ; bob: editor of Sở Tư pháp; carol: editor of Văn phòng UBND (an
    outsider to Sở Tư pháp's criteria); dave: appraiser; erin: viewer; all of Bình Phước."""
    province = agencies["SNV"].province
    return {
        "process_owner": make_user("alice", Role.PROCESS_OWNER, agencies["SNV"]),
        "editor": make_user("bob", Role.DEPARTMENT_EDITOR, agencies["STP"]),
        "other_editor": make_user("carol", Role.DEPARTMENT_EDITOR, agencies["VP UBND"]),
        "appraiser": make_user("dave", Role.APPRAISER, province=province),
        "viewer": make_user("erin", Role.VIEWER, province=province),
    }


@pytest.fixture
def stp(agencies):
    return agencies["STP"]


def leaves_of(assessment, agency, *, survey=False):
    from assessments import scoring

    result = scoring.compute(assessment)
    return [n for n in scoring.responsible_leaves(result, agency.pk) if n.is_survey == survey]


def fill_all(assessment, agency, user, value="0"):
    """Give every self-assessed leaf of the agency a score (through the service)."""
    from assessments.services import RowInput, save_part

    rows = {}
    for node in leaves_of(assessment, agency):
        version = node.score.version if node.score else 0
        rows[node.criterion.pk] = RowInput(
            version, {"self_score": min(node.max, _dec(value)), "explanation": ""}
        )
    return save_part(user=user, assessment=assessment, agency=agency, rows=rows)


def _dec(value):
    from decimal import Decimal

    return Decimal(value)


@pytest.fixture
def small(make_user):
    """A small world without the reference data (fast): one province, three agencies, a
    framework of two fields (Sở Tư pháp answers for field 1, Văn phòng UBND for field 2),
    an open assessment, and the named users."""
    from decimal import Decimal

    from assessments.models import Criterion, Framework, Subject, SubjectKind

    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="99")
    snv = Agency.objects.create(province=province, name="Sở Nội vụ", short_name="SNV", is_process_owner=True)
    stp = Agency.objects.create(province=province, name="Sở Tư pháp", short_name="STP")
    vp = Agency.objects.create(province=province, name="Văn phòng UBND tỉnh", short_name="VP UBND")
    framework = Framework.objects.create(year=2031, name="Bộ tiêu chí thử")
    made = {}
    for code, max_score, method in [
        ("1", "4", "self"),
        ("1.1", "1", "self"),
        ("1.2", "2", "self"),
        ("1.3", "1", "leader_survey"),
        ("2", "3", "self"),
        ("2.1", "3", "self"),
    ]:
        made[code] = Criterion.objects.create(
            framework=framework,
            parent=made.get(code.rpartition(".")[0]),
            code=code,
            name=f"Tiêu chí {code}",
            max_score=Decimal(max_score),
            method=method,
        )
    made["1"].agencies.set([stp])
    made["2"].agencies.set([vp])
    assessment = Assessment.objects.create(
        subject=province,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=10),
    )
    users = {
        "process_owner": make_user("alice", Role.PROCESS_OWNER, snv),
        "editor": make_user("bob", Role.DEPARTMENT_EDITOR, stp),
        "other_editor": make_user("carol", Role.DEPARTMENT_EDITOR, vp),
        "appraiser": make_user("dave", Role.APPRAISER, province=province),
        "viewer": make_user("erin", Role.VIEWER, province=province),
    }
    return {
        "assessment": assessment,
        "agency": stp,
        "other": vp,
        "owner": snv,
        "criteria": made,
        "users": users,
    }


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def matrix_world(small):
    """The small world's assessment, Sở Tư pháp's part in it, its first leaf and one piece of
    evidence on that leaf (for the permission matrices)."""
    assessment, stp = small["assessment"], small["agency"]
    leaf = leaves_of(assessment, stp)[0]
    evidence = services.add_evidence(
        user=small["users"]["editor"],
        assessment=assessment,
        agency=stp,
        criterion=leaf.criterion,
        upload=SimpleUploadedFile("bien-ban.pdf", PDF_BYTES),
    )
    return {
        "assessment": assessment,
        "agency": stp,
        "leaf": leaf,
        "evidence": evidence,
        "other": small["other"],
    }
