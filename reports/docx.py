"""The report as a Word document (python-docx), from the same structure as HTML and PDF.

Times New Roman (what Word offices have; Liberation Serif has its metrics), A4, the ND30
margins, page numbers centred at the top from page 2, annex tables whose header row repeats
and whose rows never split across pages. Charts are PNG renderings of the same figures.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .document import Report, Run, Table

FONT = "Times New Roman"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
TEXT_WIDTH_MM = 210 - 30 - 15
# ND30 header: the issuing body on the left, the nation and motto on the right. The nation's
# line ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12,5pt bold) needs about 105 mm to stay on one line,
# so the table reaches 5 mm into the left margin, as offices' templates do.
HEADER_COLUMNS_MM = [62.0, 108.0]
HEADER_INDENT_MM = -5.0


def _set_font(style, size: float) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _runs(paragraph, runs: list[Run], size: float | None = None, bold: bool = False, italic: bool = False):
    for r in runs:
        run = paragraph.add_run(r.text)
        run.bold = r.bold or bold or None
        run.italic = r.italic or italic or None
        if size:
            run.font.size = Pt(size)
    return paragraph


def _para(doc_or_cell, text: str = "", *, align="center", size=None, bold=False, italic=False, space_after=0):
    p = doc_or_cell.add_paragraph()
    p.alignment = ALIGN[align] if isinstance(align, str) else align
    fmt = p.paragraph_format
    fmt.first_line_indent = Cm(0)
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    return p


def _rule_below(cell_or_doc, width_share: float, total_mm: float) -> None:
    """A short horizontal rule under the line above (ND30: 1/3 to 1/2 of that text), drawn as
    the bottom border of an empty 1-point paragraph, so the text line keeps its full width."""
    paragraph = _para(cell_or_doc, "")
    side = Mm(total_mm * (1 - width_share) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = side
    fmt.line_spacing = Pt(4)
    fmt.keep_with_next = True
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, "w:spacing", "w:ind", "w:jc", "w:rPr")
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    ppr.append(mark)


def _fixed_columns(table, widths_mm: list[float], indent_mm: float = 0) -> None:
    """Column widths that every word processor keeps: a fixed layout, the grid's widths and
    each cell's (Word reads the cells, LibreOffice the grid)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    if indent_mm:
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), str(int(Mm(indent_mm).twips)))
        indent.set(qn("w:type"), "dxa")
        tbl_pr.append(indent)
    for grid_col, mm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        grid_col.set(qn("w:w"), str(int(Mm(mm).twips)))
    for row in table.rows:
        for cell, mm in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(mm)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(13)


def _header_block(doc, report: Report) -> None:
    h = report.header
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_columns(table, HEADER_COLUMNS_MM, HEADER_INDENT_MM)
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Cm(0)
    p.add_run(h.parent_body).font.size = Pt(13)
    _para(left, h.issuing_body, size=13, bold=True)
    _rule_below(left, 0.4, HEADER_COLUMNS_MM[0])
    _para(left, h.number, size=13).paragraph_format.space_before = Pt(6)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Cm(0)
    run = p.add_run(h.nation)
    run.bold, run.font.size = True, Pt(12.5)
    p = _para(right, "", size=14)
    run = p.add_run(h.motto)
    run.bold, run.underline, run.font.size = True, True, Pt(14)
    p = _para(right, h.place_date, size=14, italic=True)
    p.paragraph_format.space_before = Pt(6)
    _para(doc, "", space_after=6)
    # The document type, the title lines and their rule stay together on one page.
    _para(doc, report.doc_type, size=14, bold=True).paragraph_format.keep_with_next = True
    for line in report.title_lines:
        _para(doc, line, size=14, bold=True).paragraph_format.keep_with_next = True
    if report.title_lines:
        _rule_below(doc, 0.3, TEXT_WIDTH_MM)
    _para(doc, "", space_after=6)


def _block(doc, block) -> None:
    kind = block.kind
    if kind == "heading":
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(6)
        if block.runs:
            for r in block.runs:
                run = p.add_run(r.text)
                run.bold = not r.italic
                run.italic = r.italic or None
        else:
            p.add_run(block.text.upper() if block.level == 1 else block.text).bold = True
    elif kind == "paragraph":
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        prefix = {"bullet": "- ", "subbullet": "+ "}.get(block.style, "")
        if block.style == "subbullet":
            p.paragraph_format.first_line_indent = Cm(1.5)
        elif block.style == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Cm(0)
        if prefix:
            p.add_run(prefix)
        _runs(p, block.runs, size=12 if block.style == "note" else None)
    elif kind == "table":
        _table(doc, block)
    elif kind == "chart":
        doc.add_picture(io.BytesIO(block.png_bytes), width=Mm(150))
        picture = doc.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.first_line_indent = Cm(0)
        picture.paragraph_format.keep_with_next = True
        _para(doc, block.title, size=12, italic=True, space_after=6)
    else:
        raise ValueError(f"Khối không rõ loại: {kind}")


def _row_props(row, *, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _cell_text(cell, runs: list[Run], align: str, size: float, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = ALIGN[align]
    p.paragraph_format.first_line_indent = Cm(0)
    p.paragraph_format.space_after = Pt(0)
    _runs(p, runs, size=size, bold=bold)


def _table(doc, table: Table) -> None:
    cols = len(table.columns)
    t = doc.add_table(rows=1, cols=cols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = [Mm(TEXT_WIDTH_MM * c.width / 100) for c in table.columns]
    for column, width in zip(t.columns, widths, strict=True):
        column.width = width
    header = t.rows[0]
    _row_props(header, header=True)
    for cell, column, width in zip(header.cells, table.columns, widths, strict=True):
        cell.width = width
        _cell_text(cell, [Run(column.label)], "center", 11, bold=True)
    for row in table.rows:
        new = t.add_row()
        _row_props(new)
        for cell, data, width in zip(new.cells, row.cells, widths, strict=True):
            cell.width = width
            _cell_text(cell, data.runs, data.align, 11)


def _signature(doc, report: Report) -> None:
    s = report.signature
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_columns(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    # "Nơi nhận", its list and the signature never part across a page break.
    _row_props(table.rows[0])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.paragraph_format.first_line_indent = Cm(0)
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for i, name in enumerate(s.recipients):
        end = "." if i == len(s.recipients) - 1 else ";"
        _para(left, f"- {name}{end}", align="left", size=11)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Cm(0)
    if s.authority:
        p.add_run(s.authority).bold = True
        p = _para(right, "")
    p.add_run(s.title).bold = True
    for _ in range(4):
        _para(right, "")
    _para(right, s.name, bold=True, size=14)


def render_docx(report: Report) -> bytes:
    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _page_number_header(section)
    normal = doc.styles["Normal"]
    _set_font(normal, 14)
    fmt = normal.paragraph_format
    fmt.first_line_indent = Cm(1)
    fmt.space_after = Pt(6)
    fmt.space_before = Pt(0)
    fmt.line_spacing = 1.0
    _header_block(doc, report)
    for block in report.blocks:
        _block(doc, block)
    _para(doc, "", space_after=6)
    _signature(doc, report)
    for annex in report.annexes:
        p = _para(doc, "")
        p.add_run().add_break(WD_BREAK.PAGE)
        _para(doc, annex.label, size=14, bold=True)
        _para(doc, annex.title, size=13, bold=True)
        _para(doc, annex.subtitle, size=13, italic=True, space_after=6)
        for block in annex.blocks:
            _block(doc, block)
    core = doc.core_properties
    core.title = report.document_title
    core.author = "ParIndex"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
