"""The national results table as it is published: a year merged over "Chỉ số (%) | Xếp hạng",
several years side by side, partial tables from the press, rank-only rows, the names
provinces had that year. Ranks are kept as published, contradictions refused, every problem
reported at once."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from assessments import scoring
from assessments.exchange.national import import_national_sheet
from assessments.exchange.tables import read_tables
from assessments.models import PublishedResult, Subject
from assessments.subjects import resolve_subject

from .conftest import to_bytes

pytestmark = pytest.mark.django_db

# A partial table as the press publishes it: Bình Phước 21st (not 7th among these rows).
PARTIAL_2023 = [
    ("Quảng Ninh", "93,02", 1),
    ("Hải Phòng", "91,76", 2),
    ("Bà Rịa - Vũng Tàu", "90,12", 9),
    ("Bình Phước", "88,01", 21),
    ("Thừa Thiên Huế", "87,50", 25),
    ("Đồng Nai", "86,20", 30),
    ("Bình Dương", "85,10", 40),
]
PARTIAL_2024 = {
    "Quảng Ninh": ("92,10", 3),
    "Hải Phòng": ("93,40", 1),
    "Bà Rịa - Vũng Tàu": ("90,90", 8),
    "Bình Phước": ("89,64", 14),
    "Thừa Thiên Huế": ("88,00", 20),
    "Đồng Nai": ("87,00", 28),
    "Bình Dương": ("86,50", 31),
}


def two_row_workbook(rows=PARTIAL_2023, *, label="Năm 2023", with_2024=False) -> bytes:
    """Title, then "STT | Tỉnh, thành phố | <label> (merged over two columns) [| Năm 2024]" over
    "Chỉ số (%) | Xếp hạng"."""
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC TỈNH, THÀNH PHỐ"])
    ws.merge_cells("A1:G1")
    ws.append(["STT", "Tỉnh, thành phố", label, None, *(["Năm 2024", None] if with_2024 else [])])
    ws.append([None, None, "Chỉ số (%)", "Xếp hạng", *(["Chỉ số (%)", "Xếp hạng"] if with_2024 else [])])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:D2")
    if with_2024:
        ws.merge_cells("E2:F2")
    for number, (name, index, rank) in enumerate(rows, start=1):
        extra = list(PARTIAL_2024[name]) if with_2024 else []
        ws.append([number, name, index, rank, *extra])
    return to_bytes(wb)


def sheet_of(content: bytes):
    (sheet,) = read_tables(content)
    return sheet


def stored(year, name):
    subject = resolve_subject(name, year)
    return PublishedResult.objects.get(subject=subject, year=year, field_code="")


def run(content: bytes, year: int, tmp_path, *extra):
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_national_results", str(path), "--year", str(year), *extra, stdout=out, stderr=err)
    return out.getvalue()


@pytest.mark.parametrize("label", ["Năm 2023", "Chỉ số PAR INDEX 2023"])
def test_a_year_merged_over_index_and_rank_keeps_the_published_ranks(reference_data, label):
    PublishedResult.objects.all().delete()
    outcome = import_national_sheet(sheet_of(two_row_workbook(label=label)), 2023)
    assert outcome.errors == []
    bp = stored(2023, "Bình Phước")
    assert (bp.index, bp.rank, bp.ranked_count) == (Decimal("88.01"), 21, 63)
    assert stored(2023, "Đồng Nai").rank == 30
    assert PublishedResult.objects.filter(year=2023).count() == 7
    assert any("Bảng có 7 tỉnh, thành phố; năm 2023 có 63 đơn vị" in str(n) for n in outcome.notes)


def test_two_years_side_by_side_take_the_block_of_the_year_asked_for(reference_data, tmp_path):
    PublishedResult.objects.all().delete()
    content = two_row_workbook(with_2024=True)

    out = run(content, 2024, tmp_path)

    assert "Đã nhập" in out
    assert set(PublishedResult.objects.values_list("year", flat=True)) == {2024}
    bp = stored(2024, "Bình Phước")
    assert (bp.index, bp.rank, bp.ranked_count) == (Decimal("89.64"), 14, 63)
    assert stored(2024, "Hải Phòng").rank == 1


def test_a_year_the_table_does_not_have_is_refused(reference_data, tmp_path):
    before = list(PublishedResult.objects.values_list("pk", "index", "rank"))
    with pytest.raises(CommandError):
        run(two_row_workbook(with_2024=True), 2022, tmp_path)
    outcome = import_national_sheet(sheet_of(two_row_workbook(with_2024=True)), 2022)
    assert [str(e) for e in outcome.errors] == [
        "Bảng có số liệu năm 2023, 2024, không có năm 2022: không nhập."
    ]
    assert list(PublishedResult.objects.values_list("pk", "index", "rank")) == before


def test_a_partial_table_without_ranks_gets_no_invented_ranks(reference_data):
    PublishedResult.objects.all().delete()
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Tỉnh, thành phố", "Chỉ số PAR INDEX 2023 (%)"])
    for number, (name, index, _rank) in enumerate(PARTIAL_2023, start=1):
        ws.append([number, name, index])
    outcome = import_national_sheet(sheet_of(to_bytes(wb)), 2023)
    assert outcome.errors == []
    bp = stored(2023, "Bình Phước")
    assert (bp.index, bp.rank, bp.ranked_count) == (Decimal("88.01"), None, None)
    assert any("thứ hạng để trống, không tự tính" in str(n) for n in outcome.notes)


def test_ranks_that_contradict_the_indices_are_refused_naming_the_rows(reference_data):
    rows = [list(r) for r in PARTIAL_2023]
    rows[1][2] = 5  # Hải Phòng 91,76 ranked 5th, after Bà Rịa - Vũng Tàu's 90,12
    rows[5][2] = 12  # Đồng Nai 86,20 ranked 12th, ahead of Bình Phước (88,01, 21st) and Huế
    rows[2][2] = 1  # Bà Rịa - Vũng Tàu 90,12 sharing the 1st rank with Quảng Ninh's 93,02
    before = PublishedResult.objects.count()
    outcome = import_national_sheet(sheet_of(two_row_workbook([tuple(r) for r in rows])), 2023)
    errors = [str(e) for e in outcome.errors]
    assert errors == [
        "Dòng 6 (Bà Rịa - Vũng Tàu): chỉ số 90,12% cùng hạng 1 với dòng 4 (Quảng Ninh) có chỉ số 93,02%: "
        "thứ hạng mâu thuẫn với chỉ số",
        "Dòng 5 (Hải Phòng): chỉ số 91,76% xếp hạng 5, sau dòng 6 (Bà Rịa - Vũng Tàu) có chỉ số thấp hơn "
        "90,12% xếp hạng 1: thứ hạng mâu thuẫn với chỉ số",
        "Dòng 7 (Bình Phước): chỉ số 88,01% xếp hạng 21, sau dòng 9 (Đồng Nai) có chỉ số thấp hơn "
        "86,20% xếp hạng 12: thứ hạng mâu thuẫn với chỉ số",
        "Dòng 8 (Huế): chỉ số 87,50% xếp hạng 25, sau dòng 9 (Đồng Nai) có chỉ số thấp hơn "
        "86,20% xếp hạng 12: thứ hạng mâu thuẫn với chỉ số",
    ]
    assert PublishedResult.objects.count() == before


def test_rank_only_rows_are_stored_with_their_rank(reference_data):
    PublishedResult.objects.all().delete()
    rows = [list(r) for r in PARTIAL_2023]
    rows[3][1] = None  # Bình Phước: "xếp thứ 21/63", no index given
    rows[6][1] = ""
    rows[6][2] = "40/63"
    outcome = import_national_sheet(sheet_of(two_row_workbook([tuple(r) for r in rows])), 2023)
    assert outcome.errors == []
    bp = stored(2023, "Bình Phước")
    assert (bp.index, bp.rank, bp.ranked_count) == (None, 21, 63)
    assert (stored(2023, "Bình Dương").index, stored(2023, "Bình Dương").rank) == (None, 40)
    assert str(bp) == "Bình Phước 2023 (tổng): hạng 21"
    # A later table with the index keeps the rank; a rank-only one again erases no index.
    import_national_sheet(sheet_of(two_row_workbook()), 2023)
    assert (stored(2023, "Bình Phước").index, stored(2023, "Bình Phước").rank) == (Decimal("88.01"), 21)
    import_national_sheet(sheet_of(two_row_workbook([tuple(r) for r in rows])), 2023)
    assert (stored(2023, "Bình Phước").index, stored(2023, "Bình Phước").rank) == (Decimal("88.01"), 21)


def test_every_problem_of_a_file_is_reported_at_once(reference_data):
    rows = [list(r) for r in PARTIAL_2023]
    rows[0][1], rows[0][2] = None, None  # neither index nor rank
    rows[2][1], rows[2][2] = "", ""
    rows[4][1] = "chín mươi"
    rows += [["Atlantis", "50", 62], ["Bình Phước", "88,01", 21]]
    before = PublishedResult.objects.count()
    outcome = import_national_sheet(sheet_of(two_row_workbook([tuple(r) for r in rows])), 2023)
    assert [str(e) for e in outcome.errors] == [
        "Dòng 4 (Quảng Ninh): năm 2023 không có chỉ số và không có thứ hạng",
        "Dòng 6 (Bà Rịa - Vũng Tàu): năm 2023 không có chỉ số và không có thứ hạng",
        "Dòng 8 (Huế): chỉ số 'chín mươi' không phải là số",
        "Dòng 11: không tìm thấy tỉnh, thành phố 'Atlantis' trong năm 2023",
        "Dòng 12 (Bình Phước): tỉnh, thành phố trùng với dòng 7",
    ]
    assert PublishedResult.objects.count() == before


def test_a_province_is_known_by_the_name_it_had_that_year(reference_data):
    hue = Subject.objects.get(kind="province", code="46")
    assert hue.name == "Huế"
    assert resolve_subject("Thừa Thiên Huế", 2023) == hue
    assert resolve_subject("tỉnh Thừa Thiên Huế", 2024) == hue
    assert resolve_subject("Huế", 2023) == hue
    with pytest.raises(LookupError):
        resolve_subject("Thừa Thiên Huế", 2025)
    PublishedResult.objects.all().delete()
    outcome = import_national_sheet(sheet_of(two_row_workbook()), 2023)
    assert outcome.errors == []
    assert stored(2023, "Huế").rank == 25


def test_region_rank_is_unknown_when_a_peer_has_only_a_rank(reference_data):
    PublishedResult.objects.all().delete()
    rows = [list(r) for r in PARTIAL_2023]
    rows[3][1] = None
    import_national_sheet(sheet_of(two_row_workbook([tuple(r) for r in rows])), 2023)
    bp = resolve_subject("Bình Phước", 2023)
    assert scoring.region_rank(bp, 2023) is None  # the region is incomplete: not ranked
