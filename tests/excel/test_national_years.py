"""A national results sheet of several years at once (a block of columns per year, "Năm 2021 |
Năm 2022 | Năm 2023" merged over "Chỉ số (%) | Xếp hạng"): `--all-years` imports every block,
all or nothing, every problem of every year reported at once and naming its year; a province
is found by the name it had that year, and one that did not exist that year is left out."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from assessments.exchange.national import import_national_years
from assessments.exchange.tables import read_tables
from assessments.models import PublishedResult
from assessments.subjects import resolve_subject

from .conftest import to_bytes

pytestmark = pytest.mark.django_db

# name -> (index, rank) per year, as published (a partial table: ranks among all 63).
SERIES = {
    2021: {"Quảng Ninh": ("91,00", 1), "Bình Phước": ("84,10", 40), "Thừa Thiên Huế": ("86,00", 30)},
    2022: {"Quảng Ninh": ("92,50", 1), "Bình Phước": ("85,30", 35), "Thừa Thiên Huế": ("86,90", 28)},
    2023: {"Quảng Ninh": ("93,02", 1), "Bình Phước": ("88,01", 21), "Thừa Thiên Huế": ("87,50", 25)},
}


def series_workbook(series=SERIES, *, names=None) -> bytes:
    """Title; "STT | Tỉnh, thành phố | Năm Y (merged over two columns) …" over "Chỉ số (%) |
    Xếp hạng" per year; a row per province (empty cells where a year has none)."""
    years = sorted(series)
    names = names or list(dict.fromkeys(n for y in years for n in series[y]))
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CÁC NĂM"])
    ws.append(["STT", "Tỉnh, thành phố", *[x for y in years for x in (f"Năm {y}", None)]])
    ws.append([None, None, *["Chỉ số (%)", "Xếp hạng"] * len(years)])
    for position in range(len(years)):
        first = 3 + 2 * position
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + 1)
    for number, name in enumerate(names, start=1):
        cells = [x for y in years for x in series[y].get(name, (None, None))]
        ws.append([number, name, *cells])
    return to_bytes(wb)


def sheet_of(content: bytes):
    (sheet,) = read_tables(content)
    return sheet


def run(content: bytes, tmp_path, *arguments) -> str:
    path = tmp_path / "ket-qua-cac-nam.xlsx"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_national_results", str(path), *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def stored(year, name):
    return PublishedResult.objects.get(subject=resolve_subject(name, year), year=year, field_code="")


def test_all_years_imports_every_block_with_ranks_and_ranked_counts(reference_data, tmp_path):
    PublishedResult.objects.all().delete()
    dry = run(series_workbook(), tmp_path, "--all-years", "--dry-run")
    assert "Sẽ nhập kết quả toàn quốc các năm 2021, 2022, 2023." in dry
    assert not PublishedResult.objects.exists()

    out = run(series_workbook(), tmp_path, "--all-years")

    assert "Đã nhập: 9 dòng mới" in out
    assert sorted(set(PublishedResult.objects.values_list("year", flat=True))) == [2021, 2022, 2023]
    for year, rows in SERIES.items():
        for name, (index, rank) in rows.items():
            row = stored(year, name)
            assert (row.index, row.rank, row.ranked_count) == (Decimal(index.replace(",", ".")), rank, 63)
    assert stored(2022, "Huế").rank == 28  # "Thừa Thiên Huế" that year
    assert PublishedResult.history.filter(change_source="import").count() == 9


def test_year_asked_for_still_takes_its_block_alone(reference_data, tmp_path):
    PublishedResult.objects.all().delete()
    run(series_workbook(), tmp_path, "--year", "2022")
    assert set(PublishedResult.objects.values_list("year", flat=True)) == {2022}


def test_every_problem_of_every_year_is_reported_at_once_and_nothing_is_stored(reference_data):
    series = {year: dict(rows) for year, rows in SERIES.items()}
    series[2021]["Bình Phước"] = ("chín mươi", 40)
    series[2023]["Thừa Thiên Huế"] = ("87,50", 70)
    series[2023]["Atlantis"] = ("50", 60)
    names = [*SERIES[2021], "Atlantis", "Quảng Ninh"]  # Quảng Ninh twice
    before = list(PublishedResult.objects.values_list("pk", "year", "index", "rank"))

    outcome = import_national_years(sheet_of(series_workbook(series, names=names)))

    assert [str(e) for e in outcome.errors] == [
        "Dòng 5 (Bình Phước – năm 2021): chỉ số 'chín mươi' không phải là số",
        "Dòng 7: không tìm thấy tỉnh, thành phố 'Atlantis' trong năm 2023",
        "Dòng 8 (Quảng Ninh): tỉnh, thành phố trùng với dòng 4",
        "Dòng 6 (Huế): năm 2023: thứ hạng 70 lớn hơn số đơn vị được xếp hạng (63)",
    ]
    assert list(PublishedResult.objects.values_list("pk", "year", "index", "rank")) == before


def test_a_province_that_did_not_exist_that_year_is_left_out(reference_data):
    """Bình Phước was merged into Đồng Nai on 1 July 2025: its 2025 cells are empty."""
    PublishedResult.objects.all().delete()
    series = {
        2024: {"Bình Phước": ("89,64", 14), "Đồng Nai": ("87,00", 28)},
        2025: {"Đồng Nai": ("90,12", 5)},
    }
    outcome = import_national_years(sheet_of(series_workbook(series)))
    assert outcome.errors == []
    assert stored(2024, "Bình Phước").ranked_count == 63
    merged = stored(2025, "Đồng Nai")
    assert (merged.subject.code, merged.rank, merged.ranked_count) == ("75", 5, 34)
    assert not PublishedResult.objects.filter(year=2025, subject=resolve_subject("Bình Phước", 2024)).exists()


def test_a_sheet_without_years_needs_the_year(reference_data):
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Tỉnh, thành phố", "Chỉ số (%)", "Xếp hạng"])
    ws.append([1, "Bình Phước", "88,01", 21])
    outcome = import_national_years(sheet_of(to_bytes(wb)))
    assert [str(e) for e in outcome.errors] == [
        "Tiêu đề bảng không ghi năm (ví dụ “Năm 2023” trên “Chỉ số (%) | Xếp hạng”): "
        "cần chỉ rõ năm của bảng (--year)."
    ]


@pytest.mark.parametrize("arguments", [[], ["--year", "2022", "--all-years"]])
def test_the_command_needs_exactly_one_of_year_and_all_years(reference_data, tmp_path, arguments):
    with pytest.raises(CommandError, match="Cần đúng một trong hai: --year Y"):
        run(series_workbook(), tmp_path, *arguments)
