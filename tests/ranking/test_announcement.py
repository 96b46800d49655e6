"""The announcement (Quyết định công bố) with its ranking annex per block, and a unit's result
sheet, in PDF and Word, read back as text."""

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from assessments.models import Agency, Role, SubjectKind
from reports.announcement import build_announcement, build_unit_sheet
from reports.docx import render_docx
from reports.html import document_html
from tests.accounts import make_account

from .conftest import make_framework, make_unit, score_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocks(province):
    departments = make_framework(province, 2024)
    a, b = make_unit(province, "Sở An", "SA"), make_unit(province, "Sở Bình", "SB")
    first, _second = score_units(
        departments,
        [
            (a, {"1.1": "30", "1.2": "27.5", "2.1": "30", "3.1": "3"}),  # 87,5 + 3 = 90,5
            (b, {"1.1": "20", "1.2": "30", "2.1": "32"}),  # 82
        ],
    )
    communes = make_framework(province, 2024, SubjectKind.COMMUNE)
    x = make_unit(province, "Xã Tân Lập", "X1", SubjectKind.COMMUNE)
    y = make_unit(province, "Xã Chưa Chấm", "X2", SubjectKind.COMMUNE)
    score_units(communes, [(x, {"1.1": "15", "1.2": "15", "2.1": "20"}), (y, {})])  # 50, unranked
    return {"first": first}


def pdf_text(content: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(content)
        done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
        return done.stdout.decode()


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_announcement_names_the_blocks_and_ranks_each_in_its_annex(province, blocks):
    report = build_announcement(province, 2024)
    assert report.doc_type == "QUYẾT ĐỊNH"
    assert report.title_lines == [
        "Công bố Chỉ số cải cách hành chính năm 2024",
        "của các sở, ban, ngành và UBND cấp xã tỉnh Thử Nghiệm",
    ]
    text = "\n".join(getattr(b, "text", "") for b in report.blocks)
    assert "Điều 1. Công bố Chỉ số cải cách hành chính năm 2024" in text
    assert "Khối sở, ban, ngành: 02 đơn vị, chỉ số bình quân 86,25%; cao nhất Sở An (90,50%)" in text
    assert "thấp nhất Sở Bình (82,00%); xếp loại: Xuất sắc 01 đơn vị; Tốt 01 đơn vị." in text
    assert [a.label for a in report.annexes] == ["Phụ lục I", "Phụ lục II"]
    departments, communes = report.annexes
    assert "KHỐI SỞ, BAN, NGÀNH" in departments.title and "KHỐI UBND CẤP XÃ" in communes.title
    assert [[c.text for c in row.cells] for row in communes.blocks[0].rows] == [
        ["1", "Xã Tân Lập", "50", "100", "50,00", "1", "Trung bình"]
    ]
    assert communes.blocks[1].text == "Chưa xếp hạng (chưa có điểm thẩm định): Xã Chưa Chấm."
    table = departments.blocks[0]
    assert [c.label for c in table.columns] == [
        "STT",
        "Đơn vị",
        "Điểm đạt",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Xếp hạng",
        "Xếp loại",
    ]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["1", "Sở An", "90,5", "100", "90,50", "1", "Xuất sắc"],
        ["2", "Sở Bình", "82", "100", "82,00", "2", "Tốt"],
    ]


def test_announcement_pdf_and_word_carry_the_same_text(province, blocks):
    report = build_announcement(province, 2024)
    from reports.pdf import render_pdf

    pdf = pdf_text(render_pdf(report))
    word = docx_text(render_docx(report))
    for text in (pdf, word):
        assert "QUYẾT ĐỊNH" in text and "TM. ỦY BAN NHÂN DÂN" in text
        assert "Xã Tân Lập" in text and "Trung bình" in text
    assert "Sở An | 90,5 | 100 | 90,50 | 1 | Xuất sắc" in word
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf and "Phụ lục II" in pdf


def test_unit_sheet_lists_lost_points_with_the_team_remarks(province, blocks):
    report = build_unit_sheet(blocks["first"])
    html = document_html(report)
    assert "Điểm đạt: 90,5/100 điểm (trong đó điểm thưởng 3); Chỉ số: 90,50%; xếp hạng 1/2" in html
    assert "xếp loại Xuất sắc" in html
    table = report.blocks[-2]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["1.2", "Tiêu chí 1.2", "30", "27,5", "2,5", "Ý kiến về 1.2"],
        ["2.1", "Tiêu chí 2.1", "40", "30", "10", "Ý kiến về 2.1"],
    ]
    word = docx_text(render_docx(report))
    assert "1.2 | Tiêu chí 1.2 | 30 | 27,5 | 2,5 | Ý kiến về 1.2" in word


def test_downloads_in_scope_and_404_outside(client, province, accounts, blocks):
    client.force_login(accounts["viewer"])
    response = client.get(reverse("reports:announcement", args=[province.pk, 2024, "docx"]))
    assert response.status_code == 200
    assert "QUYẾT ĐỊNH" in docx_text(response.content)
    response = client.get(reverse("reports:unit_sheet", args=[blocks["first"].pk, "docx"]))
    assert response.status_code == 200 and "THÔNG BÁO" in docx_text(response.content)
    assert client.get(reverse("reports:announcement", args=[province.pk, 2019, "pdf"])).status_code == 404
    assert client.get(reverse("reports:announcement", args=[province.pk, 2024, "odt"])).status_code == 404
    client.force_login(accounts["other_province"])
    assert client.get(reverse("reports:announcement", args=[province.pk, 2024, "pdf"])).status_code == 404
    assert client.get(reverse("reports:unit_sheet", args=[blocks["first"].pk, "pdf"])).status_code == 404
    agency = Agency.objects.create(province=province, name="Sở An")
    client.force_login(make_account("bob", Role.DEPARTMENT_EDITOR, province, agency=agency))
    assert client.get(reverse("reports:unit_sheet", args=[blocks["first"].pk, "pdf"])).status_code == 404
