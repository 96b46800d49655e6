"""The national results table: every province's total index and rank for a year (and per-field
indices where given), as the ministry or the press publishes it.

The header may be one row, or two with a year merged over its columns ("Năm 2023" or "Chỉ số
PAR INDEX 2023" over "Chỉ số (%) | Xếp hạng"), several years side by side. The header is read
into one block of columns per year label (`NationalHeader.blocks`); an import takes the block
of the year asked for, and refuses when the table has year labels but none for that year.

Figures are kept as published: a rank is stored as the table gives it, never recomputed for
a partial table; a row with a rank and no index (common in the press) is stored with its rank
alone; ranks that contradict the indices are refused, naming the rows. Every problem of a file
is reported at once. A province is found by its code, its name, or the name it had that year
("Thừa Thiên Huế" in 2023).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from assessments import scoring
from assessments.decimals import NotANumber, format_index, parse_decimal, round_index
from assessments.models import SubjectKind

from .annex import normalise_code
from .problems import ImportOutcome
from .published import (
    FIELD_REF,
    TOTAL_TEXTS,
    YEAR,
    PublishedRow,
    _check_duplicates,
    _is_index_text,
    _is_rank_text,
    _title_like,
    name_key,
    parse_index,
    parse_rank,
    ranked_count_default,
    store_published,
    subject_lookup,
)
from .tables import FormulaWithoutValue, Sheet, cell, clean_text, fold, is_blank, is_column_numbering

CODE_LABELS = ("ma", "ma tinh", "ma hanh chinh", "ma dvhc", "code", "ma so")
NAME_PREFIXES = ("tinh", "dia phuong", "ten", "don vi", "province", "name")
SCORE_LABELS = ("diem", "tong diem", "score", "diem so")


@dataclass
class YearBlock:
    """The columns of one year label (None: columns without one)."""

    year: int | None
    index: int | None = None
    rank: int | None = None
    score: int | None = None
    fields: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> {"index"/"rank": col}

    @property
    def has_figures(self) -> bool:
        return self.index is not None or self.rank is not None

    def cells(self) -> list[tuple[str, str, int]]:
        """(field code, "index"|"rank"|"score", column): the total first, then fields."""
        found = [("", kind, column) for kind, column in self._total() if column is not None]
        for code, columns in sorted(self.fields.items(), key=lambda item: int(item[0])):
            found += [(code, kind, column) for kind, column in columns.items()]
        return found

    def _total(self):
        return (("index", self.index), ("rank", self.rank), ("score", self.score))


@dataclass
class NationalHeader:
    position: int
    code: int | None
    name: int | None
    blocks: dict[int | None, YearBlock]

    @property
    def years(self) -> list[int]:
        return sorted(y for y, block in self.blocks.items() if y is not None and block.has_figures)

    def block_for(self, year: int) -> YearBlock | None:
        """The block labelled with the year; the unlabelled one when no column has a year."""
        if year in self.blocks and self.blocks[year].has_figures:
            return self.blocks[year]
        if not self.years and None in self.blocks and self.blocks[None].has_figures:
            return self.blocks[None]
        return None


def _column_labels(sheet: Sheet, position: int) -> list[tuple[str, str]]:
    """(label of the header row, label above it) per column. The row above is a header row
    (not a title) right above; its merged cells are filled right over the columns that have
    a label below them (a label merged down has none)."""
    number, lower = sheet.rows[position]
    upper: list = []
    if position > 0 and sheet.rows[position - 1][0] == number - 1:
        above = sheet.rows[position - 1][1]
        if not _title_like(above):
            upper = list(above)
    width = max(len(lower), len(upper))
    labels, last = [], ""
    for column in range(width):
        own = fold(cell(lower, column))
        up = fold(cell(upper, column))
        if up:
            last = up
        elif not own:
            last = ""
        labels.append((own, up or (last if own else "")))
    return labels


def _classify(header: NationalHeader, column: int, own: str, above: str) -> None:
    text = own or above
    both = f"{above} {own}".strip()
    year_match = YEAR.search(own) or YEAR.search(above)
    year = int(year_match.group(1)) if year_match else None
    ref = FIELD_REF.search(own) or (
        FIELD_REF.search(above) if own in ("", "chi so", "hang", "xep hang") else None
    )
    if ref:
        block = header.blocks.setdefault(year, YearBlock(year))
        kind = "rank" if _is_rank_text(own or both) else "index"
        block.fields.setdefault(ref.group(1) or ref.group(2), {}).setdefault(kind, column)
        return
    if text in CODE_LABELS:
        header.code = column
    elif text in ("stt", "tt", "so tt"):
        return
    elif text.startswith(NAME_PREFIXES) and year is None:
        header.name = header.name if header.name is not None else column
    elif _is_rank_text(own or both):
        block = header.blocks.setdefault(year, YearBlock(year))
        block.rank = block.rank if block.rank is not None else column
    elif _is_index_text(own or both):
        block = header.blocks.setdefault(year, YearBlock(year))
        block.index = block.index if block.index is not None else column
    elif (own or text) in SCORE_LABELS:
        header.blocks.setdefault(year, YearBlock(year)).score = column


def _header_at(sheet: Sheet, position: int) -> NationalHeader | None:
    if _title_like(sheet.rows[position][1]):
        return None
    header = NationalHeader(position, None, None, {})
    for column, (own, above) in enumerate(_column_labels(sheet, position)):
        _classify(header, column, own, above)
    has_figures = any(block.has_figures for block in header.blocks.values())
    if has_figures and (header.code is not None or header.name is not None):
        return header
    return None


def _is_sub_header(values) -> bool:
    """ "Chỉ số (%) | Xếp hạng" under a merged year: labels only, an index or rank among them."""
    texts = [fold(v) for v in values if not is_blank(v)]
    return all(isinstance(v, str) for v in values if not is_blank(v)) and any(
        _is_index_text(t) or _is_rank_text(t) for t in texts
    )


def find_national_header(sheet: Sheet) -> NationalHeader | None:
    """The header row; of two header rows ("Chỉ số PAR INDEX 2023" merged over "Chỉ số (%) |
    Xếp hạng"), the lower one, read with the upper one's labels."""
    for position in range(len(sheet.rows)):
        header = _header_at(sheet, position)
        if header is None:
            continue
        below = position + 1
        if below < len(sheet.rows) and _is_sub_header(sheet.rows[below][1]):
            return _header_at(sheet, below) or header
        return header
    return None


def _column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column + 1)


def parse_national(
    sheet: Sheet, years: Iterable[int], kind: str, outcome: ImportOutcome
) -> dict[int, list[PublishedRow]]:
    """The rows of each year asked for, from that year's block of columns. Every problem is
    added to the outcome; a year without a block is one problem."""
    header = find_national_header(sheet)
    if header is None:
        outcome.error(
            "Không tìm thấy dòng tiêu đề của bảng kết quả toàn quốc (cần cột Tỉnh, thành phố "
            "hoặc Mã, và cột Chỉ số hoặc Xếp hạng)."
        )
        return {}
    found: dict[int, list[PublishedRow]] = {}
    for year in years:
        block = header.block_for(year)
        if block is None:
            labelled = ", ".join(str(y) for y in header.years)
            outcome.error(f"Bảng có số liệu năm {labelled}, không có năm {year}: không nhập.")
            continue
        found[year] = _block_rows(sheet, header, block, year, kind, outcome)
    return found


def _block_rows(sheet, header, block, year, kind, outcome) -> list[PublishedRow]:
    _subjects, by_code, by_name = subject_lookup(year, kind)
    rows: list[PublishedRow] = []
    for number, values in sheet.rows[header.position + 1 :]:
        if is_column_numbering(values):
            continue
        raw_code = normalise_code(cell(values, header.code)) if header.code is not None else None
        raw_name = clean_text(cell(values, header.name))
        if not raw_code and not raw_name:
            continue
        if fold(raw_name) in TOTAL_TEXTS or any(
            _is_index_text(fold(v)) or _is_rank_text(fold(v)) for v in values if isinstance(v, str)
        ):
            continue  # a total line, or the header repeated at a page break
        subject = None
        if raw_code:
            subject = by_code.get(raw_code) or by_code.get(raw_code.zfill(2))
        if subject is None and raw_name:
            subject = by_name.get(name_key(raw_name))
        if subject is None:
            outcome.error(f"không tìm thấy tỉnh, thành phố '{raw_name or raw_code}' trong năm {year}", number)
            continue
        rows += _row_figures(number, values, block, subject, year, outcome)
    return rows


def _row_figures(number, values, block, subject, year, outcome) -> list[PublishedRow]:
    entries: dict[str, dict] = {}
    for field_code, what, column in block.cells():
        raw = cell(values, column)
        where = f"{subject.name}{' – lĩnh vực ' + field_code if field_code else ''}"
        entry = entries.setdefault(field_code, {})
        if isinstance(raw, FormulaWithoutValue):
            outcome.error(f"ô {raw.ref} là công thức {raw.formula} chưa có giá trị đã tính", number, where)
            entry["bad"] = True
            continue
        try:
            if what == "index":
                entry["index"] = parse_index(raw)
            elif what == "score":
                entry["score"] = parse_decimal(raw)
            else:
                entry["rank"], entry["count"] = parse_rank(raw)
        except NotANumber as exc:
            outcome.error(f"{'chỉ số' if what == 'index' else 'điểm'} {exc}", number, where)
            entry["bad"] = True
        except ValueError:
            outcome.error(
                f"thứ hạng '{clean_text(raw)}' (cột {_column_letter(column)}) không phải là số", number, where
            )
            entry["bad"] = True
    rows = []
    for field_code, entry in entries.items():
        if entry.get("bad"):
            continue
        if entry.get("index") is None and entry.get("rank") is None:
            if field_code == "":
                outcome.error(f"năm {year} không có chỉ số và không có thứ hạng", number, subject.name)
            continue
        rows.append(
            PublishedRow(
                number,
                subject,
                year,
                field_code,
                "Tổng" if not field_code else f"Lĩnh vực {field_code}",
                entry.get("index"),
                entry.get("rank"),
                entry.get("count"),
                entry.get("score"),
            )
        )
    return rows


def check_ranks(rows: list[PublishedRow], ranked_count: int, outcome: ImportOutcome) -> None:
    """Ranks as published must agree with the indices: a higher index is never ranked below a
    lower one, and no rank is beyond the number of ranked units. Every contradiction is named."""
    for r in rows:
        count = r.ranked_count or ranked_count
        if r.rank is not None and count and r.rank > count:
            outcome.error(
                f"thứ hạng {r.rank} lớn hơn số đơn vị được xếp hạng ({count})", r.row, r.subject.name
            )
    # (rank, index, row) of the rows that publish both, best rank first
    ranked = sorted(
        ((r.rank, r.index, r) for r in rows if r.rank is not None and r.index is not None),
        key=lambda item: item[0],
    )
    lowest: tuple[Decimal, PublishedRow] | None = None  # the better-ranked row with the lowest index so far
    position = 0
    while position < len(ranked):
        rank = ranked[position][0]
        same = [(index, r) for r_rank, index, r in ranked[position:] if r_rank == rank]
        first_index, first = same[0]
        for index, r in same[1:]:
            if round_index(index) != round_index(first_index):
                outcome.error(
                    f"{_field(r)}chỉ số {format_index(index)}% cùng hạng {rank} với dòng {first.row} "
                    f"({first.subject.name}) có chỉ số {format_index(first_index)}%: thứ hạng mâu thuẫn "
                    "với chỉ số",
                    r.row,
                    r.subject.name,
                )
        if lowest is not None:
            lowest_index, low = lowest
            for index, r in same:
                if index > lowest_index:
                    outcome.error(
                        f"{_field(r)}chỉ số {format_index(index)}% xếp hạng {rank}, "
                        f"sau dòng {low.row} ({low.subject.name}) có chỉ số thấp hơn "
                        f"{format_index(lowest_index)}% xếp hạng {low.rank}: "
                        "thứ hạng mâu thuẫn với chỉ số",
                        r.row,
                        r.subject.name,
                    )
        for index, r in same:
            if lowest is None or index < lowest[0]:
                lowest = (index, r)
        position += len(same)


def _field(row: PublishedRow) -> str:
    return f"lĩnh vực {row.field_code}: " if row.field_code else ""


def import_national_sheet(
    sheet: Sheet,
    year: int,
    *,
    kind: str = SubjectKind.PROVINCE,
    dry_run: bool = False,
    outcome: ImportOutcome | None = None,
) -> ImportOutcome:
    """One year of the national table (the block of that year)."""
    return import_national_years(sheet, [year], kind=kind, dry_run=dry_run, outcome=outcome)


def import_national_years(
    sheet: Sheet,
    years: Iterable[int],
    *,
    kind: str = SubjectKind.PROVINCE,
    dry_run: bool = False,
    outcome: ImportOutcome | None = None,
) -> ImportOutcome:
    """The blocks of the years asked for, all or nothing."""
    outcome = outcome if outcome is not None else ImportOutcome()
    outcome.dry_run = dry_run
    by_year = parse_national(sheet, years, kind, outcome)
    rows: list[PublishedRow] = []
    for year, year_rows in by_year.items():
        _settle_year(year, year_rows, kind, outcome)
        rows += year_rows
    if outcome.errors:
        return outcome
    return store_published(rows, outcome, dry_run=dry_run)


def _settle_year(year: int, rows: list[PublishedRow], kind: str, outcome: ImportOutcome) -> None:
    """Check one year's rows and complete what is known: ranks from indices only for a full
    table without ranks; the number of ranked units from the table, else from the units
    valid that year (63 provinces until 2024, 34 after the 2025 merger)."""
    if not rows:
        if not outcome.errors:
            outcome.error(f"Bảng kết quả toàn quốc không có dòng số liệu nào của năm {year}.")
        return
    _check_duplicates(rows, outcome, key=lambda r: (r.subject.pk, r.field_code), what="tỉnh, thành phố")
    units = ranked_count_default(rows[0].subject, year)
    for field_code in sorted({r.field_code for r in rows}):
        part = [r for r in rows if r.field_code == field_code]
        check_ranks(part, units, outcome)
        if field_code == "" and all(r.rank is None for r in part):
            _rank_full_table(part, units, year, outcome)
    for r in rows:
        if r.rank is not None and r.ranked_count is None:
            r.ranked_count = units
    totals = sum(1 for r in rows if r.field_code == "")
    if totals != units:
        outcome.note(
            f"Bảng có {totals} tỉnh, thành phố; năm {year} có {units} đơn vị theo danh mục. "
            "Thứ hạng giữ như bảng công bố."
        )


def _rank_full_table(part: list[PublishedRow], units: int, year: int, outcome) -> None:
    """Total ranks computed from the indices, only when every ranked unit is in the table."""
    if len(part) != units or any(r.index is None for r in part):
        outcome.note(
            f"Bảng không có thứ hạng năm {year} và không đủ {units} đơn vị: thứ hạng để trống, không tự tính."
        )
        return
    ranks = scoring.rank({r.subject.pk: r.index for r in part})
    for r in part:
        r.rank = ranks[r.subject.pk]
    outcome.note(
        f"Bảng không có cột thứ hạng năm {year}: thứ hạng được tính từ chỉ số "
        f"(đủ {units} đơn vị, làm tròn 2 chữ số)."
    )
