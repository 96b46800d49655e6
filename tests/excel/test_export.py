"""The annex export: official layout, and it imports back unchanged."""

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from assessments import scoring
from assessments.exchange.annex import import_annex
from assessments.exchange.export import export_annex
from assessments.models import Assessment, Criterion, Framework, Score

pytestmark = pytest.mark.django_db


def reopen(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_official_layout(sample_assessment):
    export = export_annex(sample_assessment)
    assert export.filename == "phu-luc-chi-so-cchc-2023-binh-phuoc.xlsx"
    assert export.rows == 133
    ws = reopen(export.content)
    assert ws["A1"].value == "PHỤ LỤC"
    assert ws["A2"].value == "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023 CỦA TỈNH BÌNH PHƯỚC"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[5]] == [
        "STT",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "Điểm chuẩn",
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        "Điểm phúc tra",
        "Không áp dụng",
        "Ý kiến hội đồng thẩm định",
    ]
    assert ws.print_title_rows == "$5:$5"
    field_row, leaf_row = ws[6], ws[10]
    assert field_row[0].value == "1" and field_row[0].font.b
    assert field_row[4].number_format == "0.0000"
    assert leaf_row[0].value == "1.3.1" and not leaf_row[0].font.b
    assert leaf_row[4].value == 1
    assert ws["C7"].value == pytest.approx(1.5) and ws["C7"].number_format == "0.0"
    assert ws["H7"].value.startswith("Theo kết quả thẩm định: Tỉnh hoàn thành 40/41")
    last = ws.max_row
    assert ws.cell(row=last, column=1).value == "TỔNG ĐIỂM"
    assert ws.cell(row=last, column=8).value == "Chỉ số: 88,01%"


def test_comment_starting_with_equals_is_text_not_formula(sample_assessment):
    score = Score.objects.get(assessment=sample_assessment, criterion__code="1.2")
    score.appraisal_comment = '=HYPERLINK("http://x","bấm")'
    score.save()
    Criterion.objects.filter(code="1.4").update(name="=1+1 tuyên truyền")
    content = export_annex(sample_assessment).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"HYPERLINK" not in b"".join(
            re.findall(rb"<f>[^<]*</f>", archive.read("xl/worksheets/sheet1.xml"))
        )
    ws = reopen(content)
    cell = next(r[7] for r in ws.iter_rows() if r[0].value == "1.2")
    assert cell.data_type == "s"
    assert cell.value == score.appraisal_comment
    name = next(r[1] for r in ws.iter_rows() if r[0].value == "1.4")
    assert (name.data_type, name.value) == ("s", "=1+1 tuyên truyền")
    # Formulas are only the parent rows' sums.
    formulas = {c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"}
    assert formulas and all(coordinate[0] in "CDE" for coordinate in formulas)


def test_round_trip_into_an_empty_database(sample_assessment, tmp_path, capsys):
    Score.objects.filter(assessment=sample_assessment, criterion__code="1.2").update(
        appraisal_comment="-0,5 điểm vì nộp chậm"
    )
    before = scoring.compute(sample_assessment).as_dict()
    path = tmp_path / "phu-luc.xlsx"
    call_command("export_annex", subject="Bình Phước", year=2023, output=str(path))
    assert "133 dòng tiêu chí" in capsys.readouterr().out
    subject = sample_assessment.subject
    comments = dict(Score.objects.values_list("criterion__code", "appraisal_comment"))
    # Another, empty database: nothing left but the provinces.
    Score.history.all().delete()
    Score.objects.all().delete()
    Assessment.objects.all().delete()
    Criterion.objects.all().delete()
    Framework.objects.all().delete()

    outcome = import_annex(path.read_bytes(), subject, 2023, filename=path.name)

    assert outcome.errors == []
    assert [str(n) for n in outcome.notes] == []
    after = scoring.compute(Assessment.objects.get(subject=subject)).as_dict()
    assert after == before
    assert dict(Score.objects.values_list("criterion__code", "appraisal_comment")) == comments
    # And exported again, the second import changes nothing.
    again = import_annex(
        export_annex(Assessment.objects.get(subject=subject)).content, subject, 2023, dry_run=True
    )
    assert again.summary() == "0 dòng mới, 0 dòng thay đổi, 101 dòng không đổi"
