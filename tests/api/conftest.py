"""A small world for the API: two provinces on the same national framework, Tỉnh Thử (99)
with three agencies and an open assessment, Tỉnh Khác (98) with its own (criterion 1.1 scored
from declared figures, a ratio); one account per role, each with an API token; a client that
sends a token."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api.tokens import create_token
from assessments.models import (
    Agency,
    Assessment,
    Criterion,
    Framework,
    PublishedResult,
    Role,
    Subject,
    SubjectKind,
)
from tests.accounts import make_account

ROLES = ["process_owner", "editor", "other_editor", "appraiser", "viewer", "other_province"]


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # throttling counts live in the cache
    yield
    cache.clear()


def token_client(user) -> Client:
    _token, secret = create_token(actor=user, owner=user, name="thử")
    return Client(HTTP_AUTHORIZATION=f"Token {secret}")


@pytest.fixture
def world(db):
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="99")
    other_province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Khác", code="98")
    snv = Agency.objects.create(province=province, name="Sở Nội vụ", short_name="SNV", is_process_owner=True)
    stp = Agency.objects.create(province=province, name="Sở Tư pháp", short_name="STP")
    vp = Agency.objects.create(province=province, name="Văn phòng UBND tỉnh", short_name="VP UBND")
    other_stp = Agency.objects.create(province=other_province, name="Sở Tư pháp", short_name="STP")
    framework = Framework.objects.create(year=2031, name="Bộ tiêu chí thử")
    criteria = {}
    for code, max_score, method in [
        ("1", "4", "self"),
        ("1.1", "1", "self"),
        ("1.2", "2", "self"),
        ("1.3", "1", "leader_survey"),
        ("2", "3", "self"),
        ("2.1", "3", "self"),
    ]:
        criteria[code] = Criterion.objects.create(
            framework=framework,
            parent=criteria.get(code.rpartition(".")[0]),
            code=code,
            name=f"Tiêu chí {code}",
            max_score=Decimal(max_score),
            method=method,
            rule_kind="ratio" if code == "1.1" else "none",  # 1.1: max × a/b of the figures declared
        )
    criteria["1"].agencies.set([stp, other_stp])
    criteria["2"].agencies.set([vp])
    deadline = timezone.now() + datetime.timedelta(days=10)
    assessment = Assessment.objects.create(
        subject=province,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=deadline,
    )
    other_assessment = Assessment.objects.create(
        subject=other_province,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=deadline,
    )
    PublishedResult.objects.create(
        subject=province, year=2030, index=Decimal("87.5"), rank=12, ranked_count=34
    )
    PublishedResult.objects.create(
        subject=other_province, year=2030, index=Decimal("91.5"), rank=3, ranked_count=34
    )
    users = {
        "process_owner": make_account("alice", Role.PROCESS_OWNER, province, snv),
        "editor": make_account("bob", Role.DEPARTMENT_EDITOR, province, stp),
        "other_editor": make_account("carol", Role.DEPARTMENT_EDITOR, province, vp),
        "appraiser": make_account("dave", Role.APPRAISER, province),
        "viewer": make_account("erin", Role.VIEWER, province),
        "other_province": make_account("oscar", Role.PROCESS_OWNER, other_province),
    }
    return {
        "province": province,
        "other_province": other_province,
        "framework": framework,
        "criteria": criteria,
        "assessment": assessment,
        "other_assessment": other_assessment,
        "stp": stp,
        "vp": vp,
        "users": users,
    }


@pytest.fixture
def clients(world):
    return {role: token_client(user) for role, user in world["users"].items()}
