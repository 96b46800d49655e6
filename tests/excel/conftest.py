"""Test workbooks built with openpyxl in the layouts offices send, from the reference TSVs."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font

# The two annex tables of the reference report (Bình Phước 2023), exactly as published.
REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"
ANNEX_TSV = REFERENCE / "annex-2023-binh-phuoc-criteria-scores.tsv"
FIELD_SUMMARY_TSV = REFERENCE / "annex-2023-binh-phuoc-field-summary.tsv"

HEADER = [
    "STT",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm chuẩn",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Ý kiến hội đồng thẩm định",
]


def reference_rows() -> list[list[str]]:
    """The reference annex without its header: code, name, max, self, appraised, comment."""
    with open(ANNEX_TSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return [row + [""] * (6 - len(row)) for row in rows[1:]]


# The shipped sample keeps no remark on a parent row: the reference as it is stored there.
AS_IN_THE_SAMPLE = {"2.4": {5: ""}, "5.7": {5: ""}, "8.1": {5: ""}}


def rows_with(changes: dict[str, dict[int, str]], extra=(), drop=()):
    rows = [list(r) for r in reference_rows() if r[0] not in drop]
    for row in rows:
        for column, value in changes.get(row[0], {}).items():
            row[column] = value
    for position, row in extra:
        rows.insert(position, row)
    return rows


def _number_cell(text: str, as_number: bool):
    if text == "":
        return None
    if as_number:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            return text
        return int(value) if value.is_integer() else value
    return text


def annex_workbook(
    rows=None,
    *,
    header=None,
    repeat_header_every: int | None = 60,
    numeric_every: int = 2,
    italic_comments: bool = True,
    title: bool = True,
    sheet_title: str = "Phụ lục",
) -> Workbook:
    """The annex laid out as offices send it: a merged title block, the header, the "(1)…(6)"
    numbering row, the header repeated where a printed page broke, numbers alternately as
    numeric cells and as text with a decimal comma, italic comments, the TỔNG ĐIỂM row."""
    rows = reference_rows() if rows is None else rows
    header = header or HEADER
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    if title:
        ws.append(["ỦY BAN NHÂN DÂN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
        ws.merge_cells("A1:C1")
        ws.merge_cells("D1:F1")
        ws.append(["TỈNH BÌNH PHƯỚC", None, None, "Độc lập - Tự do - Hạnh phúc"])
        ws.merge_cells("A2:C2")
        ws.merge_cells("D2:F2")
        ws.append([])
        ws.append(["PHỤ LỤC"])
        ws.merge_cells("A4:F4")
        ws.append(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023 CỦA TỈNH BÌNH PHƯỚC"])
        ws.merge_cells("A5:F5")
        ws["A5"].font = Font(bold=True)
        ws["A5"].alignment = Alignment(horizontal="center")
        ws.append([])
    ws.append(header)
    ws.append([f"({i})" for i in range(1, len(header) + 1)])
    for position, row in enumerate(rows):
        if repeat_header_every and position and position % repeat_header_every == 0:
            ws.append(header)
        code, name, maximum, self_score, appraised, comment = row[:6]
        as_number = numeric_every and position % numeric_every == 0
        is_total = code.upper().startswith("TỔNG")
        values = [
            code if is_total or not as_number else _number_cell(code, True) if "." not in code else code,
            name,
            _number_cell(maximum, as_number),
            _number_cell(self_score, as_number),
            _number_cell(appraised, as_number),
            None,
        ]
        ws.append(values)
        target = ws.cell(row=ws.max_row, column=6)
        if comment.startswith("<i>") and italic_comments and "</i>" in comment:
            italic, _, rest = comment[3:].partition("</i>")
            target.value = CellRichText(TextBlock(InlineFont(i=True), italic), rest)
        else:
            target.value = comment or None
        if code.isdigit() or is_total:
            for c in ws[ws.max_row]:
                c.font = Font(bold=True)
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def annex_xlsx() -> bytes:
    return to_bytes(annex_workbook())


@pytest.fixture
def provinces(db):
    """An empty database but for the provinces (subjects)."""
    from assessments.reference_data import LoadReport, load_provinces

    load_provinces(LoadReport())


def tsv_bytes(rows, header=None) -> bytes:
    lines = [
        "\t".join(
            header or ["code", "name", "max_score", "self_score", "appraised_score", "appraisal_comment"]
        )
    ]
    lines += ["\t".join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
