"""The annex table as an .xlsx in the official layout: title, header repeated on every printed
page, bold field rows, scores as numbers shown with a decimal comma, parent rows and the total
as SUM formulas over their children, comments.

The rows come from exchange.annex_rows (the report's annex reads the same); the file imports
back unchanged.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from assessments import scoring
from assessments.models import Assessment

from .annex_rows import FIGURE_KEYS, SCORE_KEYS, TOTAL_LABEL, annex_rows
from .tables import clean_text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = {
    "code": 9,
    "name": 60,
    "max": 11,
    "self_score": 12,
    "appraised": 12,
    "rechecked": 12,
    "not_applicable": 10,
    "self_figures": 14,
    "appraised_figures": 14,
    "comment": 70,
}
WRAPPED = ("name", "comment")
FONT_NAME = "Times New Roman"
HEADER_FILL = "DDEBF7"  # the header row's light blue
# Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class AnnexExport:
    filename: str  # ASCII, for every browser
    content_type: str
    content: bytes
    rows: int
    display_name: str = ""  # the same name in Vietnamese, where the download offers one


def number_format(value: Decimal) -> str:
    """As many decimals as the score has (at most 4): 9,5 · 0,9388 · 1. Excel shows the
    decimal separator of the reader's locale: a comma in Vietnamese."""
    places = max(0, min(4, -int(value.normalize().as_tuple().exponent)))
    return "0" if places == 0 else "0." + "0" * places


def slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def set_text(cell, text: str) -> None:
    """Plain text, never a formula, even when it begins with "=", "+", "-" or "@"; control
    characters a workbook cannot hold (pasted from another program) are left out."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _set_score(cell, value: Decimal | None) -> None:
    if value is None:
        return
    cell.value = value
    cell.number_format = number_format(value)


def print_landscape(ws: Worksheet, header_row: int, *, margins: PageMargins | None = None) -> None:
    """Printed on A4 landscape, as wide as the page, the header row repeated on every page."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if margins is not None:
        ws.page_margins = margins


def _sum(refs: list[str]) -> str:
    """A parent's score: the sum of its children's cells, empty when none of them has one."""
    cells = ",".join(refs)
    return f'=IF(COUNT({cells})=0,"",SUM({cells}))'


def _final_sum(appraised: list[str], rechecked: list[str]) -> str:
    """A parent's score that counts: each child's re-check where there is one, else its
    appraised score."""
    terms = "+".join(f'IF({r}="",N({a}),N({r}))' for a, r in zip(appraised, rechecked, strict=True))
    return f'=IF(COUNT({",".join(appraised + rechecked)})=0,"",{terms})'


def _formulas(letters: dict[str, str], rows: list[int]) -> dict[str, str]:
    """The SUM formulas of a row whose parts are on the given rows (children or fields)."""
    refs = {key: [f"{letters[key]}{row}" for row in rows] for key in letters}
    formulas = {"max": "=SUM({})".format(",".join(refs["max"]))}
    for key in ("self_score", "appraised"):
        formulas[key] = _sum(refs[key])
    formulas["rechecked"] = _final_sum(refs["appraised"], refs["rechecked"])
    return formulas


def _set_formula(cell, formula: str, value: Decimal | None) -> None:
    cell.value = formula
    cell.number_format = number_format(value) if value is not None else "General"


def export_annex(assessment: Assessment) -> AnnexExport:
    """The annex in the exchange layout (every column of annex_rows.COLUMNS). Parent rows and
    the total are SUM formulas over their children, so a figure edited in Excel keeps them
    right; the import derives them again from the children."""
    table = annex_rows(scoring.compute(assessment))
    columns = table.columns(every=True)
    position = {column.key: index for index, column in enumerate(columns, start=1)}
    letters = {key: get_column_letter(position[key]) for key in SCORE_KEYS}
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
    width = len(columns)

    ws.append(["PHỤ LỤC"])
    ws.append([f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {subject.title.upper()}"])
    ws.append([f"(Đánh giá theo {assessment.framework.name})"])
    for row in (1, 2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row=row, column=1).font = bold if row < 3 else Font(name=FONT_NAME, size=12, italic=True)
        ws.cell(row=row, column=1).alignment = centre
    ws.append([])
    header_row = 5
    ws.append([column.label for column in columns])
    for column in range(1, width + 1):
        c = ws.cell(row=header_row, column=column)
        c.font = bold
        c.alignment = centre
        c.border = border
        c.fill = PatternFill("solid", fgColor=HEADER_FILL)
    row_of = {line.code: header_row + number for number, line in enumerate(table.lines, start=1)}
    for line in table.lines:
        r = row_of[line.code]
        set_text(ws.cell(row=r, column=position["code"]), line.code)
        set_text(ws.cell(row=r, column=position["name"]), line.name)
        if line.is_leaf:
            for key in SCORE_KEYS:
                _set_score(ws.cell(row=r, column=position[key]), getattr(line, key))
        else:
            formulas = _formulas(letters, [row_of[code] for code in line.children])
            for key in SCORE_KEYS:
                if key == "rechecked" and not table.has_recheck:
                    continue
                _set_formula(ws.cell(row=r, column=position[key]), formulas[key], getattr(line, key))
        ws.cell(row=r, column=position["not_applicable"]).value = line.mark or None
        for key in FIGURE_KEYS:  # text, so that Excel never reads "8/17" as a date
            if getattr(line, key):
                set_text(ws.cell(row=r, column=position[key]), getattr(line, key))
        if line.comment:
            set_text(ws.cell(row=r, column=position["comment"]), clean_text(line.comment))
        font = bold if line.bold else base
        for key, column in position.items():
            c = ws.cell(row=r, column=column)
            c.font = font
            c.border = border
            c.alignment = wrap if key in WRAPPED else Alignment(horizontal="center", vertical="top")
    r = header_row + len(table.lines) + 1
    total = table.total
    ws.cell(row=r, column=1).value = TOTAL_LABEL
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    formulas = _formulas(letters, [row_of[line.code] for line in table.lines if line.level == 1])
    for key in SCORE_KEYS:
        if key == "rechecked" and not table.has_recheck:
            continue
        _set_formula(ws.cell(row=r, column=position[key]), formulas[key], getattr(total, key))
    ws.cell(row=r, column=position["comment"]).value = total.note
    for key, column in position.items():
        c = ws.cell(row=r, column=column)
        c.font = bold
        c.border = border
        c.alignment = wrap if key in WRAPPED else centre
    for key, column in position.items():
        ws.column_dimensions[get_column_letter(column)].width = WIDTHS[key]
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    print_landscape(ws, header_row)
    buffer = io.BytesIO()
    wb.save(buffer)
    filename = f"phu-luc-chi-so-cchc-{year}-{slug(subject.name)}.xlsx"
    return AnnexExport(filename, CONTENT_TYPE, buffer.getvalue(), len(table.lines))
