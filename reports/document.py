"""The report as one structure (sections, paragraphs, tables, charts), rendered three ways.

compose.build_report() fills it from the scoring module; html.py, pdf.py and docx.py read it.
Nothing here computes: every text is final.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    # body (justified, indented) · bullet ("- …") · subbullet ("+ …") · reason ("Lý do: …")
    # · note (italic, smaller) · center · caption
    style: str = "body"
    kind: str = "paragraph"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    text: str
    level: int  # 1 "I. …" (upper case), 2 "1. …", 3 "a) …"
    runs: list[Run] = field(default_factory=list)  # optional richer content (level 3)
    kind: str = "heading"


@dataclass
class Cell:
    runs: list[Run]
    align: str = "left"  # left · center · right

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Row:
    cells: list[Cell]
    bold: bool = False
    level: int = 0  # criterion level, for shading in the browser


@dataclass
class Column:
    label: str
    width: float  # share of the table width, in percent
    align: str = "left"


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    caption: str = ""
    kind: str = "table"
    css_class: str = ""


@dataclass
class Chart:
    title: str
    svg: str  # inline SVG, XML declaration stripped
    png: bytes | None = None  # the same figure for Word, drawn on demand (see charts.py)
    key: str = ""
    kind: str = "chart"
    alt: str = ""


Block = Paragraph | Heading | Table | Chart


@dataclass
class Annex:
    label: str  # "Phụ lục I"
    title: str  # upper case
    subtitle: str  # "(Kèm theo Báo cáo số …/BC-SNV ngày … của Sở Nội vụ)"
    blocks: list[Block] = field(default_factory=list)


@dataclass
class DocumentHeader:
    parent_body: str  # UBND TỈNH BÌNH PHƯỚC
    issuing_body: str  # SỞ NỘI VỤ
    number: str  # Số: 15/BC-SNV
    place_date: str  # Bình Phước, ngày 05 tháng 3 năm 2024
    nation: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Signature:
    authority: str  # KT. GIÁM ĐỐC (may be empty)
    title: str  # PHÓ GIÁM ĐỐC
    name: str
    recipients: list[str]


@dataclass
class Report:
    header: DocumentHeader
    doc_type: str  # BÁO CÁO
    title_lines: list[str]
    blocks: list[Block]
    signature: Signature
    annexes: list[Annex]
    subject_name: str = ""
    year: int = 0
    title: str = ""  # the file's title; the annual report's when empty

    @property
    def document_title(self) -> str:
        return self.title or f"Báo cáo Chỉ số CCHC năm {self.year} – {self.subject_name}"

    def all_blocks(self):
        yield from self.blocks
        for annex in self.annexes:
            yield from annex.blocks


# --- rich text from stored comments --------------------------------------------------------------

_TAG = re.compile(r"(</?[ib]>)", re.IGNORECASE)


def rich_runs(text: str, *, italic: bool = False, bold: bool = False) -> list[Run]:
    """Runs from text that may hold the annex's own <i>…</i> and <b>…</b> markers.

    Only those four exact tags are read as formatting; anything else (an <img>, a URL) stays
    literal text, which every renderer escapes.
    """
    runs: list[Run] = []
    is_italic, is_bold = italic, bold
    for part in _TAG.split(text or ""):
        low = part.lower()
        if low == "<i>":
            is_italic = True
        elif low == "</i>":
            is_italic = italic
        elif low == "<b>":
            is_bold = True
        elif low == "</b>":
            is_bold = bold
        elif part:
            runs.append(Run(part, bold=is_bold, italic=is_italic))
    return runs


def plain(text: str) -> str:
    return "".join(r.text for r in rich_runs(text))


def paragraphs_from_text(text: str) -> list[Paragraph]:
    """A person's text: one paragraph a line; "- " and "+ " start list items."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("- ", "– ")):
            out.append(Paragraph(rich_runs(line[2:].strip()), style="bullet"))
        elif line.startswith("+ "):
            out.append(Paragraph(rich_runs(line[2:].strip()), style="subbullet"))
        else:
            out.append(Paragraph(rich_runs(line)))
    return out
