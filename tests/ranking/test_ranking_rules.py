"""The ranking of a block: full precision, shared ranks, grades from the framework's bands,
bonus counted within its cap, not-applicable criteria shrinking the maximum, last year's
result of the unit or of its predecessors."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Score, SubjectKind
from assessments.scoring import ranking

from .conftest import make_block, make_framework, make_unit, score_units

D = Decimal
pytestmark = pytest.mark.django_db

indices = st.dictionaries(
    st.integers(0, 300),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=6, allow_nan=False)),
    max_size=40,
)


@given(indices)
def test_rank_is_one_more_than_the_number_of_units_strictly_above(values):
    ranks = ranking.competition_rank(values)
    present = {k: v for k, v in values.items() if v is not None}
    assert set(ranks) == set(present)
    for key, value in present.items():
        assert ranks[key] == 1 + sum(1 for other in present.values() if other > value)


@given(indices)
def test_equal_indices_share_a_rank_and_a_higher_index_ranks_before(values):
    ranks = ranking.competition_rank(values)
    present = {k: v for k, v in values.items() if v is not None}
    for a, va in present.items():
        for b, vb in present.items():
            if va == vb:
                assert ranks[a] == ranks[b]
            elif va > vb:
                assert ranks[a] < ranks[b]


@given(indices)
def test_ranks_skip_after_a_tie(values):
    ranks = sorted(ranking.competition_rank(values).values())
    if ranks:
        assert ranks[0] == 1
    for position, value in enumerate(ranks, start=1):
        assert value <= position  # "1, 2, 2, 4": never beyond the position
    for value in set(ranks):
        assert ranks.index(value) + 1 == value  # each rank starts at its first position


@given(st.decimals(min_value=0, max_value=100, places=4), st.decimals(min_value=1, max_value=100, places=4))
def test_exact_index_is_not_rounded(points, maximum):
    if points > maximum:
        points = maximum
    index = ranking.exact_index(points, maximum)
    assert abs(index * maximum / 100 - points) < D("1e-40")


def test_two_units_published_alike_rank_2nd_and_3rd_on_full_precision(province):
    framework = make_framework(province, 2024)
    a, b, c = (make_unit(province, name) for name in ("Sở A", "Sở B", "Sở C"))
    # 90,0200 and 90,0199 at 4 decimals... both 90,02 published; on 3 units of 100 points max.
    score_units(
        framework,
        [
            (a, {"1.1": "30", "1.2": "30", "2.1": "35"}),  # 95
            (b, {"1.1": "30", "1.2": "30", "2.1": "30.02"}),  # 90,02
            (c, {"1.1": "30", "1.2": "30", "2.1": "30.0199"}),  # 90,0199 → 90,02 published
        ],
    )
    block = ranking.rank_block(province, 2024, SubjectKind.DEPARTMENT)
    assert [(u.subject.name, u.rank) for u in block.units] == [("Sở A", 1), ("Sở B", 2), ("Sở C", 3)]


def test_same_index_at_four_decimals_ranks_apart_on_the_exact_index(province):
    tree = [("1", "100", "", "main"), ("1.1", "3", "", "main"), ("1.2", "97", "", "main")]
    framework = make_framework(province, 2024, tree=tree)
    a, b = make_unit(province, "Sở A"), make_unit(province, "Sở B")
    first, _second = score_units(
        framework, [(a, {"1.1": "2", "1.2": "0"}), (b, {"1.1": "3", "1.2": "63.6667"})]
    )
    Score.objects.filter(assessment=first, criterion__code="1.2").update(
        applicable=False, appraised_score=None, self_score=None
    )
    block = ranking.rank_block(province, 2024, SubjectKind.DEPARTMENT)
    assert block.units[0].index == block.units[1].index == D("66.6667")  # 2/3 and 66,6667/100
    assert [(u.subject.name, u.rank) for u in block.units] == [("Sở B", 1), ("Sở A", 2)]


def test_exactly_equal_indices_share_a_rank_and_the_next_skips(province):
    framework = make_framework(province, 2024)
    units = [make_unit(province, f"Sở {c}") for c in "ABCD"]
    values = ["35", "30", "30", "20"]
    score_units(
        framework, [(u, {"1.1": "30", "1.2": "30", "2.1": v}) for u, v in zip(units, values, strict=True)]
    )
    block = ranking.rank_block(province, 2024, SubjectKind.DEPARTMENT)
    assert [u.rank for u in block.units] == [1, 2, 2, 4]
    assert [u.subject.name for u in block.units] == ["Sở A", "Sở B", "Sở C", "Sở D"]


def test_grades_follow_the_framework_bands_and_bonus_is_capped(province):
    framework = make_framework(province, 2024)
    a, b, c = (make_unit(province, name) for name in ("Sở A", "Sở B", "Sở C"))
    score_units(
        framework,
        [
            (a, {"1.1": "30", "1.2": "25", "2.1": "30", "3.1": "3", "3.2": "4"}),  # 85 + 5 (capped) = 90
            (b, {"1.1": "20", "1.2": "20", "2.1": "25"}),  # 65
            (c, {"1.1": "10", "1.2": "10", "2.1": "29.99"}),  # 49,99
        ],
    )
    block = ranking.rank_block(province, 2024, SubjectKind.DEPARTMENT)
    first, second, third = block.units
    assert first.bonus == D(5) and first.points == D(90) and first.grade == "Xuất sắc"
    assert second.grade == "Khá" and third.grade == "Yếu"
    assert block.grade_counts() == [("Xuất sắc", 1), ("Tốt", 0), ("Khá", 1), ("Trung bình", 0), ("Yếu", 1)]


def test_a_criterion_that_does_not_apply_shrinks_the_maximum(province):
    framework = make_framework(province, 2024)
    a = make_unit(province, "Sở A")
    (assessment,) = score_units(framework, [(a, {"1.1": "30", "1.2": "30", "2.1": "20"})])
    Score.objects.filter(assessment=assessment, criterion__code="2.1").update(
        applicable=False, appraised_score=None, self_score=None
    )
    (unit,) = ranking.rank_block(province, 2024, SubjectKind.DEPARTMENT).units
    assert unit.max == D(60) and unit.points == D(60) and unit.exact_index == D(100)


def test_a_unit_without_appraised_points_is_listed_unranked(province):
    framework = make_framework(province, 2024)
    a, b = make_unit(province, "Sở A"), make_unit(province, "Sở B")
    score_units(framework, [(a, {"1.1": "30"}), (b, {})])
    block = ranking.rank_block(province, 2024, SubjectKind.DEPARTMENT)
    assert [u.subject.name for u in block.ranked] == ["Sở A"]
    assert [u.subject.name for u in block.unranked] == ["Sở B"]


def test_change_against_last_year_of_the_unit_and_of_its_predecessors(province):
    old = make_framework(province, 2024)
    justice, planning, finance = (make_unit(province, n) for n in ("Sở Tư pháp", "Sở KH&ĐT", "Sở Tài chính"))
    score_units(
        old,
        [
            (justice, {"1.1": "30", "1.2": "30", "2.1": "20"}),  # 80
            (planning, {"1.1": "30", "1.2": "30", "2.1": "30"}),  # 90
            (finance, {"1.1": "30", "1.2": "30", "2.1": "10"}),  # 70
        ],
    )
    merged = make_unit(province, "Sở Tài chính (mới)")
    merged.predecessors.add(planning, finance)
    new = make_framework(province, 2025)
    score_units(
        new,
        [
            (justice, {"1.1": "30", "1.2": "30", "2.1": "25"}),
            (merged, {"1.1": "30", "1.2": "30", "2.1": "28"}),
        ],
    )
    block = ranking.rank_block(province, 2025, SubjectKind.DEPARTMENT)
    by_name = {u.subject.name: u for u in block.units}
    own = by_name["Sở Tư pháp"]
    assert own.change == D(5) and not own.previous.through_predecessors
    assert own.previous.rank == 2 and own.rank == 2 and own.rank_change == 0
    traced = by_name["Sở Tài chính (mới)"]
    assert traced.previous.through_predecessors
    assert traced.previous.index == D(80)  # mean of 90 and 70
    assert traced.change == D(8) and traced.rank_change is None
    assert "Sở KH&ĐT" in traced.previous.note and "Sở Tài chính" in traced.previous.note


def test_unknown_block_is_refused_in_vietnamese(province):
    with pytest.raises(ranking.RankingError, match="chưa có bộ tiêu chí năm 2030"):
        ranking.rank_block(province, 2030, SubjectKind.COMMUNE)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("department", "department"),
        ("Sở, ban, ngành", "department"),
        ("sở, ban, ngành", "department"),
        ("commune", "commune"),
        ("xã", "commune"),
        ("UBND cấp xã", "commune"),
    ],
)
def test_kind_by_value_or_vietnamese_label(text, kind):
    assert ranking.parse_kind(text) == kind


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(ranking.RankingError, match="Không rõ khối đơn vị “trường học”"):
        ranking.parse_kind("trường học")


@pytest.mark.parametrize("count", [20, 150])
def test_ranking_queries_do_not_grow_with_units(province, count, django_assert_max_num_queries):
    _framework, units = make_block(province, 2024, count)
    make_block(province, 2023, count, units=units)
    with django_assert_max_num_queries(12):
        block = ranking.rank_block(province, 2024, SubjectKind.DEPARTMENT)
        assert len(block.units) == count
        assert all(u.previous is not None for u in block.units)
