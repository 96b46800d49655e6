"""Rules as data: shipped with the 2023 reference framework (idempotently), set in the admin
through the notation with Vietnamese errors, applied to a score row's figures in the admin,
and a section's cap applied in the roll-up."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from assessments import scoring
from assessments.models import Assessment, Criterion, Framework, Score, Subject, SubjectKind
from assessments.reference_data import load_reference_data

D = Decimal
pytestmark = pytest.mark.django_db

SHIPPED = {
    "1.1": "tỷ lệ",
    "1.3.2": "tỷ lệ",
    "3.2.3": "affine 0,5",
    "6.1.1": "phần trăm",
    "7.1.4": "tỷ lệ",
    "7.3.5": "phần trăm",
    "7.3.6": "phần trăm",
    "8.5": "có trọng số",
}


def framework_2023():
    return Framework.objects.get(year=2023, owner=None, subject_kind=SubjectKind.PROVINCE)


def test_the_2023_framework_ships_the_rules_of_eight_criteria(reference_data):
    criteria = {c.code: c for c in framework_2023().criteria.all()}
    with_rules = {
        code: c.rule.to_notation(labels=False) for code, c in criteria.items() if c.rule_kind != "none"
    }
    assert with_rules == SHIPPED
    assert criteria["1.1"].rule.labels == ("số nhiệm vụ hoàn thành", "tổng số nhiệm vụ trong kế hoạch CCHC")
    assert criteria["1.1"].rule_description.startswith(
        "Điểm = 1,5 × số nhiệm vụ hoàn thành / tổng số nhiệm vụ trong kế hoạch CCHC."
    )


def test_loading_the_reference_data_again_keeps_the_rules_as_they_are(reference_data):
    before = list(
        framework_2023().criteria.values_list("code", "rule_kind", "rule_parameters", "figure_labels")
    )
    load_reference_data()
    after = list(
        framework_2023().criteria.values_list("code", "rule_kind", "rule_parameters", "figure_labels")
    )
    assert after == before


@pytest.fixture
def admin_client(client, reference_data):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x-secret-9")
    client.force_login(user)
    return client


def _criterion_form(criterion, **changes):
    data = {
        "framework": criterion.framework_id,
        "parent": criterion.parent_id or "",
        "code": criterion.code,
        "name": criterion.name,
        "max_score": str(criterion.max_score),
        "method": criterion.method,
        "guidance": criterion.guidance,
        "scoring_rule": criterion.rule_notation,
        "section": criterion.section,
        # The lead/contributing agencies inline, left as it is.
        "agency_links-TOTAL_FORMS": "0",
        "agency_links-INITIAL_FORMS": "0",
        "agency_links-MIN_NUM_FORMS": "0",
        "agency_links-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_the_admin_sets_a_rule_in_the_notation(admin_client):
    criterion = framework_2023().criteria.get(code="1.2")
    url = f"/admin/assessments/criterion/{criterion.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "Cách tính điểm" in page
    response = admin_client.post(
        url, _criterion_form(criterion, scoring_rule="trừ 0,25/mục [số báo cáo trễ hạn]")
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.rule_kind, criterion.rule_parameters, criterion.figure_labels) == (
        "deduction",
        {"per_item": "0.25", "floor": "0"},
        "số báo cáo trễ hạn",
    )
    assert "trừ 0,25/mục, tối thiểu 0 [số báo cáo trễ hạn]" in admin_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("notation", "message"),
    [
        ("tỷ số", "không đọc được"),
        ("ngưỡng 95:1; 80:0,5", "lớn hơn điểm tối đa 0,5"),
        ("affine 2", "từ 0 đến dưới 1"),
    ],
)
def test_the_admin_refuses_a_rule_it_cannot_read_in_vietnamese_and_changes_nothing(
    admin_client, notation, message
):
    criterion = framework_2023().criteria.get(code="1.2")  # max 0,5
    url = f"/admin/assessments/criterion/{criterion.pk}/change/"
    response = admin_client.post(url, _criterion_form(criterion, scoring_rule=notation))
    assert response.status_code == 200
    assert message in response.content.decode()
    criterion.refresh_from_db()
    assert (criterion.rule_kind, criterion.rule_parameters) == ("none", {})


def _score_form(score, **changes):
    data = {
        "assessment": score.assessment_id,
        "criterion": score.criterion_id,
        "applicable": "on",
        "self_score": "1,5",
        "self_figures": "",
        "explanation": "",
        "appraised_score": "1,4634",
        "appraised_figures": "",
        "appraised_override_reason": "",
        "appraisal_comment": score.appraisal_comment,
        "response": "",
        "rechecked_score": "",
        "recheck_comment": "",
        "opened_version": score.version,
        "reason": "Sửa theo số liệu đã kiểm tra",
    }
    data.update(changes)
    return data


def test_the_admin_score_form_computes_the_score_from_the_figures(admin_client):
    score = Score.objects.get(criterion__framework=framework_2023(), criterion__code="1.1")
    # The sample is locked (published): the admin edits only an unlocked assessment.
    Assessment.objects.filter(pk=score.assessment_id).update(is_locked=False)
    url = f"/admin/assessments/score/{score.pk}/change/"
    response = admin_client.post(url, _score_form(score, appraised_score="", appraised_figures="40/41"))
    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.appraised_figures, score.appraised_score) == ("40/41", D("1.4634"))
    response = admin_client.post(url, _score_form(score, appraised_score="1,2", appraised_figures="40/41"))
    assert response.status_code == 200
    assert "ghi lý do điều chỉnh" in response.content.decode()
    response = admin_client.post(url, _score_form(score, self_figures="42/41"))
    assert "tử số lớn hơn mẫu số" in response.content.decode()
    score.refresh_from_db()
    assert (score.self_figures, score.appraised_score) == ("", D("1.4634"))


def test_a_bonus_section_counts_at_most_its_cap():
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="98")
    framework = Framework.objects.create(year=2031, subject_kind=SubjectKind.PROVINCE, name="Thử")
    made = {}
    for code, maximum, notation in [
        ("1", "1", ""),
        ("1.1", "1", "tỷ lệ"),
        ("9", "2", "tối đa 2"),
        ("9.1", "1,5", ""),
        ("9.2", "1,5", ""),
    ]:
        criterion = Criterion(
            framework=framework,
            parent=made.get(code.rpartition(".")[0]),
            code=code,
            name=code,
            max_score=D(maximum.replace(",", ".")),
        )
        scoring.parse_notation(notation).apply_to(criterion)
        criterion.save()
        made[code] = criterion
    assessment = Assessment.objects.create(subject=province, framework=framework)
    for code, value in [("1.1", "1"), ("9.1", "1.5"), ("9.2", "1")]:
        Score.objects.create(
            assessment=assessment, criterion=made[code], self_score=D(value), appraised_score=D(value)
        )
    result = scoring.compute(assessment)
    bonus = result.by_code["9"]
    assert (bonus.max, bonus.self_score, bonus.appraised) == (D(2), D(2), D(2))
    assert not result.issues()
    Score.objects.filter(criterion=made["9.1"]).update(appraised_score=D("0.5"))
    assert scoring.compute(assessment).by_code["9"].appraised == D("1.5")


def test_a_score_form_without_the_figures_checks_a_score_against_the_stored_figures(reference_data):
    from django.forms import modelform_factory

    from assessments.admin_rules import ScoreFiguresForm

    score = Score.objects.get(criterion__framework=framework_2023(), criterion__code="1.1")
    Score.objects.filter(pk=score.pk).update(appraised_figures="40/41")
    score.refresh_from_db()
    Inline = modelform_factory(
        Score, form=ScoreFiguresForm, fields=["assessment", "criterion", "appraised_score"]
    )
    data = {"assessment": score.assessment_id, "criterion": score.criterion_id}
    form = Inline(data={**data, "appraised_score": "1.2"}, instance=score)
    assert not form.is_valid()
    assert "khác điểm tính từ số liệu thẩm định 40/41 (1,4634)" in str(form.errors)
    assert Inline(data={**data, "appraised_score": "1.4634"}, instance=score).is_valid()
