"""The field summary and the national results tables; region rank and ranked count from data."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from assessments import scoring
from assessments.exchange.national import import_national_sheet
from assessments.exchange.published import import_field_summary_sheet, ranked_count_default
from assessments.exchange.tables import read_tables
from assessments.models import ChangeSource, PublishedResult, Subject

from .conftest import FIELD_SUMMARY_TSV, to_bytes

pytestmark = pytest.mark.django_db

SUMMARY = [
    ("1", "Chỉ đạo, điều hành CCHC", "97,71", 29, "84,09", 52),
    ("2", "Cải cách thể chế", "94,31", 18, "92,73", 22),
    ("3", "Cải cách TTHC", "91,68", 48, "91,94", 52),
    ("4", "Cải cách tổ chức bộ máy hành chính nhà nước", "92,27", 26, "80,27", 62),
    ("5", "Cải cách chế độ công vụ", "81,30", 46, "84,42", 16),
    ("6", "Cải cách tài chính công", "90,57", 12, "75,54", 51),
    ("7", "Xây dựng phát triển chính quyền điện tử, chính quyền số", "87,41", 15, "89,55", 3),
    ("8", "Tác động của cải cách", "77,76", 30, "78,82", 34),
]


def field_summary_workbook(total=("Tổng", "", "88,01", 21, "84,47", 39)) -> bytes:
    """As in the report: a title, two header rows with merged cells, a "Tổng" row."""
    wb = Workbook()
    ws = wb.active
    ws.append(["BẢNG TỔNG HỢP Kết quả Chỉ số từng lĩnh vực năm 2022 và năm 2023"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(
        [
            "STT",
            "Lĩnh vực",
            "Chỉ số, thứ hạng lĩnh vực năm 2023",
            None,
            "Chỉ số, thứ hạng lĩnh vực năm 2022 (%)",
        ]
    )
    ws.append([None, None, "Chỉ số (%)", "Thứ hạng", "Chỉ số (%)", "Thứ hạng"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:D3")
    ws.merge_cells("E3:F3")
    for code, name, index, rank, index_before, rank_before in SUMMARY:
        ws.append([int(code), name, index, rank, float(index_before.replace(",", ".")), rank_before])
    ws.append(list(total))
    return to_bytes(wb)


def binh_phuoc():
    return Subject.objects.get(code="70", valid_until__isnull=False)


def test_field_summary_with_two_header_rows(sample_assessment):
    PublishedResult.objects.all().delete()
    (sheet,) = read_tables(field_summary_workbook())
    outcome = import_field_summary_sheet(sheet, sample_assessment.subject, 2023)
    assert outcome.errors == []
    stored = {(p.year, p.field_code): p for p in PublishedResult.objects.all()}
    assert len(stored) == 18
    assert stored[(2023, "")].index == Decimal("88.01") and stored[(2023, "")].rank == 21
    assert stored[(2022, "4")].index == Decimal("80.27") and stored[(2022, "4")].rank == 62
    assert {p.ranked_count for p in stored.values()} == {63}
    # Field 7: published 87,41, computed 87,38: kept as published, the difference reported.
    assert stored[(2023, "7")].index == Decimal("87.41")
    notes = [str(n) for n in outcome.notes]
    assert len(notes) == 1
    assert "lĩnh vực 7 năm 2023: chỉ số công bố 87,41% khác chỉ số tính từ điểm 87,38%" in notes[0]
    assert PublishedResult.history.filter(change_source=ChangeSource.IMPORT).count() == 18


def test_field_summary_reference_tsv_via_command(sample_assessment, capsys):
    PublishedResult.objects.filter(year=2022).delete()
    call_command("import_field_summary", str(FIELD_SUMMARY_TSV), subject="70", year=2023)
    out = capsys.readouterr().out
    assert "87,41% khác chỉ số tính từ điểm 87,38%" in out
    assert "9 dòng mới, 0 dòng thay đổi, 9 dòng không đổi" in out


def test_rank_with_count_from_the_table(sample_assessment):
    (sheet,) = read_tables(field_summary_workbook(total=("Tổng", "", "88,01", "21/63", "84,47", "39/63")))
    outcome = import_field_summary_sheet(sheet, sample_assessment.subject, 2023, dry_run=True)
    assert outcome.errors == []
    assert outcome.count("changed") == 0


def test_field_summary_bad_values_refused(sample_assessment):
    (sheet,) = read_tables(field_summary_workbook(total=("Tổng", "", "188,01", "hai mốt", "84,47", 39)))
    before = list(PublishedResult.objects.values_list("index", "rank"))
    outcome = import_field_summary_sheet(sheet, sample_assessment.subject, 2023)
    errors = [str(e) for e in outcome.errors]
    assert "Dòng 13 (Tổng): chỉ số năm 2023 '188,01' không nằm trong khoảng 0–100" in errors
    assert "Dòng 13 (Tổng): thứ hạng năm 2023 'hai mốt' không phải là số" in errors
    assert list(PublishedResult.objects.values_list("index", "rank")) == before


def test_ranked_count_comes_from_subject_validity(provinces):
    subject = binh_phuoc()
    assert ranked_count_default(subject, 2023) == 63
    assert ranked_count_default(Subject.objects.get(code="75", valid_from__isnull=False), 2025) == 34


# --- national results -------------------------------------------------------------------------


def national_workbook(year=2023, *, with_rank=True, extra=()) -> bytes:
    """All provinces: Bình Phước 21st with 88,01; Bà Rịa - Vũng Tàu ahead of it in its region."""
    import datetime

    provinces = list(
        Subject.objects.filter(kind="province").valid_on(datetime.date(year, 12, 31)).order_by("code")
    )
    fixed = {"70": Decimal("88.01"), "77": Decimal("90.12")}
    others = [p for p in provinces if p.code not in fixed]
    indices = dict(fixed)
    # The other Đông Nam Bộ provinces below Bình Phước, the rest spread around.
    for position, p in enumerate(others):
        if p.region == "Đông Nam Bộ":
            indices[p.code] = Decimal("85.00") - position / Decimal(100)
        else:
            indices[p.code] = Decimal("93.50") - Decimal(position) * Decimal("0.15")
    ranks = scoring.rank(indices)
    wb = Workbook()
    ws = wb.active
    ws.append([f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA CÁC TỈNH, THÀNH PHỐ"])
    ws.merge_cells("A1:F1")
    header = ["STT", "Tỉnh, thành phố", "Chỉ số PAR INDEX (%)"] + (["Xếp hạng"] if with_rank else [])
    ws.append([*header, "LV1", "LV2"])
    for position, p in enumerate(sorted(provinces, key=lambda p: ranks[p.code]), start=1):
        name = f"Tỉnh {p.name}" if position % 3 == 0 else p.name
        row = [position, name, format(indices[p.code], "f").replace(".", ",")]
        if with_rank:
            row.append(ranks[p.code])
        ws.append([*row, "90,5", "91,25"])
    for row in extra:
        ws.append(row)
    return to_bytes(wb)


def test_national_results_give_rank_region_rank_and_count(reference_data, capsys):
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(national_workbook())
        handle.flush()
        call_command("import_national_results", handle.name, year=2023)
    assert "Đã nhập" in capsys.readouterr().out
    subject = binh_phuoc()
    total = PublishedResult.objects.get(subject=subject, year=2023, field_code="")
    assert total.index == Decimal("88.01")
    assert total.ranked_count == 63
    assert PublishedResult.objects.filter(year=2023, field_code="").count() == 63
    assert PublishedResult.objects.filter(year=2023, field_code="2").count() == 63
    region = scoring.region_rank(subject, 2023)
    assert (region.rank, region.count, region.region) == (2, 6, "Đông Nam Bộ")
    assert [s.name for s in region.ahead] == ["Bà Rịa - Vũng Tàu"]


def test_region_rank_unknown_without_national_results(reference_data):
    assert scoring.region_rank(binh_phuoc(), 2023) is None


def test_national_results_without_rank_column_are_ranked_from_indices(reference_data):
    (sheet,) = read_tables(national_workbook(with_rank=False))
    outcome = import_national_sheet(sheet, 2023)
    assert outcome.errors == []
    assert any("thứ hạng được tính từ chỉ số" in str(n) for n in outcome.notes)
    assert PublishedResult.objects.get(subject=binh_phuoc(), year=2023, field_code="").rank is not None
    assert scoring.region_rank(binh_phuoc(), 2023).rank == 2


def test_national_results_unknown_province_refuses_all(reference_data):
    (sheet,) = read_tables(national_workbook(extra=[[64, "Atlantis", "50", 64, "1", "1"]]))
    before = PublishedResult.objects.count()
    outcome = import_national_sheet(sheet, 2023)
    assert [str(e) for e in outcome.errors] == [
        "Dòng 66: không tìm thấy tỉnh, thành phố 'Atlantis' trong năm 2023"
    ]
    assert PublishedResult.objects.count() == before
