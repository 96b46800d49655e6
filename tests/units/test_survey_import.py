"""import_survey: each unit's survey results into its survey criteria, through the score
write service (history with source "import", workflow event), all or nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assessments.exchange.frameworks import import_framework
from assessments.exchange.problems import CHANGED, NEW, UNCHANGED
from assessments.exchange.surveys import import_survey
from assessments.exchange.units import import_units
from assessments.models import Assessment, ChangeSource, Framework, Score, Subject, SubjectKind, WorkflowEvent

from .conftest import framework_workbook, to_bytes, units_workbook

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def block(binh_phuoc, home_affairs):
    """Bình Phước's departments, their 2025 framework (3.1 leader survey 20, 3.2 SIPAS 10) and
    an assessment for each department valid in 2025."""
    assert import_units(to_bytes(units_workbook()), binh_phuoc).written
    assert import_framework(to_bytes(framework_workbook()), binh_phuoc, 2025, SubjectKind.DEPARTMENT).written
    framework = Framework.objects.get()
    for code in ("SNV", "STP", "SLD"):
        Assessment.objects.create(subject=Subject.objects.get(code=code), framework=framework)
    return framework


def survey_workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả điều tra"
    ws.append(["KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC NĂM 2025 CÁC SỞ, BAN, NGÀNH"])
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["STT", "Mã đơn vị", "Tên đơn vị", "Điểm điều tra", None])
    ws.merge_cells("D3:E3")
    ws.append([None, None, None, "3.1 Khảo sát lãnh đạo, quản lý", "3.2 Sự hài lòng (SIPAS)"])
    for index, row in enumerate(rows, start=1):
        ws.append([index, *row])
    return to_bytes(wb)


ROWS = [["SNV", "Sở Nội vụ", "18,25", 9.5], ["STP", "Sở Tư pháp", "17", "8,1234"]]


def scores():
    return sorted(
        (s.assessment.subject.code, s.criterion.code, s.appraised_score, s.self_score)
        for s in Score.objects.select_related("assessment__subject", "criterion")
    )


def test_results_are_written_to_the_survey_criteria_through_the_score_service(binh_phuoc, block):
    outcome = import_survey(survey_workbook(ROWS), binh_phuoc, 2025, SubjectKind.DEPARTMENT)
    assert outcome.ok and outcome.written, [str(e) for e in outcome.errors]
    assert scores() == [
        ("SNV", "3.1", D("18.25"), None),
        ("SNV", "3.2", D("9.5"), None),
        ("STP", "3.1", D("17"), None),
        ("STP", "3.2", D("8.1234"), None),
    ]
    assert [c.status for c in outcome.changes] == [NEW, NEW]
    record = Score.objects.get(assessment__subject__code="SNV", criterion__code="3.1").history.get()
    assert record.change_source == ChangeSource.IMPORT
    assert record.history_change_reason == "Nhập kết quả điều tra xã hội học năm 2025"
    events = WorkflowEvent.objects.filter(action=WorkflowEvent.Action.SCORE)
    assert events.count() == 2


def test_the_same_table_again_changes_nothing_and_a_new_figure_is_a_change(binh_phuoc, block):
    data = survey_workbook(ROWS)
    import_survey(data, binh_phuoc, 2025, SubjectKind.DEPARTMENT)
    history = Score.history.count()
    again = import_survey(data, binh_phuoc, 2025, SubjectKind.DEPARTMENT)
    assert again.ok and not again.written and [c.status for c in again.changes] == [UNCHANGED, UNCHANGED]
    assert Score.history.count() == history
    rows = [list(r) for r in ROWS]
    rows[1][2] = "16,5"
    changed = import_survey(survey_workbook(rows), binh_phuoc, 2025, SubjectKind.DEPARTMENT)
    assert [c.status for c in changed.changes] == [UNCHANGED, CHANGED]
    assert changed.changes[1].details() == "điểm 3.1 17 → 16,5"


def test_one_bad_cell_and_nothing_is_written_errors_named_by_row(binh_phuoc, block):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "21"
    rows[1][3] = "tám"
    rows.append(["SXD", "Sở Xây dựng", "15", "8"])
    rows.append(["STP", "Sở Tư pháp", "15", "8"])
    outcome = import_survey(survey_workbook(rows), binh_phuoc, 2025, SubjectKind.DEPARTMENT)
    assert [str(e) for e in outcome.errors] == [
        "Dòng 5 (SNV): điểm tiêu chí 3.1 là 21, phải từ 0 đến 20",
        "Dòng 6 (STP): điểm tiêu chí 3.2 'tám' không phải là số",
        "Dòng 7 (SXD): không có đơn vị mã SXD trong khối này của tỉnh",
        "Dòng 8 (STP): Sở Tư pháp đã có ở dòng 6",
    ]
    assert scores() == [] and not WorkflowEvent.objects.exists()


def test_a_refusal_of_the_score_service_rolls_back_every_unit(binh_phuoc, block):
    locked = Assessment.objects.get(subject__code="STP")
    locked.is_locked = True
    locked.save()
    outcome = import_survey(survey_workbook(ROWS), binh_phuoc, 2025, SubjectKind.DEPARTMENT)
    assert len(outcome.errors) == 1
    assert str(outcome.errors[0]).startswith("Dòng 6 (STP): Đợt đánh giá năm 2025 của Sở Tư pháp đã khóa")
    assert scores() == [] and not WorkflowEvent.objects.exists()


def test_a_criterion_marked_not_applicable_for_a_unit_takes_no_result(binh_phuoc, block):
    criterion = block.criteria.get(code="3.2")
    Score.objects.create(
        assessment=Assessment.objects.get(subject__code="SNV"), criterion=criterion, applicable=False
    )
    outcome = import_survey(survey_workbook(ROWS), binh_phuoc, 2025, SubjectKind.DEPARTMENT)
    assert [str(e) for e in outcome.errors] == [
        "Dòng 5 (SNV): 3.2: tiêu chí không áp dụng, không chấm điểm thẩm định."
    ]
    assert Score.objects.filter(appraised_score__isnull=False).count() == 0


def test_dry_run_by_command_lists_changes_and_writes_nothing(binh_phuoc, block, tmp_path):
    path = tmp_path / "dieu-tra.xlsx"
    path.write_bytes(survey_workbook(ROWS))
    out = StringIO()
    call_command(
        "import_survey",
        str(path),
        "--province",
        "Bình Phước",
        "--year",
        "2025",
        "--kind",
        "department",
        "--dry-run",
        stdout=out,
    )
    assert "Dòng 5 (SNV): mới – điểm 3.1 (trống) → 18,25; điểm 3.2 (trống) → 9,5" in out.getvalue()
    assert "Chạy thử: 2 dòng mới" in out.getvalue()
    assert scores() == [] and not WorkflowEvent.objects.exists()
    err = StringIO()
    with pytest.raises(CommandError, match="Không nhập: 1 lỗi"):
        call_command(
            "import_survey", str(path), "--province", "70", "--year", "2025", "--kind", "commune", stderr=err
        )
    assert "Lỗi: Bình Phước chưa có bộ tiêu chí năm 2025 cho khối này (--kind commune)." in err.getvalue()


def test_a_single_survey_criterion_takes_a_diem_column_and_units_by_name(binh_phuoc):
    lines = [
        "STT;Tiêu chí;Điểm chuẩn;Cách chấm",
        "1;Thể chế;80;",
        "1.1;Văn bản;80;",
        "2;Sự hài lòng;20;SIPAS",
    ]
    assert import_framework(
        "\n".join(lines).encode(), binh_phuoc, 2025, SubjectKind.COMMUNE, filename="x.csv"
    ).written
    ward = Subject.objects.create(kind=SubjectKind.COMMUNE, name="Phường Đồng Xoài", parent=binh_phuoc)
    Assessment.objects.create(subject=ward, framework=Framework.objects.get())
    data = "Tên đơn vị;Điểm\nPhường Đồng Xoài;17,75\n".encode()
    outcome = import_survey(data, binh_phuoc, 2025, SubjectKind.COMMUNE, filename="sipas.csv")
    assert outcome.written, [str(e) for e in outcome.errors]
    assert Score.objects.get().appraised_score == D("17.75")
