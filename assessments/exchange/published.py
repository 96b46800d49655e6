"""Published indices and ranks: the field summary table of one subject (this year and last,
two header rows with merged cells, a "Tổng" row), and what it shares with the national
results table (`national.py`): reading ranks and indices, storing PublishedResult rows.

Published figures are stored as published (PublishedResult); where they differ from the
figures computed from the scores, the difference is reported, never hidden.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from assessments import scoring
from assessments.decimals import NotANumber, format_index, parse_decimal
from assessments.models import Assessment, ChangeSource, Framework, PublishedResult, Subject, SubjectKind
from assessments.subjects import names_in_year

from .annex import normalise_code
from .problems import CHANGED, NEW, UNCHANGED, ImportOutcome, RowChange
from .tables import FormulaWithoutValue, Sheet, cell, clean_text, fold, is_blank, is_column_numbering

YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
RANK = re.compile(r"^\D*?(\d{1,3})(?:\s*/\s*(\d{1,3}))?\D*$")
FIELD_REF = re.compile(r"\b(?:linh vuc|lv|field)\s*(\d{1,2})\b|\blv(\d{1,2})\b")
TOTAL_TEXTS = ("tong", "tong cong", "total", "chi so par index", "chi so cchc", "chung")
SOURCE = "Nhập từ bảng kết quả công bố"


def ranked_count_default(subject: Subject, year: int) -> int:
    """How many units were ranked that year, from Subject validity (63 provinces until the
    2025 merger, 34 after): those of the same kind (and parent) existing at the year's end."""
    units = Subject.objects.filter(kind=subject.kind).valid_on(datetime.date(year, 12, 31))
    if subject.kind != SubjectKind.PROVINCE and subject.parent_id:
        units = units.filter(parent_id=subject.parent_id)
    return units.count()


def parse_rank(value) -> tuple[int | None, int | None]:
    """21 · "21" · "21/63" · "thứ 21/63" → (rank, ranked count or None). ValueError otherwise."""
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value), None
    match = RANK.match(clean_text(value))
    if not match:
        raise ValueError
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def parse_index(value) -> Decimal | None:
    if isinstance(value, str):
        value = clean_text(value).rstrip("%").strip()
    index = parse_decimal(value)
    if index is not None and not (0 <= index <= 100):
        raise NotANumber(f"'{value}' không nằm trong khoảng 0–100")
    return index


def _ffill(values) -> list[str]:
    filled, last = [], ""
    for value in values:
        text = fold(value)
        last = text or last
        filled.append(last)
    return filled


def _header_labels(sheet: Sheet, position: int) -> tuple[list[str], list[str]]:
    """Folded labels of a header row and of the row above it (merged cells filled right)."""
    number, lower = sheet.rows[position]
    upper: list[str] = []
    if position > 0 and sheet.rows[position - 1][0] == number - 1:
        upper = _ffill(sheet.rows[position - 1][1])
    low = [fold(v) for v in lower]
    width = max(len(low), len(upper))
    low += [""] * (width - len(low))
    upper += [""] * (width - len(upper))
    return low, upper


def _is_rank_text(text: str) -> bool:
    return bool(re.search(r"\b(thu hang|xep hang|hang|rank)\b", text)) and "chi so" not in text


def _is_index_text(text: str) -> bool:
    return ("chi so" in text or "index" in text) and not re.search(r"\b(thu hang|xep hang|hang|rank)\b", text)


@dataclass
class PublishedRow:
    row: int
    subject: Subject
    year: int
    field_code: str
    field_name: str
    index: Decimal | None  # None: only the rank is published
    rank: int | None
    ranked_count: int | None
    score: Decimal | None = None


# --- field summary ------------------------------------------------------------------------


@dataclass
class SummaryHeader:
    position: int
    code: int | None
    name: int | None
    values: dict[int, list[tuple[str, int]]]  # year -> [("index"|"rank", column)]


def _title_like(values) -> bool:
    """A title row (one merged cell of text) is never a header row."""
    return sum(1 for v in values if not is_blank(v)) < 2


def find_summary_header(sheet: Sheet) -> SummaryHeader | None:
    for position in range(len(sheet.rows)):
        if _title_like(sheet.rows[position][1]):
            continue
        low, up = _header_labels(sheet, position)
        values: dict[int, list[tuple[str, int]]] = {}
        code = name = None
        for column, (text, above) in enumerate(zip(low, up, strict=True)):
            kind = "index" if _is_index_text(text) else "rank" if _is_rank_text(text) else None
            own_year = YEAR.search(text)
            year = own_year or YEAR.search(above)
            if kind and year:
                values.setdefault(int(year.group(1)), []).append((kind, column))
                continue
            label = text or above
            if label in ("stt", "tt", "code", "ma", "ma linh vuc") and code is None:
                code = column
            elif ("linh vuc" in label or label in ("field", "ten", "noi dung")) and name is None:
                name = column
        if any(kind == "index" for pairs in values.values() for kind, _ in pairs):
            return SummaryHeader(position, code, name, values)
    return None


def parse_field_summary(sheet: Sheet, subject: Subject, outcome: ImportOutcome) -> list[PublishedRow]:
    header = find_summary_header(sheet)
    if header is None:
        outcome.error(
            "Không tìm thấy dòng tiêu đề của bảng tổng hợp lĩnh vực (cần các cột Lĩnh vực, "
            "Chỉ số (%) và Thứ hạng của từng năm)."
        )
        return []
    if header.code is None and header.name is None:
        outcome.error("Bảng tổng hợp lĩnh vực không có cột STT hoặc Lĩnh vực.")
        return []
    rows: list[PublishedRow] = []
    for number, values in sheet.rows[header.position + 1 :]:
        if is_column_numbering(values):
            continue
        raw_code = cell(values, header.code)
        name = clean_text(cell(values, header.name))
        folded = fold(raw_code) or fold(name)
        code: str | None
        if folded in TOTAL_TEXTS or folded.startswith("tong"):
            code = ""
            name = name or "Tổng"
        else:
            code = normalise_code(raw_code) if not isinstance(raw_code, FormulaWithoutValue) else None
            if not code or not re.fullmatch(r"\d{1,2}", code):
                if any(
                    _is_index_text(fold(v)) or _is_rank_text(fold(v)) for v in values if isinstance(v, str)
                ):
                    continue  # header repeated
                outcome.error(f"mã lĩnh vực '{raw_code or ''}' không hợp lệ", number)
                continue
        label = code or "Tổng"
        for year, pairs in sorted(header.values.items(), reverse=True):
            index = rank = count = None
            for kind, column in pairs:
                raw = cell(values, column)
                if isinstance(raw, FormulaWithoutValue):
                    outcome.error(
                        f"ô {raw.ref} là công thức {raw.formula} chưa có giá trị đã tính", number, label
                    )
                    continue
                try:
                    if kind == "index":
                        index = parse_index(raw)
                    else:
                        rank, count = parse_rank(raw)
                except NotANumber as exc:
                    outcome.error(f"chỉ số năm {year} {exc}", number, label)
                except ValueError:
                    outcome.error(f"thứ hạng năm {year} '{clean_text(raw)}' không phải là số", number, label)
            if index is None:
                continue
            rows.append(PublishedRow(number, subject, year, code, name, index, rank, count))
    if not rows and not outcome.errors:
        outcome.error("Bảng tổng hợp lĩnh vực không có dòng số liệu nào.")
    return rows


def import_field_summary_sheet(
    sheet: Sheet, subject: Subject, year: int, *, dry_run: bool = False, outcome: ImportOutcome | None = None
) -> ImportOutcome:
    outcome = outcome if outcome is not None else ImportOutcome()
    outcome.dry_run = dry_run
    rows = parse_field_summary(sheet, subject, outcome)
    if outcome.errors:
        return outcome
    years = {r.year for r in rows}
    if year not in years:
        found = ", ".join(str(y) for y in sorted(years))
        outcome.error(f"Bảng không có số liệu năm {year} (có: {found}).")
        return outcome
    _check_duplicates(rows, outcome, key=lambda r: (r.year, r.field_code), what="lĩnh vực")
    _check_fields(rows, subject, outcome)
    if outcome.errors:
        return outcome
    _report_gaps(rows, subject, outcome)
    return store_published(rows, outcome, dry_run=dry_run)


def _check_duplicates(rows, outcome, *, key, what) -> None:
    seen: dict = {}
    for r in rows:
        k = key(r)
        if k in seen:
            outcome.error(f"{what} trùng với dòng {seen[k]}", r.row, r.field_code or r.subject.name)
        else:
            seen[k] = r.row


def _check_fields(rows, subject: Subject, outcome: ImportOutcome) -> None:
    frameworks = {year: Framework.objects.for_subject(subject, year) for year in {r.year for r in rows}}
    codes_by_year = {}
    for r in rows:
        framework = frameworks.get(r.year)
        if framework is None or not r.field_code:
            continue
        if r.year not in codes_by_year:
            codes_by_year[r.year] = set(framework.criteria.filter(level=1).values_list("code", flat=True))
        if r.field_code not in codes_by_year[r.year]:
            outcome.error(f"bộ tiêu chí năm {r.year} không có lĩnh vực {r.field_code}", r.row, r.field_code)


def _report_gaps(rows, subject: Subject, outcome: ImportOutcome) -> None:
    """Published vs computed (> 0,01): reported; the published figure is kept as published."""
    for year in sorted({r.year for r in rows}):
        assessment = (
            Assessment.objects.filter(subject=subject, framework__year=year)
            .select_related("framework")
            .first()
        )
        if assessment is None:
            continue
        result = scoring.compute(assessment)
        published = {
            r.field_code: PublishedResult(index=r.index)
            for r in rows
            if r.year == year and r.subject == subject
        }
        row_of = {r.field_code: r.row for r in rows if r.year == year}
        for gap in scoring.published_gaps(result, published):
            what = f"lĩnh vực {gap.field_code}" if gap.field_code else "Chỉ số chung"
            outcome.note(
                f"{what} năm {year}: chỉ số công bố {format_index(gap.published)}% khác chỉ số tính "
                f"từ điểm {format_index(gap.computed)}% (chênh {format_index(abs(gap.difference))}); "
                "giữ số công bố",
                row_of.get(gap.field_code),
                gap.field_code or "Tổng",
            )


def store_published(rows: list[PublishedRow], outcome: ImportOutcome, *, dry_run: bool) -> ImportOutcome:
    """Create or update PublishedResult rows, all or nothing, each save recorded in history."""
    defaults: dict[tuple[int, int], int] = {}
    with transaction.atomic():
        existing = {
            (p.subject_id, p.year, p.field_code): p
            for p in PublishedResult.objects.filter(
                subject__in={r.subject.pk for r in rows}, year__in={r.year for r in rows}
            )
        }
        to_save = []
        for r in rows:
            count = r.ranked_count
            if count is None and r.rank is not None:
                key = (r.subject.pk, r.year)
                if key not in defaults:
                    defaults[key] = ranked_count_default(r.subject, r.year)
                count = defaults[key]
            new = {
                "field_name": r.field_name or ("Tổng" if not r.field_code else ""),
                "index": r.index,
                "rank": r.rank,
                "ranked_count": count,
                "score": r.score,
            }
            old = existing.get((r.subject.pk, r.year, r.field_code))
            code = (
                f"{r.subject.name if len({x.subject.pk for x in rows}) > 1 else ''} {r.field_code or 'Tổng'}"
            )
            code = f"{code.strip()} – {r.year}"
            labels = {
                "index": "chỉ số",
                "rank": "thứ hạng",
                "ranked_count": "số đơn vị xếp hạng",
                "score": "điểm",
            }
            if old is None:
                fields: list[tuple[str, object, object]] = [
                    (labels[k], None, v) for k, v in new.items() if k in labels and v is not None
                ]
                outcome.changes.append(RowChange(r.row, code, NEW, fields=fields))
                obj = PublishedResult(
                    subject=r.subject, year=r.year, field_code=r.field_code, source=SOURCE, **new
                )
                to_save.append(obj)
                continue
            if r.score is None:
                new["score"] = old.score
            if r.index is None:  # a rank-only row adds what it knows, erases nothing
                new["index"] = old.index
            fields = [
                (labels[k], getattr(old, k), v)
                for k, v in new.items()
                if k in labels and getattr(old, k) != v
            ]
            renamed = new["field_name"] and old.field_name != new["field_name"]
            status = CHANGED if fields or renamed else UNCHANGED
            outcome.changes.append(RowChange(r.row, code, status, fields=fields))
            if status == CHANGED:
                for k, v in new.items():
                    if k != "field_name" or v:
                        setattr(old, k, v)
                old.source = SOURCE
                to_save.append(old)
        if dry_run:
            return outcome
        for obj in to_save:
            obj._change_source = ChangeSource.IMPORT
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
        outcome.written = True
    return outcome


def subject_lookup(year: int, kind: str):
    """Subjects of the kind at the year's end, by code and by every name they had that year."""
    subjects = list(Subject.objects.filter(kind=kind).valid_on(datetime.date(year, 12, 31)))
    former = names_in_year(year)
    by_code = {s.code: s for s in subjects if s.code}
    by_name: dict[str, Subject] = {}
    for s in subjects:
        by_name.setdefault(name_key(s.name), s)
    for s in subjects:
        for name in former.get(s.pk, ()):
            by_name.setdefault(name_key(name), s)
    return subjects, by_code, by_name


def name_key(text: str) -> str:
    key = fold(text)
    for prefix in ("tinh ", "thanh pho ", "tp "):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key
