"""Reading a framework's criteria table in the layout of the annex

    STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm chuẩn

with optional columns Cách chấm (tự đánh giá / điều tra), Hướng dẫn chấm điểm, Cơ quan chủ
trì, Cơ quan tham mưu, Không áp dụng (được đánh dấu), Cách tính điểm (docs/scoring-rules.md),
Phần (chính / thưởng / trừ), and an optional sheet "Xếp loại" (Xếp loại | Từ (%)).

A field titled "Điểm thưởng…" or "Điểm trừ…" is a bonus or deduction section without a
"Phần" column. Title rows above the header may name the decision that issues the framework
("Kèm theo Quyết định số 123/QĐ-UBND ngày …"): it is kept as the legal basis. Only reading
here; exchange.frameworks checks the tree and writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assessments.decimals import NotANumber, format_score, parse_decimal
from assessments.models import ScoringMethod, Section

from .annex_table import CODE_PATTERN, TOTAL_WORDS, normalise_code
from .problems import ImportOutcome
from .tables import (
    Column,
    FormulaWithoutValue,
    Sheet,
    cell,
    clean_text,
    find_header,
    fold,
    is_blank,
    is_column_numbering,
    is_header_repeat,
)

FRAMEWORK_COLUMNS = [
    Column("rule", "Cách tính điểm", lambda t: "cach tinh" in t or "cong thuc" in t, required=False),
    Column(
        "method",
        "Cách chấm",
        lambda t: t.startswith(("cach cham", "phuong phap cham", "hinh thuc cham", "hinh thuc danh gia")),
        required=False,
    ),
    Column("guidance", "Hướng dẫn chấm điểm", lambda t: "huong dan" in t, required=False),
    Column("may_not_apply", "Không áp dụng", lambda t: "khong ap dung" in t, required=False),
    Column("lead_agency", "Cơ quan chủ trì", lambda t: "chu tri" in t, required=False),
    Column(
        "agencies",
        "Cơ quan tham mưu",
        lambda t: "tham muu" in t or "phoi hop" in t or t in ("co quan", "co quan thuc hien"),
        required=False,
    ),
    Column("section", "Phần", lambda t: t in ("phan", "phan diem", "loai diem", "nhom diem"), required=False),
    Column("max", "Điểm chuẩn", lambda t: "diem chuan" in t or "toi da" in t or "thang diem" in t),
    Column(
        "name",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        lambda t: "linh vuc" in t or "tieu chi" in t or "noi dung" in t or t in ("ten", "name"),
    ),
    Column("code", "STT", lambda t: t in ("stt", "tt", "so tt", "ma", "ma so", "ma tieu chi", "so thu tu")),
]

GRADE_COLUMNS = [
    Column("label", "Xếp loại", lambda t: t.startswith(("xep loai", "muc xep loai", "nhom", "loai"))),
    Column("min_index", "Từ (%)", lambda t: t.startswith(("tu", "chi so tu", "diem tu", "muc tu"))),
]

METHOD_WORDS = [
    (ScoringMethod.PEOPLE_SURVEY, ("sipas", "hai long", "nguoi dan")),
    (ScoringMethod.LEADER_SURVEY, ("dieu tra", "khao sat", "xa hoi hoc")),
    (ScoringMethod.SELF_ASSESSED, ("tu danh gia", "tdg", "tham dinh", "tu cham")),
]
SECTION_WORDS = [
    (Section.BONUS, ("thuong", "cong")),
    (Section.DEDUCTION, ("tru",)),
    (Section.MAIN, ("chinh", "trong thang diem")),
]
SECTION_TITLES = [(Section.BONUS, ("diem thuong", "diem cong")), (Section.DEDUCTION, ("diem tru",))]
MARK_YES = {"x", "co", "1", "v", "kad", "khong ap dung", "duoc danh dau", "true", "yes", "✓", "✔", "☑"}
MARK_NO = {"", "0", "khong", "false", "no"}
DECISION = re.compile(r"quyết định số\s*[^\s,;)]+", re.IGNORECASE)


@dataclass
class FrameworkRow:
    row: int
    code: str
    name: str = ""
    max: Decimal | None = None
    method: str = ""  # "" where the table says nothing (a leaf inherits its parent's)
    guidance: str = ""
    lead_agency: str = ""
    agencies: str = ""
    may_not_apply: bool = False
    rule: str = ""
    section: str = ""  # "" where the table says nothing


@dataclass
class GradeRow:
    row: int
    label: str
    min_index: Decimal


@dataclass
class FrameworkTable:
    sheet: str
    rows: list[FrameworkRow] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)
    legal_basis: str = ""  # the title row naming the decision, if any
    decision: str = ""  # "Quyết định số 123/QĐ-UBND", from that row
    grades: list[GradeRow] | None = None  # None without a "Xếp loại" sheet


def word_choice(text: str, choices) -> str | None:
    words = fold(text)
    tokens = set(words.split())
    for value, names in choices:
        if any((" " in name and name in words) or name in tokens for name in names):
            return value
    return None


def section_by_title(name: str) -> str | None:
    """ "Điểm thưởng (tối đa 5 điểm)" → bonus; "ĐIỂM TRỪ" → deduction; None otherwise."""
    words = fold(name)
    for section, titles in SECTION_TITLES:
        if words.startswith(titles):
            return section
    return None


def _number(raw, what: str, row: int, code: str, outcome: ImportOutcome, label: str) -> Decimal | None:
    if isinstance(raw, FormulaWithoutValue):
        outcome.error(
            f"{what} ở ô {raw.ref} là công thức {raw.formula} chưa có giá trị đã tính (hãy mở tệp bằng "
            "Excel, lưu lại rồi nhập lại)",
            row,
            code,
            label,
        )
        return None
    try:
        value = parse_decimal(clean_text(raw) if isinstance(raw, str) else raw)
    except NotANumber as exc:
        outcome.error(f"{what} {exc}", row, code, label)
        return None
    if value is not None and value < 0:
        outcome.error(f"{what} {format_score(value)} nhỏ hơn 0", row, code, label)
        return None
    return value


def _title_basis(sheet: Sheet, header_position: int) -> tuple[str, str]:
    """(legal basis, decision) from the title rows above the header, if one names a decision."""
    for _row, values in sheet.rows[:header_position]:
        for value in values:
            text = clean_text(value)
            match = DECISION.search(text)
            if match:
                return text.strip("()").strip(), match.group(0)
    return "", ""


def parse_framework_table(sheet: Sheet, outcome: ImportOutcome, label: str = "") -> FrameworkTable | None:
    header, missing = find_header(sheet, FRAMEWORK_COLUMNS)
    if header is None:
        outcome.error(
            "Không tìm thấy dòng tiêu đề của bảng tiêu chí (cần các cột STT, Lĩnh vực/Tiêu chí/Tiêu chí "
            f"thành phần, Điểm chuẩn); còn thiếu: {', '.join(missing)}.",
            sheet=label,
        )
        return None
    columns = header.columns
    table = FrameworkTable(sheet=label, columns=set(columns))
    table.legal_basis, table.decision = _title_basis(sheet, header.position)
    for number, values in sheet.rows[header.position + 1 :]:
        raw_code = cell(values, columns["code"])
        code = normalise_code(raw_code)
        name = clean_text(cell(values, columns["name"]))
        if code is None or not CODE_PATTERN.match(code):
            if (
                header.is_repeat(values)
                or is_header_repeat(values, FRAMEWORK_COLUMNS)
                or is_column_numbering(values)
            ):
                continue
            words = fold(code or name)
            if words.startswith(TOTAL_WORDS) or words in ("tong", "total", "tong so"):
                continue
            if code is None:
                if not is_blank(cell(values, columns["max"])):
                    outcome.error("có điểm chuẩn nhưng không có mã tiêu chí (cột STT)", number, sheet=label)
                continue
            outcome.error(
                f"mã tiêu chí '{code}' không hợp lệ (cần dạng 1, 1.3 hoặc 1.3.2)", number, sheet=label
            )
            continue
        found = FrameworkRow(row=number, code=code, name=name)
        raw_max = cell(values, columns["max"])
        if is_blank(raw_max):
            outcome.error("thiếu điểm chuẩn", number, code, label)
        else:
            found.max = _number(raw_max, "điểm chuẩn", number, code, outcome, label)
        if not name:
            outcome.error("thiếu tên tiêu chí", number, code, label)
        method_text = clean_text(cell(values, columns.get("method")))
        if method_text:
            method = word_choice(method_text, METHOD_WORDS)
            if method is None:
                outcome.error(
                    f"cách chấm “{method_text}” không rõ; ghi “tự đánh giá” hoặc “điều tra” (khảo sát lãnh "
                    "đạo, quản lý) hoặc “SIPAS” (sự hài lòng của người dân)",
                    number,
                    code,
                    label,
                )
            found.method = method or ""
        section_text = clean_text(cell(values, columns.get("section")))
        if section_text:
            section = word_choice(section_text, SECTION_WORDS)
            if section is None:
                outcome.error(
                    f"phần “{section_text}” không rõ; ghi “chính”, “thưởng” hoặc “trừ”", number, code, label
                )
            found.section = section or ""
        mark = clean_text(cell(values, columns.get("may_not_apply")))
        if fold(mark) in MARK_YES or mark in MARK_YES:
            found.may_not_apply = True
        elif fold(mark) not in MARK_NO:
            outcome.error(
                f"cột Không áp dụng ghi “{mark}”; đánh dấu “x” nếu tiêu chí có thể không áp dụng, "
                "để trống nếu không",
                number,
                code,
                label,
            )
        found.guidance = clean_text(cell(values, columns.get("guidance")))
        found.lead_agency = clean_text(cell(values, columns.get("lead_agency")))
        found.agencies = clean_text(cell(values, columns.get("agencies")))
        found.rule = clean_text(cell(values, columns.get("rule")))
        table.rows.append(found)
    if not table.rows and not outcome.errors:
        outcome.error("Bảng không có dòng tiêu chí nào dưới dòng tiêu đề.", sheet=label)
    return table


def parse_grades(sheet: Sheet, outcome: ImportOutcome) -> list[GradeRow]:
    """The "Xếp loại" sheet: a label and the lowest index (%) of each grade."""
    label = sheet.name
    header, missing = find_header(sheet, GRADE_COLUMNS)
    if header is None:
        outcome.error(
            f"Không tìm thấy dòng tiêu đề Xếp loại | Từ (%); còn thiếu: {', '.join(missing)}.", sheet=label
        )
        return []
    grades: list[GradeRow] = []
    seen: dict[str, int] = {}
    for number, values in sheet.rows[header.position + 1 :]:
        if header.is_repeat(values):
            continue
        name = clean_text(cell(values, header.columns["label"]))
        raw = cell(values, header.columns["min_index"])
        if not name and is_blank(raw):
            continue
        if not name:
            outcome.error("thiếu tên xếp loại", number, sheet=label)
            continue
        if isinstance(raw, str):
            raw = clean_text(raw).rstrip("%").strip()
        value = _number(raw, "mức từ (%)", number, name, outcome, label)
        if value is None:
            if is_blank(raw):
                outcome.error("thiếu mức từ (%)", number, name, label)
            continue
        if value > 100:
            outcome.error(f"mức từ {format_score(value)}% lớn hơn 100%", number, name, label)
            continue
        if fold(name) in seen:
            outcome.error(f"xếp loại trùng với dòng {seen[fold(name)]}", number, name, label)
            continue
        seen[fold(name)] = number
        for other in grades:
            if other.min_index == value:
                outcome.error(
                    f"mức từ {format_score(value)}% trùng với xếp loại “{other.label}”", number, name, label
                )
        grades.append(GradeRow(number, name, value))
    if not grades and not outcome.errors:
        outcome.error("Trang Xếp loại không có mức xếp loại nào.", sheet=label)
    return grades


def read_framework_sheets(sheets: list[Sheet], outcome: ImportOutcome) -> FrameworkTable | None:
    """The criteria table (the first sheet with its header) and the "Xếp loại" sheet, if any."""
    grade_sheet = next((s for s in sheets if fold(s.name).startswith("xep loai")), None)
    criteria_sheet = next(
        (s for s in sheets if s is not grade_sheet and find_header(s, FRAMEWORK_COLUMNS)[0] is not None),
        None,
    )
    if criteria_sheet is None:
        criteria_sheet = next((s for s in sheets if s is not grade_sheet), None)
    if criteria_sheet is None:
        outcome.error("Tệp không có trang tính bảng tiêu chí.")
        return None
    label = criteria_sheet.name if len(sheets) > 1 else ""
    table = parse_framework_table(criteria_sheet, outcome, label)
    if table is not None and grade_sheet is not None:
        table.grades = parse_grades(grade_sheet, outcome)
    return table
