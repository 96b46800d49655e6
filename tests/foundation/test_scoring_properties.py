"""Roll-ups and validation on generated trees (hypothesis) and on hand-made cases."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import scoring
from assessments.models import Criterion, Score, ScoringMethod

SCORES = st.decimals(min_value=Decimal("0"), max_value=Decimal("5"), places=4, allow_nan=False)


class FakeCriterion:
    """Stands in for a Criterion row so trees can be built without the database."""

    def __init__(self, pk, code, max_score, method=ScoringMethod.SELF_ASSESSED):
        self.pk = pk
        self.code = code
        self.name = f"Tiêu chí {code}"
        self.max_score = max_score
        self.method = method
        self.level = code.count(".") + 1
        self.sort_key = ".".join(p.zfill(4) for p in code.split("."))

    class _Agencies:
        def all(self):
            return []

    agencies = _Agencies()
    agency_links = _Agencies()


class FakeScore:
    def __init__(self, self_score, appraised, applicable=True):
        self.self_score = self_score
        self.appraised_score = appraised
        self.rechecked_score = None
        self.applicable = applicable
        self.appraisal_comment = ""

    @property
    def final_score(self):
        return self.rechecked_score if self.rechecked_score is not None else self.appraised_score


@st.composite
def scored_trees(draw):
    """A random tree of 1–4 fields, up to 3 levels, leaves with max and score ≤ max."""
    criteria, scores, pk = [], {}, 0
    leaf_max = {}

    def add(code, depth):
        nonlocal pk
        children = draw(st.integers(min_value=0, max_value=3)) if depth < 3 else 0
        pk += 1
        my_pk = pk
        if children == 0:
            maximum = draw(SCORES.filter(lambda d: d > 0))
            method = draw(st.sampled_from(list(ScoringMethod)))
            criteria.append(FakeCriterion(my_pk, code, maximum, method))
            appraised = draw(st.one_of(st.none(), SCORES.filter(lambda d: d <= maximum)))
            self_score = (
                None
                if method != ScoringMethod.SELF_ASSESSED
                else draw(st.one_of(st.none(), SCORES.filter(lambda d: d <= maximum)))
            )
            applicable = draw(st.booleans()) if draw(st.integers(0, 9)) == 0 else True
            scores[my_pk] = FakeScore(self_score, appraised, applicable)
            leaf_max[code] = maximum
            return maximum
        node = FakeCriterion(my_pk, code, Decimal(0))
        criteria.append(node)
        total = sum((add(f"{code}.{i}", depth + 1) for i in range(1, children + 1)), Decimal(0))
        node.max_score = total
        return total

    for field in range(1, draw(st.integers(min_value=1, max_value=4)) + 1):
        add(str(field), 1)
    return criteria, scores


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(scored_trees())
def test_parents_equal_the_sum_of_their_children(tree):
    criteria, scores = tree
    fields, _ = scoring.build_tree(criteria, scores)
    for node in (n for f in fields for n in f.walk()):
        if node.is_leaf:
            continue
        assert node.max == sum(c.max for c in node.children)
        assert node.applicable_max == sum(c.applicable_max for c in node.children)
        present = [c.appraised for c in node.children if c.appraised is not None]
        assert node.appraised == (sum(present) if present else None)
    assert scoring.validate_nodes(fields) == []


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(scored_trees())
def test_indices_stay_within_0_and_100(tree):
    criteria, scores = tree
    fields, _ = scoring.build_tree(criteria, scores)
    for node in (n for f in fields for n in f.walk()):
        if node.index is not None:
            assert Decimal(0) <= node.index <= Decimal(100)


def _tree(rows, score_rows):
    criteria = [FakeCriterion(i, code, Decimal(mx), method) for i, (code, mx, method) in enumerate(rows)]
    pk_by_code = {c.code: c.pk for c in criteria}
    scores = {pk_by_code[code]: FakeScore(s, a) for code, s, a in score_rows}
    return scoring.build_tree(criteria, scores)


S, L = ScoringMethod.SELF_ASSESSED, ScoringMethod.LEADER_SURVEY


def test_parent_max_not_the_sum_is_reported_with_its_code():
    fields, _ = _tree([("1", "3", S), ("1.1", "1", S), ("1.2", "1", S)], [])
    messages = [str(i) for i in scoring.validate_nodes(fields)]
    assert messages == ["1: điểm tối đa 3 khác tổng điểm tối đa các tiêu chí con (2)"]


def test_score_above_max_and_below_zero_are_reported():
    fields, _ = _tree(
        [("1", "2", S), ("1.1", "1", S), ("1.2", "1", S)],
        [("1.1", Decimal("1.5"), Decimal("1")), ("1.2", Decimal("1"), Decimal("-0.5"))],
    )
    messages = [str(i) for i in scoring.validate_nodes(fields)]
    assert "1.1: điểm tự đánh giá 1,5 lớn hơn điểm tối đa 1" in messages
    assert "1.2: điểm thẩm định -0,5 nhỏ hơn 0" in messages


def test_survey_leaf_with_a_self_score_is_reported():
    fields, _ = _tree([("1", "1", S), ("1.1", "1", L)], [("1.1", Decimal("0.5"), Decimal("0.8"))])
    (issue,) = scoring.validate_nodes(fields)
    assert issue.code == "1.1"
    assert "điều tra xã hội học" in issue.message


def test_not_applicable_leaf_leaves_the_maximum():
    """A department with 68,32 of an applicable 84 points has an index of 81,33 %."""
    criteria = [
        FakeCriterion(1, "1", Decimal("100")),
        FakeCriterion(2, "1.1", Decimal("84")),
        FakeCriterion(3, "1.2", Decimal("16")),
    ]
    scores = {2: FakeScore(None, Decimal("68.32")), 3: FakeScore(None, None, applicable=False)}
    fields, _ = scoring.build_tree(criteria, scores)
    assert fields[0].applicable_max == Decimal("84")
    assert str(scoring.round_index(fields[0].index)) == "81.33"


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranks = scoring.rank(
        {
            "a": Decimal("97.1"),
            "b": Decimal("96.0"),
            "c": Decimal("95.70"),
            "d": Decimal("95.7012"),
            "e": Decimal("94"),
        }
    )
    assert ranks == {"a": 1, "b": 2, "c": 3, "d": 3, "e": 5}


@pytest.mark.django_db
def test_grade_bands_come_from_the_framework():
    from model_bakery import baker

    framework = baker.make("assessments.Framework", year=2024, subject_kind="department")
    baker.make("assessments.GradeBand", framework=framework, label="Nhóm A", min_index=Decimal(90))
    baker.make("assessments.GradeBand", framework=framework, label="Nhóm B", min_index=Decimal(80))
    bands = list(framework.grade_bands.all())
    assert scoring.grade_for(Decimal("90.00"), bands) == "Nhóm A"
    assert scoring.grade_for(Decimal("89.99"), bands) == "Nhóm B"
    assert scoring.grade_for(Decimal("79.99"), bands) is None


@pytest.mark.django_db
def test_compute_issues_the_same_queries_for_a_tree_three_times_larger(sample_assessment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        scoring.compute(sample_assessment)
    framework = sample_assessment.framework
    # Grow the same framework to three times its size: fields 11..26 copy fields 1..8 twice.
    originals = list(Criterion.objects.filter(framework=framework))
    for offset in (10, 20):
        for c in originals:
            head, _, rest = c.code.partition(".")
            code = str(int(head) + offset) + (f".{rest}" if rest else "")
            new = Criterion.objects.create(
                framework=framework, code=code, name=c.name, max_score=c.max_score, method=c.method
            )
            old_score = Score.objects.filter(assessment=sample_assessment, criterion=c).first()
            if old_score:
                Score.objects.create(
                    assessment=sample_assessment,
                    criterion=new,
                    self_score=old_score.self_score,
                    appraised_score=old_score.appraised_score,
                )
    with CaptureQueriesContext(connection) as large:
        result = scoring.compute(sample_assessment)
    assert len(list(result.nodes())) == 3 * 133
    assert len(large) == len(small)
