"""Declaring figures: the department's figures give its self score (1.1: 40/41 -> 1,4634),
stored together and kept in the history; the council corrects a figure and the score
follows, or keeps another score only with a reason; bad figures change nothing."""

from decimal import Decimal

import pytest

from assessments import services
from assessments.models import Assessment, Criterion, Score

D = Decimal
pytestmark = pytest.mark.django_db


def criterion(assessment, code):
    return Criterion.objects.get(framework=assessment.framework, code=code)


def row(assessment, code):
    return Score.objects.filter(assessment=assessment, criterion__code=code).first()


def declare(assessment, user, agency, code, figures, **extra):
    current = row(assessment, code)
    return services.declare_figures(
        user=user,
        assessment=assessment,
        criterion=criterion(assessment, code),
        figures=figures,
        version=current.version if current else 0,
        agency=agency,
        **extra,
    )


def test_the_copied_framework_keeps_the_rules(open_assessment):
    assert criterion(open_assessment, "1.1").rule_notation.startswith("tỷ lệ [")
    assert criterion(open_assessment, "3.2.3").rule_kind == "affine"


def test_declaring_40_of_41_for_1_1_stores_1_4634_with_the_figures_and_in_the_history(
    open_assessment, users, agencies
):
    saved = declare(open_assessment, users["process_owner"], agencies["SNV"], "1.1", "40/41")
    assert (saved.self_figures, saved.self_score) == ("40/41", D("1.4634"))
    stored = row(open_assessment, "1.1")
    assert (stored.self_figures, stored.self_score, stored.version) == ("40/41", D("1.4634"), 1)
    record = stored.history.get(version=1)
    assert (record.self_figures, record.self_score, record.change_source) == ("40/41", D("1.4634"), "form")


@pytest.mark.parametrize(
    ("code", "agency", "figures", "canonical", "score"),
    [
        ("3.2.3", "VP UBND", "89,06%", "89,06%", "0.9453"),
        ("6.1.1", "SKHĐT", "73.52 %", "73,52%", "0.7352"),
        ("7.1.4", "STTTT", "08/17", "8/17", "0.4706"),
        ("7.3.5", "STTTT", "98,49%", "98,49%", "0.4924"),
        ("8.5", "STC", "13,25/22", "13,25/22", "1.2045"),
    ],
)
def test_figures_are_stored_in_canonical_form_with_their_score(
    open_assessment, users, agencies, code, agency, figures, canonical, score
):
    declare(open_assessment, users["process_owner"], agencies[agency], code, figures)
    stored = row(open_assessment, code)
    assert (stored.self_figures, stored.self_score) == (canonical, D(score))


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ("40/0", "mẫu số bằng 0"),
        ("42/41", "tử số lớn hơn mẫu số"),
        ("-1/41", "âm"),
        ("abc", "không phải là số liệu"),
        ("101%", "lớn hơn 100%"),
        ("0,9388", "không phải là số liệu"),
    ],
)
def test_bad_figures_are_refused_naming_the_criterion_and_change_nothing(
    open_assessment, users, agencies, figures, message
):
    declare(open_assessment, users["process_owner"], agencies["SNV"], "1.1", "40/41")
    before = row(open_assessment, "1.1")
    with pytest.raises(services.DomainError) as caught:
        declare(open_assessment, users["process_owner"], agencies["SNV"], "1.1", figures)
    assert caught.value.message.startswith("1.1: ")
    assert message in caught.value.message
    after = row(open_assessment, "1.1")
    assert (after.self_figures, after.self_score, after.version) == (
        before.self_figures,
        before.self_score,
        1,
    )
    assert after.history.count() == 1


def test_a_self_score_typed_beside_figures_must_be_theirs(open_assessment, users, agencies):
    owner, snv = users["process_owner"], agencies["SNV"]
    with pytest.raises(services.DomainError, match=r"1\.1: điểm tự đánh giá 1,5 khác điểm tính từ số liệu"):
        declare(open_assessment, owner, snv, "1.1", "40/41", score=D("1.5"))
    assert row(open_assessment, "1.1") is None
    declare(open_assessment, owner, snv, "1.1", "40/41", score="1,4634")
    assert row(open_assessment, "1.1").self_score == D("1.4634")
    # A score typed alone later is checked against the figures already declared.
    rows = {criterion(open_assessment, "1.1").pk: services.RowInput(1, {"self_score": D("1.4")})}
    with pytest.raises(services.DomainError, match="khác điểm tính từ số liệu tự đánh giá 40/41"):
        services.save_part(user=owner, assessment=open_assessment, agency=snv, rows=rows)
    # Clearing the figures lets a typed score stand, as before.
    rows = {
        criterion(open_assessment, "1.1").pk: services.RowInput(
            1, {"self_score": D("1.4"), "self_figures": ""}
        )
    }
    services.save_part(user=owner, assessment=open_assessment, agency=snv, rows=rows)
    assert (row(open_assessment, "1.1").self_figures, row(open_assessment, "1.1").self_score) == (
        "",
        D("1.4"),
    )


def test_a_criterion_without_a_rule_takes_no_figures(open_assessment, users, agencies):
    with pytest.raises(services.DomainError, match=r"^1\.2: tiêu chí này nhập điểm trực tiếp"):
        declare(open_assessment, users["process_owner"], agencies["SNV"], "1.2", "1/2")
    assert row(open_assessment, "1.2") is None


def test_a_department_declares_only_its_own_criteria(open_assessment, users, agencies):
    with pytest.raises(services.DomainError):
        declare(open_assessment, users["editor"], agencies["STP"], "1.1", "40/41")
    assert row(open_assessment, "1.1") is None


def _appraise(assessment, users, code, figures, **extra):
    current = row(assessment, code)
    return services.declare_figures(
        user=users["appraiser"],
        assessment=assessment,
        criterion=criterion(assessment, code),
        figures=figures,
        version=current.version if current else 0,
        **extra,
    )


@pytest.fixture
def in_appraisal(open_assessment, users, agencies):
    declare(open_assessment, users["process_owner"], agencies["SNV"], "1.3.2", "47/49")
    services.set_phase(
        user=users["process_owner"], assessment=open_assessment, phase=Assessment.Phase.APPRAISAL
    )
    open_assessment.refresh_from_db()
    return open_assessment


def test_the_council_corrects_a_figure_and_the_score_follows(in_appraisal, users):
    _appraise(in_appraisal, users, "1.3.2", "47/49")
    assert row(in_appraisal, "1.3.2").appraised_score == D("0.9592")
    _appraise(in_appraisal, users, "1.3.2", "46/49")
    stored = row(in_appraisal, "1.3.2")
    assert (stored.self_figures, stored.self_score) == ("47/49", D("0.9592"))
    assert (stored.appraised_figures, stored.appraised_score) == ("46/49", D("0.9388"))
    assert [h.appraised_figures for h in stored.history.order_by("history_date")] == ["", "47/49", "46/49"]


def test_the_council_overrides_the_computed_score_only_with_a_reason(in_appraisal, users):
    with pytest.raises(services.DomainError, match="muốn giữ điểm khác, ghi lý do điều chỉnh"):
        _appraise(in_appraisal, users, "1.3.2", "46/49", score=D("0.9"))
    assert row(in_appraisal, "1.3.2").appraised_score is None
    with pytest.raises(services.DomainError, match="ghi lý do"):
        _appraise(in_appraisal, users, "1.3.2", "46/49", score=D("0.9"), reason="   ")
    _appraise(in_appraisal, users, "1.3.2", "46/49", score=D("0.9"), reason="Một vấn đề xử lý chưa triệt để")
    stored = row(in_appraisal, "1.3.2")
    assert (stored.appraised_figures, stored.appraised_score) == ("46/49", D("0.9"))
    assert stored.appraised_override_reason == "Một vấn đề xử lý chưa triệt để"
    from assessments import scoring

    assert not [p for p in scoring.check_figures(in_appraisal) if p.kind == "declared"]
    # Correcting the figure again: the score follows and the override is gone.
    _appraise(in_appraisal, users, "1.3.2", "45/49")
    stored = row(in_appraisal, "1.3.2")
    assert (stored.appraised_score, stored.appraised_override_reason) == (D("0.9184"), "")


def test_the_self_figures_cannot_be_changed_in_the_appraisal(in_appraisal, users):
    rows = {criterion(in_appraisal, "1.3.2").pk: services.RowInput(1, {"self_figures": "46/49"})}
    with pytest.raises(services.DomainError, match="không được sửa"):
        services.save_appraisal(user=users["appraiser"], assessment=in_appraisal, rows=rows)
    assert row(in_appraisal, "1.3.2").self_figures == "47/49"


def test_the_history_page_shows_the_figures_with_vietnamese_labels(client, open_assessment, users, agencies):
    from django.urls import reverse

    owner, snv = users["process_owner"], agencies["SNV"]
    declare(open_assessment, owner, snv, "1.1", "40/41")
    declare(open_assessment, owner, snv, "1.1", "39/41")
    client.force_login(owner)
    url = reverse(
        "assessments:criterion_history", args=[open_assessment.pk, criterion(open_assessment, "1.1").pk]
    )
    html = client.get(url).content.decode()
    assert 'Số liệu tự đánh giá</strong>: <span class="old">40/41</span> → <span class="new">39/41' in html
    assert "self_figures" not in html


def test_a_submitted_part_freezes_the_figures_with_the_score(open_assessment, users, agencies):
    from assessments.models import SubmittedAnswer
    from tests.entry.conftest import fill_all

    owner, snv = users["process_owner"], agencies["SNV"]
    fill_all(open_assessment, snv, owner, "0")
    declare(open_assessment, owner, snv, "1.1", "40/41")
    services.submit_part(user=owner, assessment=open_assessment, agency=snv)
    frozen = SubmittedAnswer.objects.get(criterion_code="1.1")
    assert (frozen.self_figures, frozen.self_score) == ("40/41", D("1.4634"))
