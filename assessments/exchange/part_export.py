"""An agency's part of an assessment as an .xlsx (issue 13, story 9): what its entry page
shows, to keep, print or pass around inside the department.

One sheet: a title block (subject, year, agency, phase, the part's status, the moment the
figures were taken), then the criteria the agency answers for in tree order with their field
and criterion headings, and a total per field and for the whole part. Once the council has
appraised (the entry page's rule, services.shows_council) the council's score and remark and
the agency's response follow. Scores are numbers with 4 decimals; every total is read from
assessments.scoring; text never becomes a formula. Printed on A4 landscape, header repeated.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from assessments import scoring, services
from assessments.models import Agency, Assessment, Evidence
from assessments.services.part_status import PartStatus, part_status, shows_council, submissions_by_stage

from .export import CONTENT_TYPE, FONT_NAME, HEADER_FILL, AnnexExport, print_landscape, set_text, slug
from .tables import clean_text

SCORE_FORMAT = "0.0000"  # Excel shows the reader's decimal separator: 0,9388 in Vietnamese
NOT_APPLICABLE = "Không áp dụng"
HEADER_ROW = 6
FONT_SIZE = 11
LINE_HEIGHT = 14  # points per line of 11 pt Times New Roman, Vietnamese diacritics included
CHARS_PER_WIDTH = 1.3  # characters of text per unit of column width, on the safe side


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float


# Widths in characters: the whole table fits A4 landscape at about 70 % (council columns
# included), which keeps an 11 pt font readable on paper.
COLUMNS = [
    Column("code", "Mã", 8),
    Column("name", "Tiêu chí", 40),
    Column("max", "Điểm tối đa", 10),
    Column("figures", "Số liệu", 11),
    Column("self_score", "Điểm tự đánh giá", 11),
    Column("explanation", "Giải trình", 30),
    Column("evidence", "Tài liệu kiểm chứng", 20),
]
COUNCIL_COLUMNS = [
    Column("appraised", "Điểm thẩm định", 11),
    Column("comment", "Ý kiến thẩm định", 28),
    Column("response", "Giải trình của cơ quan", 28),
]
# Characters a sheet name may not hold (Excel refuses them), and its longest length.
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
SHEET_NAME_LENGTH = 31


def sheet_title(agency: Agency) -> str:
    """'Phần của Sở Tư pháp': the short name where the full one is too long, at most 31
    characters, none of those Excel refuses."""
    title = f"Phần của {agency.name}"
    if len(title) > SHEET_NAME_LENGTH and agency.short_name:
        title = f"Phần của {agency.short_name}"
    return _SHEET_UNSAFE.sub(" ", title)[:SHEET_NAME_LENGTH].strip().strip("'")


def filenames(assessment: Assessment, agency: Agency) -> tuple[str, str]:
    """(ASCII name, Vietnamese name) of the download."""
    year = assessment.framework.year
    ascii_name = f"phan-tu-danh-gia-{slug(agency.name)}-{year}.xlsx"
    display = " ".join(_FILE_UNSAFE.sub(" ", f"Phần tự đánh giá {agency.name} {year}").split())
    return ascii_name, f"{display}.xlsx"


def row_height(columns: list[Column], values: dict[str, Decimal | str | None]) -> float:
    """The height (points) that shows every line of a row's wrapped text: spreadsheets do
    not grow a row for text written by a program (LibreOffice prints it cut), so it is set,
    from an estimate of the lines each cell wraps to, a little generous."""
    lines = 1
    for column in columns:
        value = values.get(column.key)
        if isinstance(value, str) and value:
            per_line = max(1, int(column.width * CHARS_PER_WIDTH))
            cell_lines = sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))
            lines = max(lines, cell_lines)
    return lines * LINE_HEIGHT + 3


def taken_at_text(moment) -> str:
    local = timezone.localtime(moment)
    return f"Số liệu tính đến {local:%H:%M %d/%m/%Y}"


def export_agency_part(assessment: Assessment, agency: Agency, *, now=None) -> AnnexExport:
    """The agency's part as the entry page shows it (the same leaves: those it leads or
    contributes to). A fixed number of queries whatever the size of the tree."""
    result = scoring.compute(assessment)
    own = {node.criterion.pk: node for node in scoring.responsible_leaves(result, agency.pk)}
    state = services.agency_state(assessment, agency.pk, result)
    status = part_status(state, submissions_by_stage(assessment, agency.pk))
    sheet = _PartSheet(
        assessment=assessment,
        agency=agency,
        council=shows_council(assessment),
        evidence=services.evidence_by_criterion(assessment, own),
    )
    sheet.title_block(status, taken_at_text(now or timezone.now()))
    sheet.header()
    for field, nodes in scoring.part_branches(result, own):
        for node in nodes:
            sheet.node_row(node)
        field_leaves = [leaf for leaf in field.leaves() if leaf.criterion.pk in own]
        sheet.total_row(f"Cộng lĩnh vực {field.code}", field_leaves)
    if own:
        sheet.total_row("TỔNG CỘNG PHẦN CỦA CƠ QUAN", list(own.values()), overall=True)
    else:
        sheet.empty_row("Cơ quan không có tiêu chí nào trong đợt đánh giá này.")
    sheet.finish()
    ascii_name, display_name = filenames(assessment, agency)
    return AnnexExport(ascii_name, CONTENT_TYPE, sheet.save(), len(own), display_name=display_name)


class _PartSheet:
    """The one worksheet, written row by row."""

    def __init__(self, *, assessment: Assessment, agency: Agency, council: bool, evidence):
        self.assessment = assessment
        self.agency = agency
        self.council = council
        self.evidence: dict[int, list[Evidence]] = evidence
        self.columns = COLUMNS + (COUNCIL_COLUMNS if council else [])
        self.position = {column.key: index for index, column in enumerate(self.columns, start=1)}
        self.wb = Workbook()
        ws = self.wb.active
        assert isinstance(ws, Worksheet)  # a new workbook has one worksheet
        self.ws = ws
        ws.title = sheet_title(agency)
        self.row = HEADER_ROW
        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.base = Font(name=FONT_NAME, size=FONT_SIZE)
        self.bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.number = Alignment(horizontal="right", vertical="top")
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    # --- the title block and the header ------------------------------------------------------

    def title_block(self, status: PartStatus, taken_at: str) -> None:
        assessment = self.assessment
        year = assessment.framework.year
        status_text = f"Trạng thái: {status.label}" + (f" – {status.detail}" if status.detail else "")
        lines = [
            (f"CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {assessment.subject.title.upper()}", self.bold),
            (f"PHẦN CỦA {self.agency.name.upper()}", Font(name=FONT_NAME, size=FONT_SIZE + 2, bold=True)),
            (f"Giai đoạn: {assessment.get_phase_display()} · {status_text}", self.base),
            (taken_at, Font(name=FONT_NAME, size=FONT_SIZE, italic=True)),
        ]
        width = len(self.columns)
        for row, (text, font) in enumerate(lines, start=1):
            cell = self.ws.cell(row=row, column=1)
            set_text(cell, text)
            cell.font = font
            cell.alignment = Alignment(horizontal="center", vertical="center")
            self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)

    def header(self) -> None:
        self.ws.row_dimensions[HEADER_ROW].height = row_height(
            self.columns, {c.key: c.label for c in self.columns}
        )
        for index, column in enumerate(self.columns, start=1):
            cell = self.ws.cell(row=HEADER_ROW, column=index, value=column.label)
            cell.font, cell.alignment, cell.border = self.bold, self.centre, self.border
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)

    # --- rows ----------------------------------------------------------------------------------

    def _next_row(self, values: dict[str, Decimal | str | None], *, bold: bool = False, fill=None) -> None:
        self.row += 1
        self.ws.row_dimensions[self.row].height = row_height(self.columns, values)
        for column in self.columns:
            cell = self.ws.cell(row=self.row, column=self.position[column.key])
            value = values.get(column.key)
            if isinstance(value, Decimal):
                cell.value = value
                cell.number_format = SCORE_FORMAT
            elif value:
                set_text(cell, value)
            cell.font = self.bold if bold else self.base
            cell.border = self.border
            cell.alignment = self.number if isinstance(value, Decimal) else self.wrap
            if fill is not None:
                cell.fill = fill

    def node_row(self, node: scoring.Node) -> None:
        if not node.is_leaf:
            fill = PatternFill("solid", fgColor="F2F2F2") if node.level == 1 else None
            self._next_row({"code": node.code, "name": node.name, "max": node.max}, bold=True, fill=fill)
            return
        score = node.score
        criterion = node.criterion
        values: dict[str, Decimal | str | None] = {
            "code": node.code,
            "name": self._name(node),
            "max": node.max,
            "evidence": "\n".join(item.original_name for item in self.evidence.get(criterion.pk, [])),
        }
        if score is not None:
            values["explanation"] = clean_text(score.explanation)
            if criterion.rule.takes_figures:
                values["figures"] = score.self_figures
        if not node.applicable:
            values["self_score"] = NOT_APPLICABLE
        elif not node.is_survey:
            values["self_score"] = node.self_score
        if self.council:
            values["appraised"] = node.appraised if node.applicable else NOT_APPLICABLE
            if score is not None:
                values["comment"] = self._council_comment(score)
                values["response"] = clean_text(score.response)
        self._next_row(values)

    def _name(self, node: scoring.Node) -> str:
        """The criterion's name, how it is scored, and who scores it where the agency only
        contributes."""
        lines = [node.name]
        if node.is_survey:
            lines.append(f"(Điểm do điều tra xã hội học: {node.criterion.get_method_display()})")
        elif node.criterion.rule.takes_figures:
            lines.append(f"Cách tính điểm: {node.criterion.rule_description}")
        lead = node.lead
        if lead is not None and lead.pk != self.agency.pk:
            lines.append(f"Cơ quan phối hợp; {lead.name} (cơ quan chủ trì) chấm điểm.")
        return "\n".join(lines)

    @staticmethod
    def _council_comment(score) -> str:
        parts = [clean_text(score.appraisal_comment)]
        if score.recheck_comment:
            parts.append("Phúc tra: " + clean_text(score.recheck_comment))
        return "\n".join(part for part in parts if part)

    def total_row(self, label: str, leaves: list[scoring.Node], *, overall: bool = False) -> None:
        """The agency's part of a field (or of the whole): the self-assessed criteria it leads,
        as its entry page totals them, computed by scoring."""
        own = scoring.entered_part(leaves, self.agency.pk)
        values: dict[str, Decimal | str | None] = {
            "name": f"{label} (tiêu chí cơ quan chủ trì chấm điểm)",
            "max": own.max,
            "self_score": own.score,
        }
        if self.council:
            values["appraised"] = scoring.entered_appraised_part(leaves, self.agency.pk).score
        fill = PatternFill("solid", fgColor="FFF2CC" if overall else "FBFBFB")
        self._next_row(values, bold=True, fill=fill)

    def empty_row(self, text: str) -> None:
        self._next_row({"name": text})

    # --- the page ------------------------------------------------------------------------------

    def finish(self) -> None:
        ws = self.ws
        for index, column in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3).coordinate
        print_landscape(ws, HEADER_ROW, margins=PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6))
        footer = ws.oddFooter
        assert footer is not None  # every worksheet has one
        footer.center.text = "Trang &P/&N"
        footer.center.font = FONT_NAME
        footer.center.size = 9

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()
