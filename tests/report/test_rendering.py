"""Rendering details: the fetcher's refusals, a year without last year's data, the command."""

import logging

import pytest
from django.core.management import call_command

from assessments.models import PublishedResult
from reports import pdf
from reports.compose import build_report
from reports.docx import render_docx
from reports.html import document_html

from .conftest import docx_text, html_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/static/fonts/LiberationSerif-Regular.ttf",
        "https://parindex.invalid/etc/passwd",
        "https://parindex.invalid/static/../../../etc/passwd",
        "https://parindex.invalid/static/fonts/../../manage.py",
        "https://parindex.invalid/static/nothing-here.ttf",
        "data:text/plain,hello",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    fetcher = pdf.url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.fetched == []


def test_fetcher_serves_the_shipped_font():
    response = pdf.url_fetcher().fetch("https://parindex.invalid/static/fonts/LiberationSerif-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"


def test_weasyprint_never_loads_a_refused_url():
    html = (
        '<p>a</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="https://example.com/x.css">'
    )
    fetcher = pdf.url_fetcher()
    from weasyprint import HTML

    HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).write_pdf()
    assert fetcher.fetched == []


def test_year_without_previous_data_renders_without_comparisons(sample_assessment):
    PublishedResult.objects.filter(year=2022).delete()
    report = build_report(sample_assessment)
    texts = {"html": html_text(str(document_html(report))), "docx": docx_text(render_docx(report))}
    texts["pdf"] = pdf_text(pdf.render_pdf(report))
    for text in texts.values():
        assert "88,01/100 điểm" in text
        assert "đứng thứ 21/63 tỉnh, thành phố." in text  # rank, no rank change
        assert "so với năm 2022" not in text
        assert "bậc" not in text
        assert "84,47" not in text
        assert "1. Kết quả từng lĩnh vực" in text
        assert "Chỉ số đạt 97,71%, đứng thứ 29/63 tỉnh, thành phố." in text
        assert "KẾT QUẢ CHỈ SỐ TỪNG LĨNH VỰC NĂM 2023" in text


def test_year_without_any_published_result(sample_assessment):
    PublishedResult.objects.all().delete()
    text = html_text(str(document_html(build_report(sample_assessment))))
    assert "Chỉ số đạt 88,01%." in text
    assert "đứng thứ 21/63" not in text
    assert "Chỉ số đạt 97,71%." in text
    assert "Kết quả từng lĩnh vực" in text
    assert "Thứ hạng các lĩnh vực" not in text  # no rank chart without ranks


def test_render_report_command(sample_assessment, tmp_path):
    out = tmp_path / "bao-cao.html"
    call_command(
        "render_report", "--subject", "Bình Phước", "--year", "2023", "--format", "html", "-o", str(out)
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    assert "88,01/100 điểm" in text and "<svg" in text and "<?xml" not in text
    docx_path = tmp_path / "bao-cao.docx"
    call_command(
        "render_report", "--subject", "70", "--year", "2023", "--format", "docx", "-o", str(docx_path)
    )
    assert "88,01/100 điểm" in docx_text(docx_path.read_bytes())


def test_render_report_command_unknown_subject(reference_data, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command(
            "render_report", "--subject", "Atlantis", "--year", "2023", "-o", str(tmp_path / "x.pdf")
        )


def test_open_year_with_nothing_appraised_renders_in_all_three_formats(sample_assessment):
    """A province's first open year (e.g. created by the 2025 merger): no score, no history."""
    from assessments.models import Score

    PublishedResult.objects.all().delete()
    Score.objects.filter(assessment=sample_assessment).update(appraised_score=None, self_score=None)
    report = build_report(sample_assessment)
    text = html_text(str(document_html(report)))
    assert "BÁO CÁO" in text
    assert "Chỉ số các lĩnh vực năm 2023" not in text  # no index chart without any index
    assert docx_text(render_docx(report))
    assert pdf_text(pdf.render_pdf(report))


def test_weasyprint_reads_the_stylesheet_without_a_warning(sample_assessment, caplog):
    """Every rule of report.css is one WeasyPrint understands: the worker's log holds no warning
    on each rendering, so that a real one is seen (the phone's rules live in report-phone.css,
    which only the page links)."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf.render_pdf(build_report(sample_assessment))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
