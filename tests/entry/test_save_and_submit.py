""" "Gửi" on the entry page saves what is on the screen and submits it in one transaction;
a refused submit writes nothing and shows the page again with every typed value kept."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Score, Submission, SubmittedAnswer

from .conftest import leaves_of


@pytest.fixture
def page(client, small):
    assessment, agency = small["assessment"], small["agency"]
    client.force_login(small["users"]["editor"])
    leaves = leaves_of(assessment, agency)
    return {
        "client": client,
        "url": reverse("assessments:entry", args=[assessment.pk, agency.pk]),
        "ids": [leaf.criterion.pk for leaf in leaves],
        "assessment": assessment,
    }


def _typed(ids, first_score="0,75", second_score="1,5"):
    a, b = ids
    return {
        f"version_{a}": "0",
        f"self_score_{a}": first_score,
        f"explanation_{a}": "Đã ban hành kế hoạch",
        f"version_{b}": "0",
        f"self_score_{b}": second_score,
        f"explanation_{b}": "Đủ báo cáo",
    }


@pytest.mark.django_db
def test_submit_button_saves_what_was_typed_then_submits(page):
    response = page["client"].post(page["url"], {**_typed(page["ids"]), "action": "submit"})
    assert response.status_code == 302
    a, b = page["ids"]
    assert Score.objects.get(criterion_id=a).self_score == Decimal("0.75")
    assert Score.objects.get(criterion_id=b).explanation == "Đủ báo cáo"
    submission = Submission.objects.get(assessment=page["assessment"])
    assert submission.is_submitted
    frozen = SubmittedAnswer.objects.get(submission=submission, criterion_id=a)
    assert frozen.self_score == Decimal("0.75")  # the typed value, not the empty stored one


@pytest.mark.django_db
def test_the_old_submit_url_also_saves_the_posted_rows(page, small):
    url = reverse("assessments:submit", args=[small["assessment"].pk, small["agency"].pk])
    assert page["client"].post(url, _typed(page["ids"])).status_code == 302
    assert Submission.objects.get().is_submitted
    assert Score.objects.get(criterion_id=page["ids"][0]).self_score == Decimal("0.75")


@pytest.mark.django_db
def test_refused_submit_keeps_every_typed_value_and_writes_nothing(page):
    data = {**_typed(page["ids"], second_score=""), "action": "submit"}
    response = page["client"].post(page["url"], data)
    assert response.status_code == 200  # shown again, not redirected
    html = response.content.decode()
    assert "Chưa gửi, chưa lưu gì" in html and "chưa có điểm tự đánh giá" in html
    assert 'value="0,75"' in html and "Đã ban hành kế hoạch" in html and "Đủ báo cáo" in html
    assert not Score.objects.exists()
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_invalid_input_on_submit_is_refused_beside_the_field(page):
    data = {**_typed(page["ids"], first_score="9"), "action": "submit"}
    response = page["client"].post(page["url"], data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "lớn hơn điểm tối đa" in html and 'value="9"' in html and 'value="1,5"' in html
    assert not Score.objects.exists() and not Submission.objects.exists()


@pytest.mark.django_db
def test_save_button_saves_without_submitting(page):
    response = page["client"].post(page["url"], {**_typed(page["ids"]), "action": "save"})
    assert response.status_code == 302
    assert Score.objects.count() == 2
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_page_has_one_form_with_both_buttons(page):
    html = page["client"].get(page["url"]).content.decode()
    form = html[html.index('id="entry-form"') : html.index("</form>", html.index('id="entry-form"'))]
    assert 'name="action" value="save"' in form and 'name="action" value="submit"' in form
