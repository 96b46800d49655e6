"""The appraisal page shows what the council decides with, beside its own boxes: the
department's score and figures, explanation, evidence (new tab), lead agency, last year's
score, the figure check list; the team corrects figures (the score follows) or keeps
another score with a reason."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Score
from tests.responses import close_download

from .world import last_year, scored_world

D = Decimal


def _page(client, small, query=""):
    client.force_login(small["users"]["appraiser"])
    url = reverse("assessments:appraisal", args=[small["assessment"].pk]) + query
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _row(html, criterion):
    match = re.search(rf'<tr class="leaf[^"]*" id="tc-{criterion.pk}">(.*?)</tr>', html, re.S)
    return match.group(1) if match else None


@pytest.mark.django_db
def test_each_row_shows_what_the_department_declared(client, small):
    scored_world(small)
    last_year(small, {"1.1": "1", "1.2": "1.25"})
    c = small["criteria"]
    html = _page(client, small)
    row = _row(html, c["1.1"])
    assert "0,9756" in row and "từ số liệu 40/41" in row  # self score computed from the figures
    assert "Hoàn thành 40 nhiệm vụ" in row
    assert "Chủ trì: Sở Tư pháp" in row
    assert re.search(
        r'<a href="/tai-lieu/\d+/\?xem=1" target="_blank" rel="noopener">ke-hoach-2031.pdf</a>', row
    )
    assert 'data-label="Năm 2030">1<' in row
    assert 'data-label="Năm 2030">1,25<' in _row(html, c["1.2"])
    assert "Năm 2030" in html.split("</thead>")[0]
    # The team's boxes: the corrected figures (with their labels) and the score.
    assert f'name="figures_{c["1.1"].pk}"' in row and "(số nhiệm vụ hoàn thành / tổng số nhiệm vụ)" in row
    assert f'name="reason_{c["1.1"].pk}"' in row
    assert f'name="figures_{c["1.2"].pk}"' not in _row(html, c["1.2"])  # no rule: a typed score
    assert "Đối chiếu số liệu" in html


@pytest.mark.django_db
def test_no_previous_year_says_so_with_a_dash(client, small):
    scored_world(small)
    html = _page(client, small)
    assert "Năm trước" in html.split("</thead>")[0]
    assert 'class="num previous" data-label="Năm trước">—<' in _row(html, small["criteria"]["1.1"])


@pytest.mark.django_db
def test_corrected_figures_give_the_score(client, small):
    a = scored_world(small)
    cid = small["criteria"]["1.1"].pk
    _page(client, small)
    url = reverse("assessments:appraisal", args=[a.pk])
    # No script ran: the score box is still empty; the figures give the score.
    response = client.post(url, {f"version_{cid}": 1, f"figures_{cid}": "38/41", f"score_{cid}": ""})
    assert response.status_code == 302
    score = Score.objects.get(assessment=a, criterion_id=cid)
    assert score.appraised_figures == "38/41" and score.appraised_score == D("0.9268")
    # Corrected again while the box still shows the stored score: the score follows again.
    client.post(url, {f"version_{cid}": score.version, f"figures_{cid}": "39/41", f"score_{cid}": "0,9268"})
    score.refresh_from_db()
    assert score.appraised_score == D("0.9512")
    assert score.history.first().change_source == "form"


@pytest.mark.django_db
def test_another_score_than_the_figures_needs_a_reason(client, small):
    a = scored_world(small)
    cid = small["criteria"]["1.1"].pk
    _page(client, small)
    url = reverse("assessments:appraisal", args=[a.pk])
    data = {f"version_{cid}": 1, f"figures_{cid}": "40/41", f"score_{cid}": "0,9"}
    html = client.post(url, data, follow=True).content.decode()
    assert "1.1: điểm thẩm định 0,9 khác điểm tính từ số liệu thẩm định 40/41 (0,9756)" in html
    assert Score.objects.get(assessment=a, criterion_id=cid).appraised_score is None
    data[f"reason_{cid}"] = "Một nhiệm vụ hoàn thành không đúng hạn"
    client.post(url, data)
    score = Score.objects.get(assessment=a, criterion_id=cid)
    assert score.appraised_score == D("0.9") and score.appraised_figures == "40/41"
    assert score.appraised_override_reason == "Một nhiệm vụ hoàn thành không đúng hạn"


@pytest.mark.django_db
def test_bad_figures_are_refused_beside_nothing_changed(client, small):
    a = scored_world(small)
    cid = small["criteria"]["1.1"].pk
    _page(client, small)
    url = reverse("assessments:appraisal", args=[a.pk])
    html = client.post(url, {f"version_{cid}": 1, f"figures_{cid}": "42/41", f"score_{cid}": ""}, follow=True)
    assert "1.1: số liệu “42/41”: tử số lớn hơn mẫu số." in html.content.decode()
    assert Score.objects.get(assessment=a, criterion_id=cid).appraised_score is None


@pytest.mark.django_db
def test_server_totals_count_every_criterion_whatever_the_filter(client, small):
    a = scored_world(small)
    c = small["criteria"]
    Score.objects.filter(assessment=a, criterion=c["1.2"]).update(appraised_score=D("1.5"))
    Score.objects.filter(assessment=a, criterion=c["2.1"]).update(appraised_score=D("2"))
    html = _page(client, small, "?field=1")
    assert 'data-subtotal-value="1">1,5</output> / 4' in html
    assert "<output data-overall-value>3,5</output> / 7" in html  # 1,5 + 2 of the whole tree
    assert f'id="tc-{c["2.1"].pk}"' not in html


@pytest.mark.django_db
def test_a_pdf_opened_from_the_appraisal_page_is_shown_not_downloaded(client, small):
    a = scored_world(small)
    html = _page(client, small)
    href = re.search(r'<a href="(/tai-lieu/\d+/\?xem=1)" target="_blank"', html).group(1)
    response = client.get(href)
    close_download(response)  # a FileResponse: its file is open until then
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    plain = client.get(href.split("?")[0])
    close_download(plain)
    assert plain["Content-Disposition"].startswith("attachment")
    assert a.evidence.count() == 1
