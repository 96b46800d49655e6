"""Reading the annex table (Phụ lục: STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm chuẩn |
Điểm tự đánh giá | Điểm thẩm định | [Điểm phúc tra] | [Không áp dụng] | Ý kiến hội đồng thẩm
định) from a sheet: the header found by its text, title rows, repeated headers, the numbering
row and the TỔNG ĐIỂM row recognised, numbers parsed; every problem located by row and code.

A score cell holding a formula is recorded as such (AnnexRow.formulas): a parent row's formula
is derived from its children by the import, whatever its cached value; a leaf's formula
counts by its cached value, and one without a cached value is refused by the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from assessments.decimals import NotANumber, format_score, parse_decimal
from assessments.models import ScoringMethod

from .annex_rows import NOT_APPLICABLE_MARK
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


def _words(text: str) -> set[str]:
    return set(text.split())


def _score_header(text: str) -> bool:
    """Not a "Số liệu …" column (the figure a score is computed from)."""
    return not text.startswith("so lieu")


ANNEX_COLUMNS = [
    Column("lead_agency", "Cơ quan chủ trì", lambda t: "chu tri" in t, required=False),
    Column(
        "agencies",
        "Cơ quan tham mưu",
        lambda t: "tham muu" in t or "phoi hop" in t or t in ("co quan", "co quan thuc hien"),
        required=False,
    ),
    Column(
        "comment",
        "Ý kiến hội đồng thẩm định",
        lambda t: "y kien" in t or "ghi chu" in t or "nhan xet" in t or t in ("appraisal comment", "remark"),
        required=False,
    ),
    Column(
        "not_applicable",
        "Không áp dụng",
        lambda t: "khong ap dung" in t or t in ("kad", "not applicable"),
        required=False,
    ),
    Column(
        "rechecked",
        "Điểm phúc tra",
        lambda t: _score_header(t) and ("phuc tra" in t or t in ("rechecked score", "rechecked")),
        required=False,
    ),
    Column(
        "self_score",
        "Điểm tự đánh giá",
        lambda t: (
            _score_header(t)
            and ("tu danh gia" in t or "tdg" in _words(t) or "tu cham" in t or t == "self score")
        ),
    ),
    Column(
        "appraised",
        "Điểm thẩm định",
        lambda t: _score_header(t) and ("tham dinh" in t or t in ("diem td", "appraised score", "appraised")),
    ),
    Column(
        "max",
        "Điểm chuẩn",
        lambda t: "diem chuan" in t or "toi da" in t or "thang diem" in t or t in ("max score", "max"),
    ),
    Column(
        "name",
        "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
        lambda t: "linh vuc" in t or "tieu chi" in t or "noi dung" in t or t in ("ten", "name"),
        required=False,
    ),
    Column(
        "code",
        "STT",
        lambda t: t in ("stt", "tt", "so tt", "ma", "ma so", "ma tieu chi", "code", "so thu tu"),
    ),
]

CODE_PATTERN = re.compile(r"^\d{1,3}(\.\d{1,3})*$")
TOTAL_WORDS = ("tong diem", "tong cong", "tong so diem", "total")
LEADER_SURVEY_REMARK = "dieu tra xa hoi hoc"
PEOPLE_SURVEY_REMARK = "sipas"

FIELD_LABELS = {
    "max": "điểm chuẩn",
    "self_score": "điểm tự đánh giá",
    "appraised": "điểm thẩm định",
    "rechecked": "điểm phúc tra",
}
NUMBER_KEYS = tuple(FIELD_LABELS)
MARK_YES = {fold(NOT_APPLICABLE_MARK), "co", "1", "kad", "khong ap dung", "v", "true", "yes"}
MARK_NO = {"0", "khong", "false", "no"}
MARK_SIGNS = {"✓", "✔", "☑"}


@dataclass
class AnnexRow:
    row: int
    code: str
    name: str = ""
    max: Decimal | None = None
    self_score: Decimal | None = None
    appraised: Decimal | None = None
    rechecked: Decimal | None = None
    not_applicable: bool = False
    comment: str = ""
    lead_agency: str = ""  # "Cơ quan chủ trì"
    agencies: str = ""  # "Cơ quan tham mưu" / "Cơ quan phối hợp": names, first leads if no lead named
    self_present: bool = False
    invalid: set = field(default_factory=set)  # keys whose value was refused (not summed)
    formulas: set = field(default_factory=set)  # keys whose cell is a formula
    uncomputed: dict = field(default_factory=dict)  # key -> FormulaWithoutValue (no cached value)

    @property
    def survey_method(self) -> str | None:
        """The survey a row's remark names, if any ("Kết quả điều tra xã hội học", "Kết quả SIPAS")."""
        remark = fold(self.comment)
        if PEOPLE_SURVEY_REMARK in remark:
            return ScoringMethod.PEOPLE_SURVEY
        if LEADER_SURVEY_REMARK in remark:
            return ScoringMethod.LEADER_SURVEY
        return None


@dataclass
class AnnexTable:
    sheet: str
    header_row: int
    rows: list[AnnexRow] = field(default_factory=list)
    total: AnnexRow | None = None
    columns: set[str] = field(default_factory=set)  # the keys of the columns the table has


def normalise_code(value) -> str | None:
    """ "1.3.2", 1 (a numeric cell), 1.1 (a float cell), "1.3.2." → "1.3.2"; None if blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = clean_text(value).replace(" ", "").rstrip(".")
    return text


def _is_total(values, columns) -> bool:
    for key in ("code", "name"):
        text = fold(cell(values, columns.get(key)))
        if text and (text.startswith(TOTAL_WORDS) or text in ("tong", "total")):
            return True
    return False


def uncomputed_message(key: str, formula: FormulaWithoutValue) -> str:
    return (
        f"{FIELD_LABELS[key]} ở ô {formula.ref} là công thức {formula.formula} chưa có giá trị đã tính "
        "(hãy mở tệp bằng Excel, lưu lại rồi nhập lại)"
    )


def _number(
    found: AnnexRow, key: str, values, columns, sheet: Sheet, outcome: ImportOutcome, label: str
) -> tuple[Decimal | None, bool]:
    """(parsed value, present) for one score cell of found; an error is recorded when it is
    not a number. A formula is noted on found: its cached value, if any, is the value."""
    row, code = found.row, found.code
    index = columns.get(key)
    raw = cell(values, index)
    if isinstance(raw, str) and raw.strip().startswith("="):  # a formula read as its text
        raw = FormulaWithoutValue(f"{get_column_letter(index + 1)}{row}", raw.strip())
    if isinstance(raw, FormulaWithoutValue):
        found.formulas.add(key)
        found.uncomputed[key] = raw
        return None, True
    if sheet.is_formula(row, index):
        found.formulas.add(key)
    if is_blank(raw):
        return None, False
    if isinstance(raw, str):
        raw = clean_text(raw)
    try:
        value = parse_decimal(raw)
    except NotANumber as exc:
        outcome.error(f"{FIELD_LABELS[key]} {exc}", row, code, label)
        return None, True
    if value is not None and value < 0:
        outcome.error(f"{FIELD_LABELS[key]} {format_score(value)} nhỏ hơn 0", row, code, label)
        return None, True
    return value, value is not None


def _mark(found: AnnexRow, values, columns, outcome: ImportOutcome, label: str) -> bool:
    """The "Không áp dụng" column: "x" (or "có", "1", "✓") marks it; empty does not."""
    raw = cell(values, columns.get("not_applicable"))
    if is_blank(raw) or isinstance(raw, FormulaWithoutValue):
        return False
    text = clean_text(raw)
    if text in MARK_SIGNS or fold(text) in MARK_YES:
        return True
    if fold(text) in MARK_NO:
        return False
    outcome.error(
        f"cột Không áp dụng ghi “{text}”: ghi {NOT_APPLICABLE_MARK} nếu tiêu chí không áp dụng, "
        "để trống nếu có áp dụng",
        found.row,
        found.code,
        label,
    )
    return False


def parse_annex(sheet: Sheet, outcome: ImportOutcome, label: str | None = None) -> AnnexTable | None:
    """Rows of the annex below its header; errors go to outcome. None when there is no header.

    label names the sheet in messages (a workbook with several sheets); by default none.
    """
    label = label or ""
    if not sheet.rows:
        outcome.error("Bảng không có dữ liệu.", sheet=label)
        return None
    header, missing = find_header(sheet, ANNEX_COLUMNS)
    if header is None:
        outcome.error(
            "Không tìm thấy dòng tiêu đề của bảng phụ lục (cần các cột STT, Điểm chuẩn, Điểm tự "
            f"đánh giá, Điểm thẩm định); còn thiếu: {', '.join(missing)}.",
            sheet=label,
        )
        return None
    columns = header.columns
    table = AnnexTable(sheet=label, header_row=header.row, columns=set(columns))
    code_column = columns["code"]
    for number, values in sheet.rows[header.position + 1 :]:
        first = cell(values, code_column)
        looks_like_code = isinstance(first, int | float) or (
            isinstance(first, str) and CODE_PATTERN.match(first.strip().rstrip("."))
        )
        if not looks_like_code and (
            header.is_repeat(values) or is_header_repeat(values, ANNEX_COLUMNS) or is_column_numbering(values)
        ):
            continue
        if _is_total(values, columns):
            total = AnnexRow(row=number, code="TỔNG ĐIỂM")
            for key in NUMBER_KEYS:
                value, _ = _number(total, key, values, columns, sheet, outcome, label)
                setattr(total, key, value)
            table.total = total
            continue
        raw_code = cell(values, columns.get("code"))
        if isinstance(raw_code, FormulaWithoutValue):
            outcome.error(f"ô {raw_code.ref} (STT) là công thức chưa có giá trị", number, sheet=label)
            continue
        code = normalise_code(raw_code)
        if code is None:
            has_numbers = any(not is_blank(cell(values, columns.get(key))) for key in NUMBER_KEYS)
            if has_numbers:
                outcome.error("có điểm nhưng không có mã tiêu chí (cột STT)", number, sheet=label)
            elif table.rows:
                outcome.note("bỏ qua dòng không có mã tiêu chí", number, sheet=label)
            continue
        if not CODE_PATTERN.match(code):
            outcome.error(
                f"mã tiêu chí '{code}' không hợp lệ (cần dạng 1, 1.3 hoặc 1.3.2)", number, sheet=label
            )
            continue
        row = AnnexRow(row=number, code=code)
        row.name = clean_text(cell(values, columns.get("name")))
        row.comment = clean_text(cell(values, columns.get("comment")))
        row.lead_agency = clean_text(cell(values, columns.get("lead_agency")))
        row.agencies = clean_text(cell(values, columns.get("agencies")))
        for key in NUMBER_KEYS:
            seen = len(outcome.errors)
            value, present = _number(row, key, values, columns, sheet, outcome, label)
            setattr(row, key, value)
            if key == "max" and not present:
                outcome.error("thiếu điểm chuẩn", number, code, label)
            if key == "self_score":
                row.self_present = present
            if len(outcome.errors) > seen:
                row.invalid.add(key)
        row.not_applicable = _mark(row, values, columns, outcome, label)
        table.rows.append(row)
    if not table.rows:
        outcome.error("Bảng không có dòng tiêu chí nào dưới dòng tiêu đề.", sheet=label)
    return table


def choose_sheet(sheets: list[Sheet], name: str | None, outcome: ImportOutcome) -> Sheet | None:
    """The named sheet, or the first one with an annex header (the first sheet otherwise)."""
    if name:
        for sheet in sheets:
            if sheet.name == name:
                return sheet
        outcome.error(f"Không có trang tính '{name}' trong tệp.")
        return None
    for sheet in sheets:
        header, _ = find_header(sheet, ANNEX_COLUMNS)
        if header is not None:
            return sheet
    if not sheets:
        outcome.error("Tệp không có trang tính nào.")
        return None
    return sheets[0]
