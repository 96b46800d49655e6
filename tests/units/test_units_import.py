"""import_units: a province's units from one sheet, idempotent, all or nothing, row-named errors."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from assessments.exchange.problems import CHANGED, NEW, UNCHANGED
from assessments.exchange.units import block_kind, import_units
from assessments.models import ChangeSource, Subject, SubjectKind

from .conftest import UNIT_ROWS, to_bytes, units_workbook

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        (
            s.code,
            s.name,
            s.kind,
            s.valid_from,
            s.valid_until,
            s.parent_id,
            tuple(sorted(p.code for p in s.predecessors.all())),
        )
        for s in Subject.objects.all()
    )


def test_units_are_created_under_the_province_with_blocks_dates_and_predecessors(binh_phuoc):
    outcome = import_units(to_bytes(units_workbook()), binh_phuoc)
    assert outcome.ok and outcome.written, outcome.errors
    assert outcome.count(NEW) == 9
    snv = Subject.objects.get(code="SNV")
    assert snv.parent == binh_phuoc and snv.kind == SubjectKind.DEPARTMENT
    assert snv.valid_from == datetime.date(2025, 3, 1) and snv.valid_until is None
    assert {p.code for p in snv.predecessors.all()} == {"SNV-OLD", "SLD"}
    old = Subject.objects.get(code="SNV-OLD")
    assert old.valid_from == datetime.date(2008, 4, 1) and old.valid_until == datetime.date(2025, 2, 28)
    ward = Subject.objects.get(code="25100")
    assert ward.kind == SubjectKind.COMMUNE and {p.code for p in ward.predecessors.all()} == {
        "25000",
        "25001",
    }
    assert Subject.objects.get(code="KBNN").kind == SubjectKind.CENTRAL_AGENCY
    assert Subject.objects.get(code="KBNN").valid_from == datetime.date(2025, 3, 1)
    assert Subject.objects.get(code="TTPVHCC").kind == SubjectKind.PUBLIC_SERVICE_UNIT
    assert snv.history.first().change_source == ChangeSource.IMPORT


def test_a_second_import_of_the_same_sheet_changes_nothing(binh_phuoc):
    data = to_bytes(units_workbook())
    import_units(data, binh_phuoc)
    before = snapshot()
    history = Subject.history.count()
    outcome = import_units(data, binh_phuoc)
    assert outcome.ok and outcome.count(UNCHANGED) == 9 and outcome.count(NEW) == outcome.count(CHANGED) == 0
    assert snapshot() == before and Subject.history.count() == history


def test_a_changed_row_is_updated_and_reported_with_old_and_new(binh_phuoc):
    import_units(to_bytes(units_workbook()), binh_phuoc)
    rows = [list(r) for r in UNIT_ROWS]
    rows[3][2] = "Sở Tư pháp tỉnh Bình Phước"
    rows[3][5] = "30/06/2025"
    outcome = import_units(to_bytes(units_workbook(rows)), binh_phuoc)
    changed = [c for c in outcome.changes if c.status == CHANGED]
    assert [c.code for c in changed] == ["STP"]
    assert "tên Sở Tư pháp → Sở Tư pháp tỉnh Bình Phước" in changed[0].details()
    assert "hiệu lực đến (trống) → 30/06/2025" in changed[0].details()
    assert Subject.objects.get(code="STP").valid_until == datetime.date(2025, 6, 30)


def test_dry_run_lists_new_changed_and_unchanged_and_writes_nothing(binh_phuoc, tmp_path):
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(to_bytes(units_workbook(UNIT_ROWS[:4])))
    call_command("import_units", str(path), "--province", "Bình Phước")
    rows = [list(r) for r in UNIT_ROWS]
    rows[3][2] = "Sở Tư pháp (mới)"
    path.write_bytes(to_bytes(units_workbook(rows)))
    before = snapshot()
    from io import StringIO

    out = StringIO()
    call_command("import_units", str(path), "--province", "70", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dòng 8 (STP): thay đổi – tên Sở Tư pháp → Sở Tư pháp (mới)" in text
    assert "Dòng 5 (SNV-OLD): không đổi" in text
    assert "Dòng 9 (25000): mới" in text
    assert "Chạy thử: 5 dòng mới, 1 dòng thay đổi, 3 dòng không đổi. Chưa ghi gì" in text
    assert snapshot() == before


def test_errors_name_the_row_and_nothing_is_written(binh_phuoc, tmp_path):
    rows = [list(r) for r in UNIT_ROWS]
    rows[1][3] = "Khối lạ"
    rows[4][4] = "31/02/2025"
    rows[6][6] = "25000; Xã Không Có"
    rows[7][1] = "STP"
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(to_bytes(units_workbook(rows)))
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="Không nhập: 4 lỗi"):
        call_command("import_units", str(path), "--province", "Bình Phước", stderr=err)
    text = err.getvalue()
    assert "Dòng 6 (SLD): khối “Khối lạ” không rõ" in text
    assert "Dòng 9 (25000): hiệu lực từ: ngày “31/02/2025” không có trong lịch" in text
    assert "Dòng 11 (25100): hợp nhất từ “Xã Không Có”: không có đơn vị này" in text
    assert "Dòng 12 (STP): trùng mã STP với dòng 8" in text
    assert Subject.objects.count() == 1


def test_a_unit_is_not_moved_to_another_block_once_assessed(binh_phuoc):
    from assessments.models import Assessment, Framework

    import_units(to_bytes(units_workbook()), binh_phuoc)
    framework = Framework.objects.create(
        year=2025, subject_kind="department", owner=binh_phuoc, name="Sở 2025"
    )
    Assessment.objects.create(subject=Subject.objects.get(code="STP"), framework=framework)
    rows = [list(r) for r in UNIT_ROWS]
    rows[3][3] = "Đơn vị sự nghiệp"
    outcome = import_units(to_bytes(units_workbook(rows)), binh_phuoc)
    assert [str(e) for e in outcome.errors] == [
        "Dòng 8 (STP): Sở Tư pháp đã có đợt đánh giá: không đổi khối (Sở, ban, ngành → Đơn vị sự nghiệp)"
    ]
    assert Subject.objects.get(code="STP").kind == SubjectKind.DEPARTMENT


def test_a_predecessor_named_by_a_name_shared_with_its_successor_is_the_unit_that_ended(binh_phuoc):
    rows = [list(r) for r in UNIT_ROWS[:3]]
    rows[2][6] = "Sở Nội vụ; SLD"
    outcome = import_units(to_bytes(units_workbook(rows)), binh_phuoc)
    assert outcome.ok, outcome.errors
    assert {p.code for p in Subject.objects.get(code="SNV").predecessors.all()} == {"SNV-OLD", "SLD"}


def test_units_of_another_province_with_the_same_names_are_left_alone(binh_phuoc, dong_nai):
    import_units(to_bytes(units_workbook()), binh_phuoc)
    outcome = import_units(to_bytes(units_workbook()), dong_nai)
    assert outcome.ok and outcome.count(NEW) == 9
    assert Subject.objects.filter(name="Sở Tư pháp").count() == 2
    assert Subject.objects.get(code="STP", parent=dong_nai).predecessors.count() == 0


def test_a_csv_without_title_rows_and_with_a_missing_column_is_refused_by_name(binh_phuoc):
    data = "Mã;Tên đơn vị;Hiệu lực từ\nSTP;Sở Tư pháp;\n".encode()
    outcome = import_units(data, binh_phuoc, filename="don-vi.csv")
    assert [str(e) for e in outcome.errors] == [
        "Không tìm thấy dòng tiêu đề của danh sách đơn vị (cần các cột Mã, Tên đơn vị, Khối, Hiệu lực "
        "từ, Hiệu lực đến, Hợp nhất từ); còn thiếu: Khối."
    ]


def test_a_tsv_is_read_like_the_workbook(binh_phuoc):
    lines = ["Mã\tTên đơn vị\tKhối\tHiệu lực từ\tHiệu lực đến\tHợp nhất từ"]
    lines.append("STP\tSở Tư pháp\tsở, ban, ngành\t\t\t")
    lines.append("X1\tĐặc khu Phú Quý\tđặc khu\t01/07/2025\t\t")
    outcome = import_units("\n".join(lines).encode(), binh_phuoc, filename="don-vi.tsv")
    assert outcome.ok and outcome.written
    assert Subject.objects.get(code="X1").kind == SubjectKind.COMMUNE


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Sở, ban, ngành", SubjectKind.DEPARTMENT),
        ("Khối sở", SubjectKind.DEPARTMENT),
        ("Xã, phường, đặc khu", SubjectKind.COMMUNE),
        ("UBND cấp xã", SubjectKind.COMMUNE),
        ("Cơ quan Trung ương", SubjectKind.CENTRAL_AGENCY),
        ("Cơ quan TW đóng trên địa bàn", SubjectKind.CENTRAL_AGENCY),
        ("Đơn vị sự nghiệp", SubjectKind.PUBLIC_SERVICE_UNIT),
        ("UBND cấp huyện", SubjectKind.DISTRICT),
        ("Thị xã", SubjectKind.DISTRICT),
        ("commune", SubjectKind.COMMUNE),
        ("Hội đoàn thể", None),
    ],
)
def test_blocks_are_read_as_offices_write_them(text, kind):
    assert block_kind(text) == kind
