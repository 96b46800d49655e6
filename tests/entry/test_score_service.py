"""The one write path for scores (services.scores.write_scores): whoever writes (entry page,
appraisal page, admin, import), the same checks, a versioned history record with its source
and reason, and one workflow event; a refusal writes nothing."""

from decimal import Decimal

import pytest

from assessments import services
from assessments.models import Assessment, ChangeSource, Criterion, Score, WorkflowEvent
from assessments.services import DomainError, RowInput
from assessments.services.scores import write_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_sample(sample_assessment):
    Assessment.objects.filter(pk=sample_assessment.pk).update(
        is_locked=False, phase=Assessment.Phase.APPRAISAL
    )
    sample_assessment.refresh_from_db()
    return sample_assessment


def criterion(assessment, code):
    return Criterion.objects.get(framework=assessment.framework, code=code)


def row(assessment, code, **values):
    stored = Score.objects.filter(assessment=assessment, criterion__code=code).first()
    return {criterion(assessment, code).pk: RowInput(stored.version if stored else 0, values)}


def snapshot():
    return (
        list(Score.objects.order_by("pk").values_list("self_score", "appraised_score", "appraisal_comment")),
        Score.history.count(),
        WorkflowEvent.objects.count(),
    )


def write(assessment, code, **values):
    return write_scores(
        user=None, assessment=assessment, rows=row(assessment, code, **values), source=ChangeSource.ADMIN
    )


@pytest.mark.parametrize(
    ("code", "values", "message"),
    [
        ("1.1", {"appraised_score": 1.4}, "1.1: điểm thẩm định “1.4” không phải là số."),
        (
            "1.1",
            {"appraised_score": Decimal("1.23456")},
            "1.1: điểm thẩm định 1.23456 có quá 4 chữ số thập phân.",
        ),
        ("1.1", {"appraised_score": Decimal("99")}, "1.1: điểm thẩm định 99 lớn hơn điểm tối đa 1,5."),
        ("1.1", {"rechecked_score": Decimal("-1")}, "1.1: điểm phúc tra không được âm."),
        (
            "2.4.1",
            {"self_score": Decimal("0.5")},
            "2.4.1: tiêu chí chấm qua điều tra xã hội học không có điểm tự đánh giá.",
        ),
        (
            "1",
            {"appraised_score": Decimal("9")},
            "1: tiêu chí có tiêu chí con, điểm của nó là tổng các tiêu chí con; không ghi được điểm "
            "thẩm định, chỉ ghi được ý kiến.",
        ),
    ],
)
def test_what_no_writer_may_write(open_sample, code, values, message):
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        write(open_sample, code, **values)
    assert refused.value.message == message
    assert snapshot() == before


def test_a_locked_assessment_takes_no_write(sample_assessment):
    assert sample_assessment.is_locked
    before = snapshot()
    with pytest.raises(DomainError, match="đã khóa: không sửa được điểm"):
        write(sample_assessment, "1.1", appraised_score=Decimal("1.4"))
    assert snapshot() == before


def test_no_score_on_a_criterion_not_applicable(open_sample):
    services.set_applicable(
        user=None,
        assessment=open_sample,
        criterion=criterion(open_sample, "1.2"),
        applicable=False,
        reason="Không",
    )
    with pytest.raises(DomainError) as refused:
        write(open_sample, "1.2", appraised_score=Decimal("0.4"))
    assert refused.value.message == "1.2: tiêu chí không áp dụng, không chấm điểm thẩm định."


def test_a_parent_row_holds_a_remark(open_sample):
    (saved,) = write(open_sample, "2.4", appraisal_comment="Kết quả điều tra xã hội học")
    assert saved.criterion.code == "2.4" and saved.version == 1


def test_the_appraisal_page_writes_through_the_service_and_leaves_an_event(open_sample, django_user_model):
    council = django_user_model.objects.create(username="hoidong")
    services.save_appraisal(
        user=council, assessment=open_sample, rows=row(open_sample, "1.1", appraised_score=Decimal("1.4"))
    )
    score = Score.objects.get(assessment=open_sample, criterion__code="1.1")
    assert (score.appraised_score, score.version) == (Decimal("1.4"), 2)
    assert score.history.first().change_source == ChangeSource.FORM
    event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.SCORE)
    assert (event.user, event.criterion.code, event.detail) == (
        council,
        "1.1",
        "Trang nhập liệu: 1 tiêu chí (1.1)",
    )
    # The criterion's history shows the change once, from its record, not again as an event.
    history = services.criterion_history(open_sample, score.criterion, [])
    assert [entry.kind for entry in history] == ["score", "score"]


def test_nothing_changed_leaves_no_event(open_sample):
    assert write(open_sample, "1.1", appraised_score=Decimal("1.4634")) == []
    assert not WorkflowEvent.objects.exists()
