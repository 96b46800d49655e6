"""The shipped Bình Phước 2023 data gives the reference report's figures exactly."""

from decimal import Decimal

import pytest

from assessments import scoring
from assessments.decimals import format_index

pytestmark = pytest.mark.django_db


def test_totals(sample_assessment):
    result = scoring.compute(sample_assessment)
    assert result.applicable_max == Decimal("100")
    assert result.appraised == Decimal("88.0115")
    assert result.self_score == Decimal("66.1211")
    assert format_index(result.index) == "88,01"


def test_three_parts(sample_assessment):
    parts = scoring.compute(sample_assessment).parts
    shown = {k: (format_index(p.score), p.max) for k, p in parts.items()}
    assert shown == {
        "self_assessed": ("62,09", Decimal("68")),
        "leader_survey": ("18,30", Decimal("22")),
        "people_survey": ("7,63", Decimal("10")),
    }


def test_field_indices_computed_not_copied(sample_assessment):
    result = scoring.compute(sample_assessment)
    assert [format_index(f.index) for f in result.fields] == [
        "97,71",
        "94,31",
        "91,68",
        "92,27",
        "81,30",
        "90,57",
        "87,38",
        "77,76",
    ]
    field7 = result.by_code["7"]
    assert field7.appraised == Decimal("11.7969")
    assert format_index(field7.index) == "87,38"  # the hand-written text says 87,41


def test_criteria_counts(sample_assessment):
    result = scoring.compute(sample_assessment)
    assert len(result.at_max_criteria) == 52
    assert len(result.below_max_criteria) == 22
    assert [n.code for n in result.zero_criteria] == ["5.1.1"]


def test_tree_shape(sample_assessment):
    result = scoring.compute(sample_assessment)
    levels = [n.level for n in result.nodes()]
    assert (levels.count(1), levels.count(2), levels.count(3)) == (8, 37, 88)
    assert result.issues() == []


def test_published_gap_found_for_field_7(sample_assessment):
    result = scoring.compute(sample_assessment)
    published = scoring.published_results(sample_assessment.subject, 2023)
    gaps = scoring.published_gaps(result, published)
    assert [(g.field_code, g.published, g.computed) for g in gaps] == [
        ("7", Decimal("87.41"), Decimal("87.38"))
    ]


def test_comparison_with_2022(sample_assessment):
    published_2022 = scoring.published_results(sample_assessment.subject, 2022)
    published_2023 = scoring.published_results(sample_assessment.subject, 2023)
    result = scoring.compute(sample_assessment)
    total = scoring.compare(
        result.index, published_2022[""].index, published_2023[""].rank, published_2022[""].rank
    )
    assert total.change == Decimal("3.54")
    assert total.rank_change == 18
    f1 = scoring.compare(result.by_code["1"].index, published_2022["1"].index, 29, 52)
    assert f1.change == Decimal("13.62") and f1.rank_change == 23
