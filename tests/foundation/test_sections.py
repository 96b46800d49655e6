"""Bonus (điểm thưởng) and deduction (điểm trừ) sections of a province's own index: outside
the scale, each capped by its rule; points = main + bonus − deduction; index on the main
fields' applicable maximum."""

from decimal import Decimal

import pytest

from assessments import scoring
from assessments.models import Assessment, Criterion, Framework, Score, Section, Subject, SubjectKind

D = Decimal
pytestmark = pytest.mark.django_db


def build(scores: dict[str, str]):
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="98")
    unit = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="Sở Thử", parent=province)
    framework = Framework.objects.create(
        year=2031, subject_kind=SubjectKind.DEPARTMENT, owner=province, name="Bộ chỉ số sở"
    )
    made: dict[str, Criterion] = {}
    rows = [
        ("1", "60", "", Section.MAIN),
        ("1.1", "60", "", Section.MAIN),
        ("2", "40", "", Section.MAIN),
        ("2.1", "40", "", Section.MAIN),
        ("3", "5", "tối đa 5", Section.BONUS),
        ("3.1", "3", "", Section.BONUS),
        ("3.2", "4", "", Section.BONUS),
        ("4", "10", "tối đa 10", Section.DEDUCTION),
        ("4.1", "12", "", Section.DEDUCTION),
    ]
    for code, maximum, notation, section in rows:
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
    assessment = Assessment.objects.create(subject=unit, framework=framework)
    for code, value in scores.items():
        Score.objects.create(
            assessment=assessment, criterion=made[code], self_score=D(value), appraised_score=D(value)
        )
    return assessment


def test_bonus_and_deduction_count_outside_the_scale_within_their_caps():
    assessment = build({"1.1": "50", "2.1": "30", "3.1": "3", "3.2": "4", "4.1": "2"})
    result = scoring.compute(assessment)
    assert result.max == D(100) and result.applicable_max == D(100)
    assert result.main_appraised == D(80)
    assert result.bonus == D(5)  # 3 + 4 capped at 5
    assert result.deduction == D(2)
    assert result.appraised == D(83)
    assert result.index == D("83.0000")


def test_a_deduction_is_capped_and_points_never_go_below_zero():
    assessment = build({"1.1": "5", "2.1": "0", "4.1": "12"})
    result = scoring.compute(assessment)
    assert result.deduction == D(10)
    assert result.appraised == D(0)
    assert result.index == D("0.0000")


def test_bonus_leaves_are_not_counted_among_the_criteria_below_maximum():
    assessment = build({"1.1": "60", "2.1": "40", "3.1": "1"})
    result = scoring.compute(assessment)
    assert [n.code for n in result.below_max_criteria] == []
    assert result.index == D("101.0000")
