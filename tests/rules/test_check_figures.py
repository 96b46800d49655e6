"""check_figures: figures stated in remarks, declared figures and published indices checked
against the scores, on the reference data (finds 1.3.2 and field 7, nothing else) and on
hand-made rows; the command prints one line per problem, starting with the code."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from assessments import scoring
from assessments.models import Score
from assessments.scoring.figure_check import remark_figures

D = Decimal
SEVEN = ["1.1", "7.1.4", "6.1.1", "7.3.5", "7.3.6", "3.2.3", "8.5"]


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("check_figures", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_reference_data_gives_1_3_2_and_field_7_and_nothing_else(sample_assessment):
    problems = scoring.check_figures(sample_assessment)
    assert [(p.code, p.kind) for p in problems] == [("1.3.2", "remark"), ("7", "published")]
    slip, field = problems
    assert slip.figure == "47/49"
    assert (slip.from_figure, slip.stored) == (D("0.9592"), D("0.9388"))
    assert "47/49" in slip.message and "0,9592" in slip.message and "0,9388" in slip.message
    assert (field.from_figure, field.stored) == (D("87.41"), D("87.38"))
    assert "87,41" in field.message and "87,38" in field.message


@pytest.mark.django_db
def test_the_seven_rows_of_the_issue_have_rules_and_are_not_flagged(sample_assessment):
    by_code = {
        s.criterion.code: s
        for s in Score.objects.filter(assessment=sample_assessment).select_related("criterion")
    }
    flagged = {p.code for p in scoring.check_figures(sample_assessment)}
    for code in SEVEN:
        assert by_code[code].criterion.rule_kind != "none", code
        assert code not in flagged


@pytest.mark.django_db
def test_the_reference_rows_appraised_scores_follow_from_the_figures_their_remarks_state(sample_assessment):
    scores = {
        s.criterion.code: s
        for s in Score.objects.filter(assessment=sample_assessment).select_related("criterion")
    }
    stated = {
        "1.1": "40/41",
        "7.1.4": "08/17",
        "6.1.1": "73,52%",
        "7.3.5": "98,49%",
        "7.3.6": "98,41%",
        "3.2.3": "89,06%",
    }
    for code, figure in stated.items():
        assert figure in scores[code].appraisal_comment
        assert scoring.compute_score(scores[code].criterion, figure) == scores[code].appraised_score
    assert scoring.compute_score(scores["8.5"].criterion, "13,25/22") == scores["8.5"].appraised_score
    assert scoring.compute_score(scores["1.3.2"].criterion, "46/49") == scores["1.3.2"].appraised_score


def test_dates_and_document_numbers_are_not_figures():
    text = (
        "Kết luận thanh tra số 453/KL-TTBNV ngày 24/7/2023; Nghị định 33/2023/NĐ-CP ngày 10/6/2023; "
        "hoàn thành 26/31 cơ quan, đạt 47,06% (08/17), 13,25 / 22 chỉ tiêu, 98.49 %"
    )
    assert [str(f) for f in remark_figures(text)] == ["26/31", "47,06%", "8/17", "13,25/22", "98,49%"]


def _set(sample_assessment, code, **values):
    Score.objects.filter(assessment=sample_assessment, criterion__code=code).update(**values)


@pytest.mark.django_db
def test_a_rounded_percentage_in_a_remark_is_read_at_its_own_precision(sample_assessment):
    # 8/17 = 47,0588…%: a remark that states only "47,06%" agrees with 0,4706, and so does
    # 1,5 × 97,56% against 1,5 × 40/41 = 1,4634 (97,5609…%).
    _set(sample_assessment, "7.1.4", appraisal_comment="đạt 47,06%")
    _set(sample_assessment, "1.1", appraisal_comment="hoàn thành 97,56% nhiệm vụ")
    assert [p.code for p in scoring.check_figures(sample_assessment)] == ["1.3.2", "7"]
    _set(sample_assessment, "7.1.4", appraisal_comment="đạt 48%")
    assert "7.1.4" in [p.code for p in scoring.check_figures(sample_assessment)]


@pytest.mark.django_db
def test_an_explanation_is_checked_against_the_self_score(sample_assessment):
    _set(sample_assessment, "6.1.1", explanation="Giải ngân đạt 90%")  # self score 0,9
    _set(sample_assessment, "7.3.5", explanation="Tỷ lệ 97% toàn trình")  # self score 0,4924
    problems = [p for p in scoring.check_figures(sample_assessment) if p.source == "explanation"]
    assert [(p.code, p.from_figure, p.stored) for p in problems] == [("7.3.5", D("0.485"), D("0.4924"))]
    assert problems[0].message.startswith("7.3.5: giải trình nêu 97%")


@pytest.mark.django_db
def test_the_figure_closest_to_the_score_is_the_one_reported(sample_assessment):
    _set(sample_assessment, "1.3.2", appraisal_comment="còn 10/49 việc; đã xong 45/49; tổng 49/49")
    (slip,) = [p for p in scoring.check_figures(sample_assessment) if p.code == "1.3.2"]
    assert slip.figure == "45/49"


@pytest.mark.django_db
def test_figures_that_do_not_fit_the_rule_are_not_read_as_its_figure(sample_assessment):
    # 63/63 provinces fits; 102/113 too; a 150% or a 5/3 cannot be a share: skipped.
    _set(sample_assessment, "7.3.6", appraisal_comment="đạt 150% kế hoạch, 5/3 lần năm trước, tỷ lệ 98,41%")
    assert [p.code for p in scoring.check_figures(sample_assessment)] == ["1.3.2", "7"]


@pytest.mark.django_db
def test_declared_figures_that_contradict_the_score_are_flagged_unless_overridden(sample_assessment):
    _set(sample_assessment, "1.1", appraised_figures="39/41")
    problems = [p for p in scoring.check_figures(sample_assessment) if p.kind == "declared"]
    assert [(p.code, p.source, p.from_figure, p.stored) for p in problems] == [
        ("1.1", "appraised_figures", D("1.4268"), D("1.4634"))
    ]
    _set(sample_assessment, "1.1", appraised_override_reason="Hội đồng tính lại theo kết luận thanh tra")
    assert not [p for p in scoring.check_figures(sample_assessment) if p.kind == "declared"]
    _set(sample_assessment, "1.1", self_figures="1/0")
    (bad,) = [p for p in scoring.check_figures(sample_assessment) if p.kind == "declared"]
    assert bad.message.startswith("1.1: số liệu tự đánh giá “1/0” không dùng được")


@pytest.mark.django_db
def test_the_command_prints_one_line_per_problem_starting_with_the_code(sample_assessment):
    lines = run("--subject", "Bình Phước", "--year", "2023").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1.3.2: ")
    assert lines[1].startswith("7: ")
    as_json = json.loads(run("--subject", "70", "--year", "2023", "--json"))
    assert [item["code"] for item in as_json] == ["1.3.2", "7"]
    assert as_json[0] == {
        "code": "1.3.2",
        "kind": "remark",
        "source": "appraisal_comment",
        "figure": "47/49",
        "from_figure": "0.9592",
        "stored": "0.9388",
        "message": lines[0],
    }


@pytest.mark.django_db
def test_the_command_prints_nothing_when_there_is_no_problem(sample_assessment):
    _set(sample_assessment, "1.3.2", appraisal_comment="Đã hoàn thành 46/49 nhiệm vụ")
    from assessments.models import PublishedResult

    PublishedResult.objects.filter(year=2023, field_code="7").update(index=D("87.38"))
    assert run("--subject", "70", "--year", "2023") == ""
    assert json.loads(run("--subject", "70", "--year", "2023", "--json")) == []


@pytest.mark.django_db
def test_the_command_takes_a_province_and_refuses_an_unknown_subject(sample_assessment):
    from django.core.management.base import CommandError

    assert run("--subject", "70", "--year", "2023", "--province", "70").startswith("1.3.2: ")
    with pytest.raises(CommandError, match="Không tìm thấy"):
        run("--subject", "Sở Không Có", "--year", "2023", "--province", "70")
    with pytest.raises(CommandError, match="Không tìm thấy"):
        run("--subject", "Không Có", "--year", "2023")


@pytest.mark.django_db
def test_the_check_issues_a_bounded_number_of_queries(sample_assessment, django_assert_max_num_queries):
    result = scoring.compute(sample_assessment)
    with django_assert_max_num_queries(1):
        scoring.check_figures(sample_assessment, result)


# --- properties: no false flag for a remark that states the figure behind the score --------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from assessments.decimals import round_index  # noqa: E402
from assessments.models import Criterion, RuleKind  # noqa: E402
from assessments.scoring.figure_check import remark_problems  # noqa: E402
from assessments.scoring.tree import Node  # noqa: E402


def _leaf(kind, maximum, appraised, comment, base=None):
    criterion = Criterion(code="9.9", max_score=maximum, rule_kind=kind)
    if base is not None:
        criterion.rule_parameters = {"base": str(base)}
    return Node(criterion=criterion, score=Score(appraised_score=appraised, appraisal_comment=comment))


share_rules = st.sampled_from(
    [(RuleKind.RATIO, None), (RuleKind.PERCENTAGE, None), (RuleKind.AFFINE, D("0.5"))]
)
maxima = st.sampled_from([D("0.25"), D("0.5"), D("0.75"), D(1), D("1.5"), D(2), D(3)])


@given(rule=share_rules, maximum=maxima, total=st.integers(1, 2000), data=st.data())
def test_a_remark_stating_the_figure_or_its_rounded_percentage_is_never_flagged(rule, maximum, total, data):
    kind, base = rule
    done = data.draw(st.integers(0, total))
    criterion = _leaf(kind, maximum, None, "", base).criterion
    score = scoring.compute_score(criterion, f"{done}/{total}")
    percent = round_index(D(100) * done / total)
    for comment in (f"đạt {done}/{total} nhiệm vụ", f"tỷ lệ đạt {percent}%".replace(".", ",")):
        assert remark_problems(_leaf(kind, maximum, score, comment, base)) == [], comment


@given(maximum=maxima, total=st.integers(2, 2000), data=st.data())
def test_a_remark_whose_figure_gives_another_score_is_flagged_with_both_values(maximum, total, data):
    done = data.draw(st.integers(0, total))
    stated = data.draw(st.integers(0, total).filter(lambda n: n != done))
    criterion = _leaf(RuleKind.RATIO, maximum, None, "").criterion
    score = scoring.compute_score(criterion, f"{done}/{total}")
    said = scoring.compute_score(criterion, f"{stated}/{total}")
    problems = remark_problems(_leaf(RuleKind.RATIO, maximum, score, f"ngày 24/7/2023 đạt {stated}/{total}"))
    if said == score:  # two counts may round to the same score: nothing to flag
        assert problems == []
    else:
        (problem,) = problems
        assert (problem.figure, problem.from_figure, problem.stored) == (f"{stated}/{total}", said, score)
