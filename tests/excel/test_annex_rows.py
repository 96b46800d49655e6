"""One annex table: the report's annex (Phụ lục I) and the Excel export are built from the same
rows (exchange.annex_rows), so they show the same figures, and a criterion "Không áp dụng" the
same way."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessments import services
from assessments.decimals import format_score
from assessments.exchange.annex_rows import annex_rows
from assessments.exchange.export import export_annex
from assessments.models import Assessment, Criterion
from assessments.scoring import compute
from reports.compose import build_report

pytestmark = pytest.mark.django_db


def report_table(assessment) -> dict[str, dict[str, str]]:
    """The report's Phụ lục I: for each code, its cells' text by column label."""
    table = build_report(assessment).annexes[0].blocks[0]
    labels = [column.label for column in table.columns]
    rows = {}
    for row in table.rows:
        texts = dict(zip(labels, (cell.text for cell in row.cells), strict=True))
        rows[texts["STT"] or texts["Lĩnh vực/Tiêu chí/Tiêu chí thành phần"]] = texts
    return rows


def export_table(assessment) -> dict[str, dict[str, str]]:
    """The exported workbook's leaf rows (parents are formulas), as the report writes them."""
    ws = load_workbook(io.BytesIO(export_annex(assessment).content)).active
    labels = [c.value for c in ws[5]]
    rows = {}
    for values in ws.iter_rows(min_row=6, values_only=True):
        texts = dict(zip(labels, values, strict=True))
        if any(isinstance(v, str) and v.startswith("=") for v in values):
            continue
        rows[texts["STT"]] = {
            label: format_score(Decimal(str(value))) if isinstance(value, int | float) else (value or "")
            for label, value in texts.items()
        }
    return rows


SHARED = ["Điểm chuẩn", "Điểm tự đánh giá", "Điểm thẩm định", "Không áp dụng"]


def test_a_not_applicable_criterion_is_shown_alike_in_the_report_and_the_export(sample_assessment):
    Assessment.objects.filter(pk=sample_assessment.pk).update(is_locked=False)
    criterion = Criterion.objects.get(framework=sample_assessment.framework, code="1.2")
    services.set_applicable(
        user=None,
        assessment=sample_assessment,
        criterion=criterion,
        applicable=False,
        reason="Không phát sinh",
    )
    report, export = report_table(sample_assessment), export_table(sample_assessment)

    expected = {"Điểm chuẩn": "0,5", "Điểm tự đánh giá": "", "Điểm thẩm định": "", "Không áp dụng": "x"}
    assert {label: report["1.2"][label] for label in SHARED} == expected
    assert {label: export["1.2"][label] for label in SHARED} == expected
    # The field keeps its stated max; the index is on the applicable max, and says so.
    assert report["1"]["Điểm chuẩn"] == "9,5"
    assert report["TỔNG ĐIỂM"]["Ý kiến hội đồng thẩm định"].endswith("(trên 99,5 điểm chuẩn được áp dụng)")


def test_every_leaf_row_is_the_same_in_the_report_and_the_export(sample_assessment):
    report, export = report_table(sample_assessment), export_table(sample_assessment)
    leaves = [line.code for line in annex_rows(compute(sample_assessment)).lines if line.is_leaf]
    assert len(leaves) == 101
    for code in leaves:
        assert {label: report[code].get(label, "") for label in SHARED} == {
            label: export[code][label] for label in SHARED
        }, code


def test_the_report_shows_the_columns_the_assessment_needs(sample_assessment):
    labels = [c.label for c in build_report(sample_assessment).annexes[0].blocks[0].columns]
    # As in the reference: no re-check and every criterion applicable.
    assert labels == [
        "STT",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        "Điểm chuẩn",
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        "Ý kiến hội đồng thẩm định",
    ]
