"""Importing the annex table: the layouts offices send, all or nothing, row-located errors."""

import unicodedata
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments import scoring
from assessments.exchange.annex import import_annex
from assessments.models import (
    Assessment,
    ChangeSource,
    Criterion,
    Framework,
    Score,
    ScoringMethod,
    Subject,
    WorkflowEvent,
)

from .conftest import (
    ANNEX_TSV,
    AS_IN_THE_SAMPLE,
    HEADER,
    annex_workbook,
    reference_rows,
    rows_with,
    to_bytes,
    tsv_bytes,
)

pytestmark = pytest.mark.django_db

REFERENCE_FIGURES = {
    "max": "100.0000",
    "self": "66.1211",
    "appraised": "88.0115",
    "index": "88.0115",
    "parts": {
        "self_assessed": {"score": "62.0871", "max": "68.0000"},
        "leader_survey": {"score": "18.2988", "max": "22.0000"},
        "people_survey": {"score": "7.6256", "max": "10.0000"},
    },
    "field_indices": ["97.7126", "94.3110", "91.6785", "92.2743", "81.3020", "90.5700", "87.3844", "77.7582"],
    "at_max": 52,
    "below_max": 22,
    "zero": 1,
}


def binh_phuoc():
    return Subject.objects.get(code="70", valid_until__isnull=False)


def figures(assessment) -> dict:
    data = scoring.compute(assessment).as_dict()
    return {
        "max": data["max"],
        "self": data["self"],
        "appraised": data["appraised"],
        "index": data["index"],
        "parts": data["parts"],
        "field_indices": [f["index"] for f in data["fields"]],
        "at_max": data["at_max"],
        "below_max": data["below_max"],
        "zero": data["zero"],
    }


def snapshot():
    """Everything an import could touch, to prove a refused import left the database as it was."""
    return (
        list(Framework.objects.values_list("year", "name").order_by("pk")),
        list(Criterion.objects.values_list("code", "max_score", "method").order_by("pk")),
        list(Assessment.objects.values_list("subject_id", "framework_id").order_by("pk")),
        list(
            Score.objects.values_list("criterion__code", "self_score", "appraised_score", "appraisal_comment")
        ),
        Score.history.count(),
    )


def sheet_row_of(wb, code: str) -> int:
    for row in wb.active.iter_rows():
        if row[0].value is not None and str(row[0].value) == code:
            return row[0].row
    raise AssertionError(code)


# --- the reference annex, as offices send it ---------------------------------------------------


def test_reference_workbook_into_empty_database_gives_reference_figures(provinces, annex_xlsx):
    outcome = import_annex(annex_xlsx, binh_phuoc(), 2023, filename="phu-luc.xlsx")

    assert outcome.errors == []
    assert outcome.written
    # 101 leaves, and the remarks of the three parent rows 2.4, 5.7 and 8.1.
    assert outcome.summary() == "104 dòng mới, 0 dòng thay đổi, 0 dòng không đổi"
    assessment = Assessment.objects.get(subject=binh_phuoc(), framework__year=2023)
    assert figures(assessment) == REFERENCE_FIGURES
    criteria = {c.code: c for c in Criterion.objects.filter(framework=assessment.framework)}
    assert len(criteria) == 133
    assert criteria["2.4.1"].method == ScoringMethod.LEADER_SURVEY
    assert criteria["8.1.3"].method == ScoringMethod.PEOPLE_SURVEY
    assert criteria["8.1"].method == ScoringMethod.SELF_ASSESSED  # a parent, despite its remark
    assert criteria["1.3.2"].parent == criteria["1.3"]


def test_reference_import_matches_the_shipped_sample(provinces, annex_xlsx):
    import_annex(annex_xlsx, binh_phuoc(), 2023)
    assessment = Assessment.objects.get(subject=binh_phuoc())
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    # Italic markup and <i> tags are stripped: plain text is stored.
    assert scores["1.1"].appraisal_comment.startswith("Theo kết quả thẩm định: Tỉnh hoàn thành 40/41")
    assert "<i>" not in scores["8.4"].appraisal_comment
    assert scores["8.4"].appraisal_comment.endswith("(kết xuất ngày 31/01/2024 của KBNN).")
    # 4.3.4: a leader-survey row published with self score "0" is stored without one.
    assert scores["4.3.4"].self_score is None
    assert scores["4.3.4"].appraised_score == Decimal("0.8588")
    assert scores["7.3.5"].appraised_score == Decimal("0.4924")
    history = Score.history.filter(criterion__code="1.1").get()
    assert history.change_source == ChangeSource.IMPORT


def test_survey_row_with_self_zero_is_noted(provinces, annex_xlsx):
    outcome = import_annex(annex_xlsx, binh_phuoc(), 2023)
    notes = [str(n) for n in outcome.notes]
    assert any("(4.3.4)" in n and "điểm tự đánh giá 0" in n for n in notes)


def test_total_row_compared_at_its_own_precision(provinces, annex_xlsx):
    outcome = import_annex(annex_xlsx, binh_phuoc(), 2023)
    # TỔNG ĐIỂM shows 88,01 for the exact 88,0115: no difference to report.
    assert not [n for n in outcome.notes if "TỔNG ĐIỂM" in str(n)]


def test_total_row_that_differs_is_reported_not_refused(provinces):
    rows = rows_with({"TỔNG ĐIỂM": {4: "88,5"}})
    outcome = import_annex(to_bytes(annex_workbook(rows)), binh_phuoc(), 2023)
    assert outcome.errors == [] and outcome.written
    (note,) = [str(n) for n in outcome.notes if "TỔNG ĐIỂM" in str(n)]
    assert "88,5" in note and "88,0115" in note


def test_reference_tsv_file_imports_through_the_command(provinces, capsys):
    call_command("import_annex", str(ANNEX_TSV), subject="Bình Phước", year=2023)
    out = capsys.readouterr().out
    assert "Tạo bộ tiêu chí năm 2023" in out
    assert "Đã nhập: 104 dòng mới" in out
    assert figures(Assessment.objects.get(subject=binh_phuoc())) == REFERENCE_FIGURES


def test_semicolon_csv_with_decimal_commas(provinces):
    lines = [";".join(HEADER)]
    for row in reference_rows():
        lines.append(";".join(f'"{v}"' if ";" in v or '"' in v else v for v in row))
    data = ("\ufeff" + "\r\n".join(lines)).encode("utf-8")
    outcome = import_annex(data, binh_phuoc(), 2023, filename="phu-luc.csv")
    assert outcome.errors == []
    assert figures(Assessment.objects.get(subject=binh_phuoc())) == REFERENCE_FIGURES


@pytest.mark.parametrize(
    "header",
    [
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm TĐG", "Điểm thẩm định", "Ghi chú"],
        ["stt", "LĨNH VỰC/TIÊU CHÍ", "ĐIỂM CHUẨN", "ĐIỂM TỰ ĐÁNH GIÁ", "ĐIỂM THẨM ĐỊNH", "Ý KIẾN HỘI ĐỒNG"],
        [" STT ", "Lĩnh  vực /\nTiêu chí", "Điểm\nchuẩn", "Điểm tự\nđánh giá", "Điểm thẩm\nđịnh", "Ý kiến"],
        # Vietnamese typed in decomposed form (NFD), as some Mac and web tools send it.
        [unicodedata.normalize("NFD", h) for h in HEADER],
    ],
)
def test_header_variants_are_recognised(provinces, header):
    outcome = import_annex(to_bytes(annex_workbook(header=header)), binh_phuoc(), 2023)
    assert outcome.errors == []
    assert figures(Assessment.objects.get(subject=binh_phuoc())) == REFERENCE_FIGURES


def test_columns_are_found_by_header_text_not_position(provinces):
    order = [5, 4, 0, 2, 1, 3]  # comment, appraised, code, max, name, self
    rows = [[row[i] for i in order] for row in reference_rows()]
    header = [HEADER[i] for i in order]
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    outcome = import_annex("\n".join(lines).encode(), binh_phuoc(), 2023, filename="x.tsv")
    assert outcome.errors == []
    assert figures(Assessment.objects.get(subject=binh_phuoc())) == REFERENCE_FIGURES


def test_repeated_headers_numbering_row_and_title_rows_are_skipped(provinces):
    wb = annex_workbook(repeat_header_every=20)
    headers = sum(1 for row in wb.active.iter_rows(values_only=True) if row[0] == "STT")
    assert headers == 7
    outcome = import_annex(to_bytes(wb), binh_phuoc(), 2023)
    assert outcome.errors == []
    assert outcome.count("new") == 104


def test_numbers_as_numeric_cells_only(provinces):
    outcome = import_annex(to_bytes(annex_workbook(numeric_every=1)), binh_phuoc(), 2023)
    assert outcome.errors == []
    assert figures(Assessment.objects.get(subject=binh_phuoc())) == REFERENCE_FIGURES


def test_formula_with_cached_value_is_read(provinces):
    import io
    import re
    import zipfile

    wb = annex_workbook(repeat_header_every=None, title=False)
    row = sheet_row_of(wb, "1.3")
    wb.active.cell(row=row, column=5).value = f"=SUM(E{row + 1}:E{row + 2})"
    source = io.BytesIO(to_bytes(wb))
    patched = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb"(<f>SUM\([^<]*\)</f>)<v>[^<]*</v>|(<f>SUM\([^<]*\)</f>)(<v\s*/>)?",
                    lambda m: (m.group(1) or m.group(2)) + b"<v>1.9388</v>",
                    data,
                )
            zout.writestr(item, data)
    outcome = import_annex(patched.getvalue(), binh_phuoc(), 2023)
    assert outcome.errors == []


# --- bad input: refused whole, database unchanged ---------------------------------------------


def refused(data, subject=None, year=2023, **kwargs):
    before = snapshot()
    outcome = import_annex(data, subject or binh_phuoc(), year, **kwargs)
    assert outcome.errors, "the import should have been refused"
    assert not outcome.written
    assert snapshot() == before
    return [str(e) for e in outcome.errors]


def test_non_numeric_max_and_score_above_max_refused_naming_both_rows(reference_data):
    rows = rows_with({"2.2.1": {2: "nửa điểm"}, "3.4.4": {4: "0,5"}})
    wb = annex_workbook(rows)
    errors = refused(to_bytes(wb))
    row_221, row_344 = sheet_row_of(wb, "2.2.1"), sheet_row_of(wb, "3.4.4")
    assert f"Dòng {row_221} (2.2.1): điểm chuẩn 'nửa điểm' không phải là số" in errors
    assert f"Dòng {row_344} (3.4.4): điểm thẩm định 0,5 lớn hơn điểm chuẩn 0,25" in errors


def test_errors_are_collected_not_only_the_first(provinces):
    rows = rows_with({"1.2": {4: "abc"}, "1.4": {3: "-1"}, "1.5": {4: "2,5"}})
    errors = refused(to_bytes(annex_workbook(rows, repeat_header_every=None)))
    assert any("(1.2): điểm thẩm định 'abc' không phải là số" in e for e in errors)
    assert any("(1.4): điểm tự đánh giá -1 nhỏ hơn 0" in e for e in errors)
    assert any("(1.5): điểm thẩm định 2,5 lớn hơn điểm chuẩn 2" in e for e in errors)


def test_wrong_columns(provinces):
    header = ["STT", "Tiêu chí", "Điểm chuẩn", "Điểm tự đánh giá", "Kết quả", "Ý kiến"]
    errors = refused(to_bytes(annex_workbook(header=header)))
    assert len(errors) == 1
    assert "Không tìm thấy dòng tiêu đề" in errors[0] and "Điểm thẩm định" in errors[0]


def test_unknown_code_against_existing_framework(reference_data):
    extra = [(10, ["1.8", "Tiêu chí không có", "1", "1", "1", ""])]
    errors = refused(to_bytes(annex_workbook(rows_with({}, extra=extra), repeat_header_every=None)))
    assert any("(1.8): mã tiêu chí không có trong bộ tiêu chí năm 2023" in e for e in errors)


def test_missing_code_against_existing_framework(reference_data):
    errors = refused(to_bytes(annex_workbook(rows_with({}, drop={"1.3.2"}))))
    assert any(e.startswith("Thiếu tiêu chí 1.3.2 (Xử lý các vấn đề phát hiện qua kiểm tra)") for e in errors)


def test_different_max_against_existing_framework(reference_data):
    rows = rows_with({"1.2": {2: "1", 3: "0,5", 4: "0,5"}, "1": {2: "10"}, "TỔNG ĐIỂM": {2: "100,5"}})
    errors = refused(to_bytes(annex_workbook(rows)))
    assert any("(1.2): điểm chuẩn 1 khác bộ tiêu chí năm 2023 (0,5)" in e for e in errors)


def test_duplicate_code(provinces):
    rows = rows_with({}, extra=[(20, ["2.2.1", "Trùng", "0,5", "0,5", "0,5", ""])])
    wb = annex_workbook(rows, repeat_header_every=None)
    errors = refused(to_bytes(wb))
    first = sheet_row_of(wb, "2.2.1")
    assert any(f"(2.2.1): mã tiêu chí trùng với dòng {first}" in e for e in errors)


def test_orphan_code(provinces):
    rows = rows_with({}, extra=[(12, ["1.9.9", "Tiêu chí mồ côi", "0", "0", "0", ""])])
    errors = refused(to_bytes(annex_workbook(rows)))
    assert any("(1.9.9): không có tiêu chí cha 1.9 trong bảng" in e for e in errors)


def test_parent_not_sum_of_children(provinces):
    rows = rows_with({"1.3": {4: "1,9"}})
    errors = refused(to_bytes(annex_workbook(rows)))
    assert any("(1.3): điểm thẩm định 1,9 khác tổng các tiêu chí con (1,9388)" in e for e in errors)


def test_survey_row_with_a_real_self_score(provinces):
    rows = rows_with({"2.4.1": {3: "0,5"}, "2.4": {3: "0,5"}, "2": {3: "6,5"}, "TỔNG ĐIỂM": {3: "66,6211"}})
    errors = refused(to_bytes(annex_workbook(rows)))
    assert any(
        "(2.4.1): tiêu chí chấm qua điều tra xã hội học không có điểm tự đánh giá" in e for e in errors
    )


def test_formula_without_cached_value_on_a_leaf_names_the_cell(provinces):
    wb = annex_workbook(repeat_header_every=None)
    row = sheet_row_of(wb, "1.3.2")
    wb.active.cell(row=row, column=5).value = "=0,9+0,0388"
    errors = refused(to_bytes(wb))
    assert any(
        f"(1.3.2): điểm thẩm định ở ô E{row} là công thức =0,9+0,0388 chưa có giá trị" in e for e in errors
    )


def test_code_that_is_not_a_code(provinces):
    rows = rows_with({}, extra=[(3, ["a)", "Mục a", "1", "1", "1", ""])])
    errors = refused(to_bytes(annex_workbook(rows)))
    assert any("mã tiêu chí 'a)' không hợp lệ" in e for e in errors)


def test_empty_workbook(provinces):
    from openpyxl import Workbook

    errors = refused(to_bytes(Workbook()))
    assert errors == ["Bảng không có dữ liệu."]


def test_header_only(provinces):
    errors = refused(tsv_bytes([]), filename="x.tsv")
    assert "không có dòng tiêu chí nào" in errors[0]


# --- dry run and update -----------------------------------------------------------------------


def test_dry_run_shows_changes_and_writes_nothing(sample_assessment, capsys):
    rows = rows_with({**AS_IN_THE_SAMPLE, "1.1": {4: "1,4", 5: "Mới"}, "1": {4: "9,2193"}})
    wb = annex_workbook(rows)
    data = to_bytes(wb)
    before = snapshot()
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(data)
        handle.flush()
        call_command("import_annex", handle.name, subject="70", year=2023, dry_run=True)
    out = capsys.readouterr().out
    row = sheet_row_of(wb, "1.1")
    assert f"Dòng {row} (1.1): thay đổi – điểm thẩm định 1,4634 → 1,4; ý kiến thẩm định" in out
    assert "(1.2): không đổi" in out
    assert "Chạy thử: 0 dòng mới, 1 dòng thay đổi, 100 dòng không đổi" in out
    assert snapshot() == before


def test_import_into_a_locked_assessment_is_refused_when_it_changes_scores(sample_assessment):
    assert sample_assessment.is_locked
    before = snapshot()
    unchanged = import_annex(
        to_bytes(annex_workbook(rows_with(AS_IN_THE_SAMPLE))), sample_assessment.subject, 2023
    )
    assert unchanged.errors == []  # the same table again changes nothing: accepted
    rows = rows_with({**AS_IN_THE_SAMPLE, "1.1": {4: "1,4"}, "1": {4: "9,2193"}})
    outcome = import_annex(to_bytes(annex_workbook(rows)), sample_assessment.subject, 2023)
    assert [e.message for e in outcome.errors] == [
        "Đợt đánh giá năm 2023 của Bình Phước đã khóa: bảng có 1 dòng thay đổi điểm. "
        "Sở Nội vụ cần mở khóa (kèm lý do) trước khi nhập."
    ]
    assert not outcome.written
    assert snapshot() == before


def test_import_updates_changed_rows_with_history(sample_assessment):
    sample_assessment.is_locked = False
    sample_assessment.save()
    rows = rows_with({**AS_IN_THE_SAMPLE, "1.1": {4: "1,4"}, "1": {4: "9,2193"}})
    outcome = import_annex(to_bytes(annex_workbook(rows)), sample_assessment.subject, 2023)
    assert outcome.errors == [] and outcome.written
    score = Score.objects.get(assessment=sample_assessment, criterion__code="1.1")
    assert score.appraised_score == Decimal("1.4")
    assert score.version == 2
    latest = score.history.order_by("-history_id").first()
    assert latest.change_source == ChangeSource.IMPORT and latest.history_type == "~"
    assert Score.history.filter(change_source=ChangeSource.IMPORT).count() == 1
    assert latest.history_change_reason == "Nhập bảng phụ lục năm 2023"
    # Through the one score service: a workflow event says what the import wrote.
    event = WorkflowEvent.objects.get(assessment=sample_assessment)
    assert (event.action, event.criterion.code) == (WorkflowEvent.Action.SCORE, "1.1")
    assert event.detail == "Nhập từ tệp: 1 tiêu chí (1.1)"
    # TỔNG ĐIỂM still says 88,01: reported, not refused.
    assert any("TỔNG ĐIỂM" in str(n) for n in outcome.notes)


def test_command_exits_1_with_errors_on_stderr(provinces, tmp_path, capsys, monkeypatch):
    from django.core.management import base, execute_from_command_line

    # run_from_argv closes every connection when done, the test database's too.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    path = tmp_path / "bad.xlsx"
    path.write_bytes(to_bytes(annex_workbook(rows_with({"1.2": {4: "x"}}))))
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(
            ["manage.py", "import_annex", str(path), "--subject", "70", "--year", "2023"]
        )
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "(1.2): điểm thẩm định 'x' không phải là số" in err
    assert "Cơ sở dữ liệu không thay đổi" in err
    assert not Framework.objects.exists()


def test_command_refuses_unknown_subject(provinces, tmp_path):
    path = tmp_path / "a.tsv"
    path.write_bytes(tsv_bytes(reference_rows()))
    with pytest.raises(CommandError, match="Không tìm thấy đối tượng"):
        call_command("import_annex", str(path), subject="Atlantis", year=2023)


def test_header_split_over_two_merged_rows(provinces):
    """ "Điểm" merged over "Chuẩn | Tự đánh giá | Thẩm định"; STT and the name merged down."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["PHỤ LỤC KẾT QUẢ CHỈ SỐ CCHC NĂM 2023"])
    ws.merge_cells("A1:F1")
    ws.append(["STT", "Lĩnh vực/Tiêu chí", "Điểm", None, None, "Ý kiến hội đồng thẩm định"])
    ws.append([None, None, "Chuẩn", "Tự đánh giá", "Thẩm định", None])
    for cells in ("A2:A3", "B2:B3", "C2:E2", "F2:F3"):
        ws.merge_cells(cells)
    for position, row in enumerate(reference_rows()):
        if position == 50:  # a page break: both header rows again
            ws.append(["STT", "Lĩnh vực/Tiêu chí", "Điểm", None, None, "Ý kiến hội đồng thẩm định"])
            ws.append([None, None, "Chuẩn", "Tự đánh giá", "Thẩm định", None])
        ws.append(row)
    outcome = import_annex(to_bytes(wb), binh_phuoc(), 2023)
    assert outcome.errors == []
    assert figures(Assessment.objects.get(subject=binh_phuoc())) == REFERENCE_FIGURES
