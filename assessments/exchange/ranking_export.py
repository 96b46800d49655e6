"""A block's ranking as an .xlsx in the layout of an announcement annex: title rows, a bold
header STT | Đơn vị | Điểm đạt | Điểm tối đa | Chỉ số (%) | Xếp hạng | Xếp loại, figures
written as published (decimal commas), frozen panes, printed landscape on A4.

Every figure is read from assessments.scoring.ranking.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assessments.decimals import format_index, format_score
from assessments.scoring.ranking import Block

from .export import CONTENT_TYPE, FONT_NAME, HEADER_FILL, AnnexExport, print_landscape, set_text, slug

HEADER = ["STT", "Đơn vị", "Điểm đạt", "Điểm tối đa", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
WIDTHS = [7, 50, 12, 12, 12, 11, 16]
UNRANKED_NOTE = "Chưa xếp hạng (chưa có điểm thẩm định): {names}."
HEADER_ROW = 5


def annex_title(block: Block) -> str:
    return (
        f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {block.year} "
        f"KHỐI {block.kind_label.upper()} {block.province.title.upper()}"
    )


def unit_cells(position: int, unit) -> list[str]:
    """One row of the annex, as published: figures with decimal commas."""
    return [
        str(position),
        unit.subject.name,
        format_score(unit.points),
        format_score(unit.max),
        format_index(unit.index),
        str(unit.rank) if unit.rank is not None else "–",
        unit.grade or "",
    ]


def _sheet(wb: Workbook, block: Block, first: bool) -> None:
    ws = wb.active if first else wb.create_sheet()
    assert isinstance(ws, Worksheet)  # a new workbook has one worksheet
    ws.title = block.kind_label[:31].replace(",", "")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    base = Font(name=FONT_NAME, size=12)
    bold = Font(name=FONT_NAME, size=12, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    titles = [
        ("PHỤ LỤC", bold),
        (annex_title(block), bold),
        (f"(Đánh giá theo {block.framework.name})", Font(name=FONT_NAME, size=12, italic=True)),
    ]
    for row, (text, font) in enumerate(titles, start=1):
        set_text(ws.cell(row=row, column=1), text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
        ws.cell(row=row, column=1).font = font
        ws.cell(row=row, column=1).alignment = centre
    for column, label in enumerate(HEADER, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column, value=label)
        cell.font, cell.alignment, cell.border = bold, centre, border
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for position, unit in enumerate(block.units, start=1):
        r = HEADER_ROW + position
        for column, text in enumerate(unit_cells(position, unit), start=1):
            data = ws.cell(row=r, column=column)
            set_text(data, text)
            data.font, data.border = base, border
            data.alignment = (
                Alignment(vertical="top", wrap_text=True)
                if column == 2
                else Alignment(horizontal="right" if column in (3, 4, 5) else "center", vertical="top")
            )
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    print_landscape(ws, HEADER_ROW)


def export_ranking(blocks: list[Block]) -> AnnexExport:
    """One sheet per block, in the order given."""
    wb = Workbook()
    for number, block in enumerate(blocks):
        _sheet(wb, block, first=number == 0)
    buffer = io.BytesIO()
    wb.save(buffer)
    first = blocks[0]
    kinds = "-".join(slug(b.kind_label) for b in blocks)
    filename = f"xep-hang-chi-so-cchc-{first.year}-{kinds}-{slug(first.province.name)}.xlsx"
    return AnnexExport(filename, CONTENT_TYPE, buffer.getvalue(), sum(len(b.units) for b in blocks))
