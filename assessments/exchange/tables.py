"""Reading a table from .xlsx, .csv or .tsv into rows of raw values, and finding columns by
their header text.

Values stay raw (numbers as read, text as typed) so the parsers can quote them in errors.
Formula cells are read from their cached values; a formula with no cached value becomes a
FormulaWithoutValue naming its cell.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .problems import FileRefused
from .safety import MAX_ROWS, XLSX, decode_text, detect_kind


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula cell saved without its computed value (e.g. written by a program)."""

    ref: str
    formula: str

    def __str__(self) -> str:
        return self.formula


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, list]]  # (spreadsheet row number, cell values); blank rows left out
    # (row number, column index) of every formula cell, whether or not it has a cached value.
    formulas: set[tuple[int, int]] = field(default_factory=set)

    def is_formula(self, row: int, index: int | None) -> bool:
        return index is not None and (row, index) in self.formulas


def read_tables(data: bytes, filename: str = "") -> list[Sheet]:
    """All sheets of a workbook, or the one table of a CSV/TSV file. FileRefused if unreadable."""
    kind = detect_kind(data, filename)
    if kind == XLSX:
        return read_xlsx(data)
    return [read_text(decode_text(data), kind)]


# --- xlsx ---------------------------------------------------------------------------------

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with archive.open(info) as handle:
                    if _FORMULA_TAG.search(handle.read()):
                        return True
    return False


def _load(data: bytes, *, data_only: bool):
    import openpyxl

    try:
        with warnings.catch_warnings():
            # Office files carry extensions openpyxl does not read (data validation, slicers…).
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except FileRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(f"Không đọc được tệp .xlsx (tệp bị hỏng?): {type(exc).__name__}.") from exc


def _formula_cells(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet, the (row, column) of every formula cell and its formula text."""
    workbook = _load(data, data_only=False)
    found: dict[str, dict[tuple[int, int], str]] = {}
    try:
        for ws in workbook.worksheets:
            cells = {}
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        value = cell.value
                        text = value if isinstance(value, str) else getattr(value, "text", str(value))
                        cells[(cell.row, cell.column)] = text
            found[ws.title] = cells
    finally:
        workbook.close()
    return found


def read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl.utils import get_column_letter

    formulas = _formula_cells(data) if _has_formulas(data) else {}
    workbook = _load(data, data_only=True)
    sheets: list[Sheet] = []
    total = 0
    try:
        for ws in workbook.worksheets:
            if not hasattr(ws, "iter_rows"):  # chart sheets
                continue
            sheet_formulas = formulas.get(ws.title, {})
            rows: list[tuple[int, list]] = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                blank = not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values)
                if blank and not sheet_formulas:
                    continue
                values = list(values)
                if sheet_formulas:
                    for col, value in enumerate(values, start=1):
                        formula = sheet_formulas.get((number, col))
                        if formula is not None and value is None:
                            ref = f"{get_column_letter(col)}{number}"
                            values[col - 1] = FormulaWithoutValue(ref, formula)
                    if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                        continue
                total += 1
                if total > MAX_ROWS:
                    raise FileRefused(
                        f"Tệp có hơn {MAX_ROWS:,} dòng dữ liệu; hãy tách tệp.".replace(",", ".")
                    )
                rows.append((number, values))
            sheets.append(Sheet(ws.title, rows, {(row, col - 1) for row, col in sheet_formulas}))
    finally:
        workbook.close()
    return sheets


# --- csv / tsv ----------------------------------------------------------------------------


def read_text(text: str, kind: str) -> Sheet:
    if kind == "tsv":
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    rows: list[tuple[int, list]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRefused(f"Tệp có hơn {MAX_ROWS:,} dòng dữ liệu; hãy tách tệp.".replace(",", "."))
            rows.append((number, [v if v.strip() else None for v in values]))
    except csv.Error as exc:
        raise FileRefused(f"Không đọc được tệp CSV: {exc}.") from exc
    return Sheet("", rows)


# --- text ---------------------------------------------------------------------------------

_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?\s*>")
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_text(value) -> str:
    """Plain text of a cell: NFC, markup such as <i>…</i> removed, spaces collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if _TAG.search(text):
        text = html.unescape(_TAG.sub("", text))
    text = text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def fold(value) -> str:
    """Header text reduced for matching: no diacritics, lower case, words separated by one space.

    "Điểm tự đánh giá" → "diem tu danh gia"; "Điểm TĐG" → "diem tdg".
    """
    if value is None:
        return ""
    return _fold(value if isinstance(value, str) else str(value))


@functools.lru_cache(maxsize=8192)
def _fold(value: str) -> str:
    text = unicodedata.normalize("NFD", clean_text(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- headers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # how the column is named in messages
    matches: Callable[[str], bool]
    required: bool = True


def match_header(values: Sequence, columns: Sequence[Column]) -> dict[str, int]:
    """Which column index each known column is in, for one candidate header row."""
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        if not isinstance(value, str):
            continue
        text = fold(value)
        if not text:
            continue
        for column in columns:
            if column.key not in found and column.matches(text):
                found[column.key] = index
                break
    return found


@dataclass
class Header:
    position: int  # index into Sheet.rows
    row: int  # spreadsheet row number
    columns: dict[str, int]
    rows: list = field(default_factory=list)  # the header row(s) as read, to spot repeats

    def is_repeat(self, values: Sequence) -> bool:
        """The same header row again, as where a printed table broke across pages."""
        signature = row_signature(values)
        return bool(signature) and any(signature == row_signature(r) for r in self.rows)


def row_signature(values: Sequence) -> tuple[str, ...]:
    folded = [fold(v) if isinstance(v, str) else ("" if v is None else str(v)) for v in values]
    while folded and not folded[-1]:
        folded.pop()
    return tuple(folded)


def find_header(sheet: Sheet, columns: Sequence[Column]) -> tuple[Header | None, list[str]]:
    """The first row holding every required column; else (None, labels missing in the best row).

    A header split over two rows ("Điểm" merged over "Chuẩn | Tự đánh giá | Thẩm định", "STT"
    merged down) is read as the two rows' texts joined, the upper row's merged cells filled
    to the right.
    """
    required = [c for c in columns if c.required]
    best: tuple[int, dict[str, int]] = (-1, {})
    for position, (number, values) in enumerate(sheet.rows):
        candidates = [(values, [values])]
        if position > 0 and sheet.rows[position - 1][0] == number - 1:
            upper = sheet.rows[position - 1][1]
            candidates.append((joined_header(upper, values), [upper, values]))
        for candidate, rows in candidates:
            found = match_header(candidate, columns)
            if all(c.key in found for c in required):
                return Header(position, number, found, rows), []
            score = sum(1 for c in required if c.key in found)
            if score > best[0]:
                best = (score, found)
    missing = [c.label for c in required if c.key not in best[1]]
    return None, missing


def joined_header(upper: Sequence, lower: Sequence) -> list[str]:
    """Two header rows as one: merged cells of the upper row filled right, texts joined."""
    width = max(len(upper), len(lower))
    joined, last = [], ""
    for index in range(width):
        above = cell(upper, index)
        if isinstance(above, str) and above.strip():
            last = above.strip()
        elif not is_blank(above):
            last = ""
        below = cell(lower, index)
        below = below.strip() if isinstance(below, str) else ""
        if below and last and last.casefold() != below.casefold():
            joined.append(f"{last} {below}")
        else:
            joined.append(below or last)
    return joined


def is_header_repeat(values: Sequence, columns: Sequence[Column]) -> bool:
    found = match_header(values, columns)
    return all(c.key in found for c in columns if c.required)


_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")


def is_column_numbering(values: Sequence) -> bool:
    """The "(1) (2) (3) …" row printed under a header."""
    numbers = []
    for value in values:
        if is_blank(value):
            continue
        match = _COLUMN_NUMBER.match(str(value).strip()) if not isinstance(value, float) else None
        if isinstance(value, int) and not isinstance(value, bool):
            numbers.append(value)
        elif match:
            numbers.append(int(match.group(1)))
        else:
            return False
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def cell(values: Sequence, index: int | None):
    if index is None or index >= len(values):
        return None
    return values[index]
