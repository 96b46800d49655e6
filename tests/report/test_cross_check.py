"""The report page's "Đối chiếu số liệu" box: the check_figures list (remark slips, declared
figures, published indices) shown to Sở Nội vụ, appraisers and viewers on the page, never in
the PDF or Word document sent out, without a query of its own."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import scoring
from assessments.models import PublishedResult, Role, Score
from reports.compose import build_report
from reports.docx import render_docx
from reports.pdf import render_pdf

from .conftest import docx_text, make_user, pdf_text

pytestmark = pytest.mark.django_db

BOX = re.compile(r'<section class="figure-check[^"]*".*?</section>', re.DOTALL)


def detail(assessment):
    return reverse("reports:detail", kwargs={"pk": assessment.pk})


def box_of(client, assessment) -> str:
    response = client.get(detail(assessment))
    assert response.status_code == 200
    found = BOX.findall(response.content.decode())
    assert len(found) == 1, "one cross-check box on the page"
    return html.unescape(found[0])


def codes_in(box: str) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', box)


@pytest.fixture
def appraiser(reference_data, django_user_model):
    return make_user(django_user_model, "dana", Role.APPRAISER, province=reference_data)


@pytest.mark.parametrize("who", ["owner", "appraiser", "viewer"])
def test_the_reference_report_page_shows_1_3_2_and_field_7(client, sample_assessment, request, who):
    client.force_login(request.getfixturevalue(who))
    box = box_of(client, sample_assessment)
    assert "Đối chiếu số liệu" in box
    assert codes_in(box) == ["1.3.2", "7"]
    for problem in scoring.check_figures(sample_assessment):
        assert problem.message in box
    assert "47/49" in box and "0,9592" in box and "0,9388" in box
    assert "87,41" in box and "87,38" in box


def test_the_box_follows_the_data_and_says_so_when_all_agree(client, owner, sample_assessment):
    Score.objects.filter(assessment=sample_assessment, criterion__code="1.3.2").update(
        appraisal_comment="Đã xử lý 46/49 vấn đề phát hiện qua thanh tra."
    )
    PublishedResult.objects.filter(
        subject=sample_assessment.subject, year=sample_assessment.year, field_code="7"
    ).update(index="87.38")
    client.force_login(owner)
    box = box_of(client, sample_assessment)
    assert codes_in(box) == []
    assert "đều khớp với điểm" in box


def test_the_page_issues_no_more_queries_for_more_problems(client, owner, sample_assessment):
    client.force_login(owner)
    client.get(detail(sample_assessment))  # session and caches warmed alike for both counts
    with CaptureQueriesContext(connection) as reference:
        assert len(codes_in(box_of(client, sample_assessment))) == 2
    for code, slip in (("1.1", "39/41"), ("7.1.4", "09/17"), ("6.1.1", "70,00%")):
        Score.objects.filter(assessment=sample_assessment, criterion__code=code).update(
            appraisal_comment=f"Kết quả {slip} theo báo cáo."
        )
    with CaptureQueriesContext(connection) as more:
        assert len(codes_in(box_of(client, sample_assessment))) == 5
    assert len(more) == len(reference) <= 19


def test_the_pdf_and_word_sent_out_have_no_cross_check_box(client, owner, sample_assessment):
    problems = scoring.check_figures(sample_assessment)
    assert [p.code for p in problems] == ["1.3.2", "7"]
    client.force_login(owner)
    page_box = box_of(client, sample_assessment)
    report = build_report(sample_assessment)
    for text in (pdf_text(render_pdf(report)), docx_text(render_docx(report))):
        assert "88,01" in text  # the document itself is there
        assert "Đối chiếu số liệu" not in text
        for problem in problems:
            assert problem.message in page_box
            assert problem.message not in text
