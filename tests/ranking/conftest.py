"""A province with a block of units on a framework of its own: a few fields, a bonus section
capped at 5, grade bands; units' appraised scores given per unit, written in bulk."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments import scoring
from assessments.models import (
    Assessment,
    Criterion,
    Framework,
    GradeBand,
    Role,
    Score,
    Section,
    Subject,
    SubjectKind,
)
from tests.accounts import make_account

D = Decimal
# code, max, notation, section
TREE = [
    ("1", "60", "", Section.MAIN),
    ("1.1", "30", "", Section.MAIN),
    ("1.2", "30", "", Section.MAIN),
    ("2", "40", "", Section.MAIN),
    ("2.1", "40", "", Section.MAIN),
    ("3", "5", "tối đa 5", Section.BONUS),
    ("3.1", "3", "", Section.BONUS),
    ("3.2", "4", "", Section.BONUS),
]
BANDS = [("Xuất sắc", "90"), ("Tốt", "80"), ("Khá", "65"), ("Trung bình", "50"), ("Yếu", "0")]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_province(code="97", name="Thử Nghiệm"):
    return Subject.objects.create(kind=SubjectKind.PROVINCE, name=name, code=code)


def make_framework(province, year, kind=SubjectKind.DEPARTMENT, tree=TREE, bands=BANDS):
    framework = Framework.objects.create(
        year=year, subject_kind=kind, owner=province, name=f"Bộ chỉ số {kind} {year}"
    )
    made: dict[str, Criterion] = {}
    for code, maximum, notation, section in tree:
        criterion = Criterion(
            framework=framework,
            parent=made.get(code.rpartition(".")[0]),
            code=code,
            name=f"Tiêu chí {code}",
            max_score=D(maximum),
            section=section,
        )
        scoring.parse_notation(notation).apply_to(criterion)
        criterion.save()
        made[code] = criterion
    GradeBand.objects.bulk_create(
        GradeBand(framework=framework, label=label, min_index=D(m)) for label, m in bands
    )
    return framework


def make_unit(province, name, code="", kind=SubjectKind.DEPARTMENT):
    return Subject.objects.create(kind=kind, name=name, code=code, parent=province)


def score_units(framework, units_scores: list[tuple[Subject, dict[str, str]]], **assessment_fields):
    """One assessment per unit on `framework`, appraised scores by criterion code."""
    criteria = {c.code: c for c in Criterion.objects.filter(framework=framework)}
    assessments = Assessment.objects.bulk_create(
        Assessment(subject=unit, framework=framework, **assessment_fields) for unit, _ in units_scores
    )
    scores = []
    for assessment, (_unit, values) in zip(assessments, units_scores, strict=True):
        for code, value in values.items():
            scores.append(
                Score(
                    assessment=assessment,
                    criterion=criteria[code],
                    self_score=D(value),
                    appraised_score=D(value),
                    appraisal_comment=f"Ý kiến về {code}" if D(value) < criteria[code].max_score else "",
                )
            )
    Score.objects.bulk_create(scores)
    return assessments


def spread(i: int) -> dict[str, str]:
    """Deterministic, varied scores for the i-th unit."""
    return {
        "1.1": str(30 - i % 7),
        "1.2": str(D(30) - D(i % 11) / 4),
        "2.1": str(40 - i % 13),
        "3.1": str(i % 4),
    }


def make_block(province, year, count, kind=SubjectKind.DEPARTMENT, prefix="Sở", units=None):
    """`count` units (or `units`) scored on a new framework of the year; returns (framework, units)."""
    framework = make_framework(province, year, kind)
    if units is None:
        units = [make_unit(province, f"{prefix} số {i:03d}", f"U{i:03d}", kind) for i in range(count)]
    score_units(framework, [(u, spread(i)) for i, u in enumerate(units)])
    return framework, units


@pytest.fixture
def province(db):
    return make_province()


@pytest.fixture
def accounts(province):
    other = make_province("96", "Tỉnh Khác")
    return {
        "process_owner": make_account("alice", Role.PROCESS_OWNER, province),
        "appraiser": make_account("dave", Role.APPRAISER, province),
        "viewer": make_account("erin", Role.VIEWER, province),
        "other_province": make_account("oscar", Role.PROCESS_OWNER, other),
    }
