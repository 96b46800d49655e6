"""A province with published results for several years and two scored years (2023 from the
reference data, 2024 copied from it with a few criteria changed), and accounts by role."""

from decimal import Decimal

import pytest

from assessments.models import Assessment, Criterion, PublishedResult, Role, Score, Subject
from tests.accounts import make_account


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def publish(subject, year, index, rank, ranked_count, fields=()):
    PublishedResult.objects.create(
        subject=subject, year=year, field_code="", index=Decimal(index), rank=rank, ranked_count=ranked_count
    )
    for code, name, field_index, field_rank in fields:
        PublishedResult.objects.create(
            subject=subject,
            year=year,
            field_code=code,
            field_name=name,
            index=Decimal(field_index),
            rank=field_rank,
            ranked_count=ranked_count,
        )


def scored_2024(sample):
    """Bình Phước 2024 on a copy of the 2023 framework: 1.1 at max (gained), 1.2 at 0
    (lost, with a remark), criterion 1.3.1 renamed (not compared), the rest as in 2023."""
    from assessments.services import copy_framework, open_assessment

    framework = copy_framework(sample.framework, 2024)
    assessment = open_assessment(sample.subject, framework, phase=Assessment.Phase.PUBLISHED)
    criteria = {c.code: c for c in Criterion.objects.filter(framework=framework)}
    Criterion.objects.filter(pk=criteria["1.3.1"].pk).update(name="Tên mới của tiêu chí 1.3.1")
    for score in Score.objects.filter(assessment=sample).select_related("criterion"):
        values = {
            "self_score": score.self_score,
            "appraised_score": score.appraised_score,
            "appraisal_comment": score.appraisal_comment,
        }
        if score.criterion.code == "1.1":
            values["appraised_score"] = score.criterion.max_score
            values["appraisal_comment"] = ""
        if score.criterion.code == "1.2":
            values["appraised_score"] = Decimal(0)
            values["appraisal_comment"] = "Không ban hành kế hoạch tuyên truyền CCHC."
        Score.objects.create(assessment=assessment, criterion=criteria[score.criterion.code], **values)
    return assessment


@pytest.fixture
def series(sample_assessment):
    subject = sample_assessment.subject
    publish(subject, 2021, "84,10".replace(",", "."), 40, 63)
    scored_2024(sample_assessment)
    return {"subject": subject, "sample": sample_assessment}


@pytest.fixture
def accounts(sample_assessment):
    province = sample_assessment.subject
    other = Subject.objects.get(code="01", valid_until__isnull=True)
    return {
        "process_owner": make_account("alice", Role.PROCESS_OWNER, province),
        "appraiser": make_account("dave", Role.APPRAISER, province),
        "viewer": make_account("erin", Role.VIEWER, province),
        "editor": make_account(
            "bob",
            Role.DEPARTMENT_EDITOR,
            province,
            agency=province.agencies.exclude(short_name="VPTEST").first(),
        ),
        "other_province": make_account("oscar", Role.VIEWER, other),
    }
