"""A unit of the province's own index (a department) read through its predecessor after a
merger; computed ranks are within its block (the departments on the province's framework),
with the block's size as the number ranked."""

import datetime
from decimal import Decimal

import pytest

from assessments.models import Assessment, Criterion, Framework, Score, Subject, SubjectKind
from assessments.scoring import trends

pytestmark = pytest.mark.django_db


def block_framework(province, year):
    framework = Framework.objects.create(
        year=year, subject_kind=SubjectKind.DEPARTMENT, owner=province, name=f"Chỉ số CCHC các sở {year}"
    )
    field = Criterion.objects.create(framework=framework, code="1", name="Chỉ đạo", max_score=Decimal(10))
    leaf = Criterion.objects.create(
        framework=framework, parent=field, code="1.1", name="Kế hoạch CCHC", max_score=Decimal(10)
    )
    return framework, leaf


def scored(subject, framework, leaf, points, comment=""):
    assessment = Assessment.objects.create(subject=subject, framework=framework, phase="published")
    Score.objects.create(
        assessment=assessment, criterion=leaf, appraised_score=Decimal(points), appraisal_comment=comment
    )
    return assessment


def test_department_through_its_predecessor_ranked_in_its_block():
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="99")

    def unit(name, **dates):
        return Subject.objects.create(kind=SubjectKind.DEPARTMENT, name=name, parent=province, **dates)

    old = unit("Sở Kế hoạch và Đầu tư", valid_until=datetime.date(2025, 2, 28))
    merged = unit("Sở Tài chính", valid_from=datetime.date(2025, 3, 1))
    merged.predecessors.set([old])
    peer = unit("Sở Tư pháp")
    fw24, leaf24 = block_framework(province, 2024)
    fw25, leaf25 = block_framework(province, 2025)
    scored(old, fw24, leaf24, "9", "Đủ kế hoạch")
    scored(peer, fw24, leaf24, "8")
    scored(merged, fw25, leaf25, "7", "Thiếu báo cáo quý")
    scored(peer, fw25, leaf25, "8")

    trend = trends.subject_trend(merged)
    assert [s.name for s in trend.predecessors] == ["Sở Kế hoạch và Đầu tư"]
    rows = {(r.year, r.subject.name): r for r in trend.rows}
    before = rows[(2024, "Sở Kế hoạch và Đầu tư")]
    assert before.is_predecessor and before.source == trends.COMPUTED
    assert (before.shown.total.index, before.shown.total.rank, before.shown.total.ranked_count) == (
        Decimal("90.0000"),
        1,
        2,
    )
    now = rows[(2025, "Sở Tài chính")].shown.total
    assert (now.rank, now.ranked_count) == (2, 2)
    criteria = trend.criteria
    assert criteria.previous_subject == old
    assert [(c.code, c.change, c.remark, c.previous_remark) for c in criteria.lost] == [
        ("1.1", Decimal("-2.0000"), "Thiếu báo cáo quý", "Đủ kế hoạch")
    ]


def test_queries_do_not_grow_with_scored_years(django_assert_max_num_queries):
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="99")
    unit = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="Sở Tư pháp", parent=province)
    for year in (2020, 2021):
        framework, leaf = block_framework(province, year)
        scored(unit, framework, leaf, "8")
    with django_assert_max_num_queries(15) as few:
        assert len(trends.subject_trend(unit).rows) == 2
    for year in range(2022, 2030):
        framework, leaf = block_framework(province, year)
        scored(unit, framework, leaf, str(year - 2020))
    with django_assert_max_num_queries(len(few.captured_queries)):
        trend = trends.subject_trend(unit)
    assert len(trend.rows) == 10 and trend.criteria.year == 2029
