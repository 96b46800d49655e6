"""A whole year in one go: one workbook, a sheet per province, one transaction."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from assessments.exchange.annex import import_annex_workbook
from assessments.models import Assessment, Framework, Score

from .conftest import annex_workbook, reference_rows, to_bytes

pytestmark = pytest.mark.django_db


def national_workbook(broken: str | None = None) -> bytes:
    cover = annex_workbook(title=False)
    wb = cover
    wb.active.title = "70"
    wb.create_sheet("Ghi chú", 0).append(["Kết quả thẩm định năm 2023, mỗi trang tính một tỉnh."])
    for name in ("Đồng Nai", "tỉnh Tây Ninh"):
        rows = [list(r) for r in reference_rows()]
        if name == broken:
            rows[2][4] = "nửa điểm"
        source = annex_workbook(rows, repeat_header_every=None).active
        target = wb.create_sheet(name)
        for row in source.iter_rows(values_only=True):
            target.append(row)
    return to_bytes(wb)


def test_every_sheet_imported_in_one_go(provinces, tmp_path, capsys):
    path = tmp_path / "toan-quoc.xlsx"
    path.write_bytes(national_workbook())
    call_command("import_annex", str(path), year=2023, all_sheets=True)
    out = capsys.readouterr().out
    assert "Đã nhập: 312 dòng mới" in out
    assert "[Ghi chú]: bỏ qua trang tính không có bảng phụ lục" in out
    assert Framework.objects.count() == 1
    names = set(Assessment.objects.values_list("subject__name", flat=True))
    assert names == {"Bình Phước", "Đồng Nai", "Tây Ninh"}
    assert Score.objects.count() == 312  # 3 × (101 leaves + 3 parent remarks)


def test_one_bad_sheet_refuses_the_whole_workbook(provinces):
    outcome = import_annex_workbook(national_workbook(broken="tỉnh Tây Ninh"), 2023)
    assert [str(e) for e in outcome.errors] == [
        "[tỉnh Tây Ninh] Dòng 11 (1.2): điểm thẩm định 'nửa điểm' không phải là số"
    ]
    assert not outcome.written
    assert not Framework.objects.exists() and not Score.objects.exists()


def test_sheet_not_named_after_a_province(provinces):
    wb = load_workbook(io.BytesIO(national_workbook()))
    wb["Đồng Nai"].title = "Atlantis"
    outcome = import_annex_workbook(to_bytes(wb), 2023)
    assert "[Atlantis]: tên trang tính không phải mã hoặc tên đối tượng nào trong năm 2023" in [
        str(e) for e in outcome.errors
    ]
    assert not Score.objects.exists()


def test_subject_required_without_all_sheets(provinces, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(national_workbook())
    with pytest.raises(CommandError, match="Cần --subject"):
        call_command("import_annex", str(path), year=2023)
