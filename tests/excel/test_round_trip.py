"""Export, edit in Excel, import back: the council's score, the re-check (phúc tra), "Không áp
dụng" and parent rows' remarks come back as they were; parent rows are SUM formulas that the
import derives again, so editing one number keeps the workbook importable."""

import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessments import scoring, services
from assessments.exchange.annex import import_annex
from assessments.exchange.export import export_annex
from assessments.models import Assessment, Criterion, Framework, Score, WorkflowEvent

from .conftest import AS_IN_THE_SAMPLE, annex_workbook, rows_with, to_bytes, tsv_bytes

pytestmark = pytest.mark.django_db

COLUMNS = {
    "Điểm chuẩn": "C",
    "Điểm tự đánh giá": "D",
    "Điểm thẩm định": "E",
    "Điểm phúc tra": "F",
    "Không áp dụng": "G",
    "Ý kiến hội đồng thẩm định": "H",
}


@pytest.fixture
def open_sample(sample_assessment):
    """The 2023 sample, unlocked (Sở Nội vụ reopened it to take the corrected table)."""
    Assessment.objects.filter(pk=sample_assessment.pk).update(is_locked=False)
    sample_assessment.refresh_from_db()
    return sample_assessment


def sheet(content: bytes, data_only=False):
    return load_workbook(io.BytesIO(content), data_only=data_only).active


def row_of(ws, code: str) -> int:
    return next(row[0].row for row in ws.iter_rows() if row[0].value == code)


def cell(ws, code: str, column: str):
    return ws[f"{COLUMNS[column]}{row_of(ws, code)}"]


def edited(content: bytes, changes: dict[tuple[str, str], object]) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    for (code, column), value in changes.items():
        ws[f"{COLUMNS[column]}{row_of(ws, code)}"].value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def score(assessment, code: str) -> Score:
    return Score.objects.get(assessment=assessment, criterion__code=code)


def empty_database():
    """Another database: nothing left but the provinces."""
    Score.history.all().delete()
    WorkflowEvent.objects.all().delete()
    Score.objects.all().delete()
    Assessment.objects.all().delete()
    Criterion.objects.all().delete()
    Framework.objects.all().delete()


# --- Điểm thẩm định and Điểm phúc tra are two columns, both ways ------------------------------


def test_export_then_import_keeps_the_council_score(open_sample):
    Score.objects.filter(assessment=open_sample, criterion__code="2.1.1").update(
        appraised_score=Decimal("1.5"), rechecked_score=Decimal("1.7")
    )
    content = export_annex(open_sample).content
    ws = sheet(content)
    assert cell(ws, "2.1.1", "Điểm thẩm định").value == pytest.approx(1.5)
    assert cell(ws, "2.1.1", "Điểm phúc tra").value == pytest.approx(1.7)

    outcome = import_annex(content, open_sample.subject, 2023)

    assert outcome.errors == [] and outcome.written
    assert outcome.summary() == "0 dòng mới, 0 dòng thay đổi, 101 dòng không đổi"
    stored = score(open_sample, "2.1.1")
    assert (stored.appraised_score, stored.rechecked_score) == (Decimal("1.5"), Decimal("1.7"))


def test_recheck_typed_in_the_workbook_is_stored_as_the_recheck(open_sample):
    content = edited(export_annex(open_sample).content, {("1.1", "Điểm phúc tra"): 1.48})
    outcome = import_annex(content, open_sample.subject, 2023)
    assert outcome.errors == []
    stored = score(open_sample, "1.1")
    assert (stored.appraised_score, stored.rechecked_score) == (Decimal("1.4634"), Decimal("1.48"))
    assert str(scoring.compute(open_sample).by_code["1"].appraised) == "9.2993"


def test_old_file_without_the_new_columns_keeps_the_recheck(open_sample):
    Score.objects.filter(assessment=open_sample, criterion__code="1.1").update(
        rechecked_score=Decimal("1.45")
    )
    # The reference annex has no "Điểm phúc tra" and no "Không áp dụng" column.
    outcome = import_annex(to_bytes(annex_workbook(rows_with(AS_IN_THE_SAMPLE))), open_sample.subject, 2023)
    assert outcome.errors == []
    assert outcome.summary() == "0 dòng mới, 0 dòng thay đổi, 101 dòng không đổi"
    assert score(open_sample, "1.1").rechecked_score == Decimal("1.45")


# --- "Không áp dụng" is a column, both ways ---------------------------------------------------


def test_not_applicable_goes_out_and_comes_back(open_sample):
    criterion = Criterion.objects.get(framework=open_sample.framework, code="1.2")
    services.set_applicable(
        user=None, assessment=open_sample, criterion=criterion, applicable=False, reason="Không phát sinh"
    )
    before = scoring.compute(open_sample).as_dict()
    content = export_annex(open_sample).content
    ws = sheet(content)
    assert cell(ws, "1.2", "Không áp dụng").value == "x"
    assert cell(ws, "1.2", "Điểm chuẩn").value == pytest.approx(0.5)
    assert cell(ws, "1.2", "Điểm thẩm định").value is None
    subject = open_sample.subject
    empty_database()

    outcome = import_annex(content, subject, 2023)

    assert outcome.errors == []
    (change,) = [c for c in outcome.changes if c.code == "1.2"]
    assert change.details() == "áp dụng (trống) → không"
    assessment = Assessment.objects.get(subject=subject)
    assert score(assessment, "1.2").applicable is False
    assert scoring.compute(assessment).as_dict() == before


def test_a_new_score_on_a_row_marked_not_applicable_is_refused(open_sample):
    content = edited(
        export_annex(open_sample).content,
        {("1.2", "Không áp dụng"): "x", ("1.2", "Điểm thẩm định"): 0.3},
    )
    outcome = import_annex(content, open_sample.subject, 2023)
    assert [str(e).split(": ", 1)[1] for e in outcome.errors] == [
        "tiêu chí đánh dấu không áp dụng nhưng có điểm thẩm định 0,3 "
        "(để trống điểm của tiêu chí không áp dụng)"
    ]
    assert score(open_sample, "1.2").applicable is True


def test_a_mark_that_is_not_a_mark_is_refused(open_sample):
    content = edited(export_annex(open_sample).content, {("1.2", "Không áp dụng"): "hình như"})
    outcome = import_annex(content, open_sample.subject, 2023)
    assert any("(1.2): cột Không áp dụng ghi “hình như”" in str(e) for e in outcome.errors)


# --- remarks on parent rows -------------------------------------------------------------------


def test_remark_on_a_parent_row_survives_the_round_trip(open_sample):
    parent = Criterion.objects.get(framework=open_sample.framework, code="2.4")
    Score.objects.create(
        assessment=open_sample, criterion=parent, appraisal_comment="Kết quả điều tra xã hội học"
    )
    content = export_annex(open_sample).content
    assert cell(sheet(content), "2.4", "Ý kiến hội đồng thẩm định").value == "Kết quả điều tra xã hội học"
    subject = open_sample.subject
    empty_database()

    outcome = import_annex(content, subject, 2023)

    assert outcome.errors == []
    assessment = Assessment.objects.get(subject=subject)
    assert score(assessment, "2.4").appraisal_comment == "Kết quả điều tra xã hội học"
    assert scoring.compute(assessment).by_code["2.4"].comment == "Kết quả điều tra xã hội học"
    # The framework made from the file has its parents' maxima from the children (formulas).
    assert Criterion.objects.get(framework=assessment.framework, code="1").max_score == Decimal("9.5")
    assert scoring.validate_framework(assessment.framework) == []


def test_reference_parent_remarks_are_kept_on_import(provinces, annex_xlsx):
    from assessments.models import Subject

    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    assert import_annex(annex_xlsx, subject, 2023).errors == []
    remarks = dict(
        Score.objects.filter(criterion__code__in=["2.4", "5.7", "8.1"]).values_list(
            "criterion__code", "appraisal_comment"
        )
    )
    assert remarks == dict.fromkeys(["2.4", "5.7", "8.1"], "Kết quả điều tra xã hội học")


# --- parent rows as formulas ------------------------------------------------------------------


def test_parent_rows_and_total_are_sum_formulas(sample_assessment):
    ws = sheet(export_annex(sample_assessment).content)
    children = ",".join(f"C{row_of(ws, code)}" for code in ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"))
    assert cell(ws, "1", "Điểm chuẩn").value == f"=SUM({children})"
    appraised = children.replace("C", "E")
    assert cell(ws, "1", "Điểm thẩm định").value == f'=IF(COUNT({appraised})=0,"",SUM({appraised}))'
    total = ws.max_row
    fields = ",".join(f"C{row_of(ws, str(n))}" for n in range(1, 9))
    assert ws[f"C{total}"].value == f"=SUM({fields})"
    # Without a re-check anywhere, the phúc tra column stays empty.
    assert cell(ws, "1", "Điểm phúc tra").value is None


def test_parent_recheck_formula_counts_the_recheck_where_there_is_one(open_sample):
    Score.objects.filter(assessment=open_sample, criterion__code="2.1.1").update(
        rechecked_score=Decimal("1.7")
    )
    ws = sheet(export_annex(open_sample).content)
    first, second = row_of(ws, "2.1.1"), row_of(ws, "2.1.2")
    assert cell(ws, "2.1", "Điểm phúc tra").value == (
        f'=IF(COUNT(E{first},E{second},F{first},F{second})=0,"",'
        f'IF(F{first}="",N(E{first}),N(F{first}))+IF(F{second}="",N(E{second}),N(F{second})))'
    )


def test_editing_one_number_keeps_the_workbook_importable(open_sample):
    content = edited(export_annex(open_sample).content, {("1.1", "Điểm thẩm định"): 1.4})
    outcome = import_annex(content, open_sample.subject, 2023)
    assert outcome.errors == [] and outcome.written
    assert outcome.summary() == "0 dòng mới, 1 dòng thay đổi, 100 dòng không đổi"
    assert score(open_sample, "1.1").appraised_score == Decimal("1.4")
    assert str(scoring.compute(open_sample).by_code["1"].appraised) == "9.2193"


def with_cached_values(content: bytes, value: bytes) -> bytes:
    """The workbook as a spreadsheet program saves it: every formula with a cached value (here
    a stale one, as after an edit the program did not recompute)."""
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as zin, zipfile.ZipFile(patched, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"(<f>[^<]*</f>)(<v\s*/>|<v>[^<]*</v>)?", lambda m: m.group(1) + value, data)
            zout.writestr(item, data)
    return patched.getvalue()


def test_parent_formula_is_derived_whatever_its_cached_value(open_sample):
    content = edited(export_annex(open_sample).content, {("1.1", "Điểm thẩm định"): 1.4})
    content = with_cached_values(content, b"<v>999</v>")
    assert cell(sheet(content, data_only=True), "1", "Điểm thẩm định").value == 999
    outcome = import_annex(content, open_sample.subject, 2023)
    assert outcome.errors == []
    assert score(open_sample, "1.1").appraised_score == Decimal("1.4")


def test_a_typed_parent_number_is_still_checked(open_sample):
    content = edited(
        export_annex(open_sample).content,
        {("1.1", "Điểm thẩm định"): 1.4, ("1", "Điểm thẩm định"): 9.2827},
    )
    outcome = import_annex(content, open_sample.subject, 2023)
    assert [str(e).split(": ", 1)[1] for e in outcome.errors] == [
        "điểm thẩm định 9,2827 khác tổng các tiêu chí con (9,2193)"
    ]
    assert score(open_sample, "1.1").appraised_score == Decimal("1.4634")


def test_a_formula_read_as_text_on_a_parent_row_is_derived(provinces):
    from assessments.models import Subject

    subject = Subject.objects.get(code="70", valid_until__isnull=False)
    rows = rows_with({"1": {4: "=SUM(E7:E13)"}, "1.3": {3: "=SUM(D10:D11)"}})
    outcome = import_annex(tsv_bytes(rows), subject, 2023, filename="phu-luc.tsv")
    assert outcome.errors == []
    assert str(scoring.compute(Assessment.objects.get(subject=subject)).by_code["1"].appraised) == "9.2827"
