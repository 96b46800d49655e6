"""The annex table as an .xlsx in the official layout: title, header repeated on every printed
page, bold field rows, scores as numbers shown with a decimal comma, comments, total row.

Every figure is read from assessments.scoring; the file imports back unchanged.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from assessments import scoring
from assessments.models import Assessment

from .tables import clean_text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "STT",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm chuẩn",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Ý kiến hội đồng thẩm định",
]
WIDTHS = [9, 60, 11, 12, 12, 70]
FONT_NAME = "Times New Roman"
# Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class AnnexExport:
    filename: str
    content_type: str
    content: bytes
    rows: int


def number_format(value: Decimal) -> str:
    """As many decimals as the score has (at most 4): 9,5 · 0,9388 · 1. Excel shows the
    decimal separator of the reader's locale: a comma in Vietnamese."""
    places = max(0, min(4, -int(value.normalize().as_tuple().exponent)))
    return "0" if places == 0 else "0." + "0" * places


def slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _set_text(cell, text: str) -> None:
    """Plain text, never a formula, even when it begins with "=", "+", "-" or "@"."""
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _set_score(cell, value: Decimal | None) -> None:
    if value is None:
        return
    cell.value = value
    cell.number_format = number_format(value)


def export_annex(assessment: Assessment) -> AnnexExport:
    result = scoring.compute(assessment)
    subject = assessment.subject
    year = assessment.framework.year
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook has one worksheet
    ws.title = f"Phụ lục {year}"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    base = Font(name=FONT_NAME, size=12)
    bold = Font(name=FONT_NAME, size=12, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws.append(["PHỤ LỤC"])
    ws.append([f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {subject.title.upper()}"])
    ws.append([f"(Đánh giá theo {assessment.framework.name})"])
    for row in (1, 2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
        ws.cell(row=row, column=1).font = bold if row < 3 else Font(name=FONT_NAME, size=12, italic=True)
        ws.cell(row=row, column=1).alignment = centre
    ws.append([])
    header_row = 5
    ws.append(HEADER)
    for column in range(1, len(HEADER) + 1):
        c = ws.cell(row=header_row, column=column)
        c.font = bold
        c.alignment = centre
        c.border = border
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    rows = 0
    r = header_row
    for node in result.nodes():
        r += 1
        _set_text(ws.cell(row=r, column=1), node.code)
        _set_text(ws.cell(row=r, column=2), node.name)
        _set_score(ws.cell(row=r, column=3), node.max)
        _set_score(ws.cell(row=r, column=4), node.self_score)
        _set_score(ws.cell(row=r, column=5), node.appraised)
        if node.is_leaf and node.score is not None and node.score.appraisal_comment:
            _set_text(ws.cell(row=r, column=6), clean_text(node.score.appraisal_comment))
        font = bold if node.level == 1 else base
        for column in range(1, len(HEADER) + 1):
            c = ws.cell(row=r, column=column)
            c.font = font
            c.border = border
            c.alignment = wrap if column in (2, 6) else Alignment(horizontal="center", vertical="top")
        rows += 1
    r += 1
    ws.cell(row=r, column=1).value = "TỔNG ĐIỂM"
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    _set_score(ws.cell(row=r, column=3), result.max)
    _set_score(ws.cell(row=r, column=4), result.self_score)
    _set_score(ws.cell(row=r, column=5), result.appraised)
    for column in range(1, len(HEADER) + 1):
        c = ws.cell(row=r, column=column)
        c.font = bold
        c.border = border
        c.alignment = centre if column < 6 else wrap
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    filename = f"phu-luc-chi-so-cchc-{year}-{slug(subject.name)}.xlsx"
    return AnnexExport(filename, CONTENT_TYPE, buffer.getvalue(), rows)
