"""Importing a province's units (sở, ban, ngành; xã, phường, đặc khu; cơ quan Trung ương;
đơn vị sự nghiệp) from one sheet, all or nothing:

    Mã | Tên đơn vị | Khối | Hiệu lực từ | Hiệu lực đến | Hợp nhất từ

Columns are found by their header text, below any title rows. A unit is known by its code
within the province (by its name where the sheet gives no code); a second import of the same
sheet changes nothing. "Hợp nhất từ" names the predecessors (codes or names, separated by
";"), in the sheet or already stored. Every problem names its row; one problem and nothing
is written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction

from assessments.models import ChangeSource, Subject, SubjectKind
from assessments.models.reference import UNIT_KINDS
from assessments.services.history import stamp

from .problems import CHANGED, NEW, UNCHANGED, ImportOutcome, RowChange
from .tables import Column, Sheet, cell, clean_text, find_header, fold, is_blank, is_header_repeat

UNIT_COLUMNS = [
    Column(
        "predecessors",
        "Hợp nhất từ",
        lambda t: "hop nhat" in t or "sap nhap" in t or "tien than" in t or "predecessor" in t,
        required=False,
    ),
    Column(
        "valid_from",
        "Hiệu lực từ",
        lambda t: t.startswith(("hieu luc tu", "tu ngay", "ngay thanh lap", "valid from")),
        required=False,
    ),
    Column(
        "valid_until",
        "Hiệu lực đến",
        lambda t: t.startswith(("hieu luc den", "den ngay", "ngay ket thuc", "valid until")),
        required=False,
    ),
    Column("kind", "Khối", lambda t: t in ("khoi", "khoi don vi", "loai", "loai don vi", "nhom", "block")),
    Column(
        "name",
        "Tên đơn vị",
        lambda t: (
            t in ("ten don vi", "ten", "don vi", "ten co quan", "co quan, don vi", "name")
            or t.startswith("ten don vi")
        ),
    ),
    Column("code", "Mã", lambda t: t in ("ma", "ma don vi", "ma so", "ma dinh danh", "code"), required=False),
]

# The words that name a block, folded; checked in this order (a "thị xã" is a district).
BLOCK_WORDS: list[tuple[SubjectKind, tuple[str, ...]]] = [
    (SubjectKind.CENTRAL_AGENCY, ("trung uong", "co quan tw", "tw")),
    (SubjectKind.PUBLIC_SERVICE_UNIT, ("su nghiep", "dvsn")),
    (SubjectKind.DISTRICT, ("huyen", "cap huyen", "thi xa", "quan")),
    (SubjectKind.COMMUNE, ("xa", "phuong", "dac khu", "thi tran", "cap xa")),
    (SubjectKind.DEPARTMENT, ("so", "ban", "nganh", "so ban nganh", "khoi so")),
]
BLOCK_NAMES = (
    "sở/ban/ngành; xã/phường/đặc khu; cơ quan Trung ương; đơn vị sự nghiệp (hoặc huyện, với năm trước 2025)"
)
SEPARATORS = re.compile(r"[;\n]+")
DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def block_kind(text: str) -> SubjectKind | None:
    """ "Sở, ban, ngành" → department; "Xã, phường, đặc khu" → commune; None if unknown."""
    words = fold(text)
    if not words:
        return None
    for value in SubjectKind.values:  # the stored value itself ("commune")
        if fold(value) == words:
            return SubjectKind(value)
    tokens = set(words.split())
    for kind, names in BLOCK_WORDS:
        for name in names:
            if (" " in name and name in words) or name in tokens:
                return kind
    return None


class BadDate(ValueError):
    pass


def parse_date(value) -> datetime.date | None:
    """A date cell: a date, or text "01/07/2025", "1-7-2025", "2025-07-01"; None if blank."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value)
    try:
        if match := DATE_TEXT.match(text):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        if match := ISO_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError as exc:
        raise BadDate(f"ngày “{text}” không có trong lịch") from exc
    raise BadDate(f"“{text}” không phải là ngày (cần dạng 01/07/2025)")


def show_date(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    kind: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    predecessor_names: list[str] = field(default_factory=list)
    subject: Subject | None = None  # the stored unit it is, if any
    predecessors: list = field(default_factory=list)  # UnitRow or Subject

    @property
    def key(self) -> str:
        return self.code or self.name


def parse_units(sheet: Sheet, outcome: ImportOutcome) -> list[UnitRow]:
    header, missing = find_header(sheet, UNIT_COLUMNS)
    if header is None:
        outcome.error(
            "Không tìm thấy dòng tiêu đề của danh sách đơn vị (cần các cột Mã, Tên đơn vị, Khối, "
            f"Hiệu lực từ, Hiệu lực đến, Hợp nhất từ); còn thiếu: {', '.join(missing)}."
        )
        return []
    columns = header.columns
    rows: list[UnitRow] = []
    for number, values in sheet.rows[header.position + 1 :]:
        if header.is_repeat(values) or is_header_repeat(values, UNIT_COLUMNS):
            continue
        code = clean_text(cell(values, columns.get("code")))
        if isinstance(cell(values, columns.get("code")), float):
            raw = cell(values, columns["code"])
            code = str(int(raw)) if raw.is_integer() else code
        name = clean_text(cell(values, columns["name"]))
        block = clean_text(cell(values, columns["kind"]))
        if not name:
            if code or block:
                outcome.error("thiếu tên đơn vị", number, code)
            continue
        label = code or name
        kind = block_kind(block)
        if kind is None:
            shown = f"“{block}” " if block else ""
            outcome.error(f"khối {shown}không rõ; ghi một trong: {BLOCK_NAMES}", number, label)
        dates = {}
        for key, title in (("valid_from", "hiệu lực từ"), ("valid_until", "hiệu lực đến")):
            try:
                dates[key] = parse_date(cell(values, columns.get(key)))
            except BadDate as exc:
                outcome.error(f"{title}: {exc}", number, label)
                dates[key] = None
        if dates["valid_from"] and dates["valid_until"] and dates["valid_until"] < dates["valid_from"]:
            outcome.error(
                f"hiệu lực đến {show_date(dates['valid_until'])} trước hiệu lực từ "
                f"{show_date(dates['valid_from'])}",
                number,
                label,
            )
        predecessors = clean_text(cell(values, columns.get("predecessors")))
        rows.append(
            UnitRow(
                row=number,
                code=code,
                name=name,
                kind=kind or "",
                valid_from=dates["valid_from"],
                valid_until=dates["valid_until"],
                predecessor_names=[p.strip() for p in SEPARATORS.split(predecessors) if p.strip()],
            )
        )
    if not rows and not outcome.errors:
        outcome.error("Danh sách không có đơn vị nào dưới dòng tiêu đề.")
    return rows


def province_units(province: Subject) -> list[Subject]:
    """The stored units of a province (its districts' communes included), with predecessors."""
    from django.db.models import Q

    return list(
        Subject.objects.filter(Q(parent=province) | Q(parent__parent=province), kind__in=UNIT_KINDS)
        .prefetch_related("predecessors")
        .order_by("pk")
    )


def _match_stored(rows: list[UnitRow], stored: list[Subject], outcome: ImportOutcome) -> None:
    """Which stored unit each row is: by code; by name (and start date) without a code."""
    by_code = {s.code: s for s in stored if s.code}
    seen: dict[str, int] = {}
    for row in rows:
        key = f"mã {row.code}" if row.code else f"tên {fold(row.name)} {row.valid_from}"
        if key in seen:
            what = f"mã {row.code}" if row.code else "tên (và ngày hiệu lực)"
            outcome.error(f"trùng {what} với dòng {seen[key]}", row.row, row.key)
            continue
        seen[key] = row.row
        if row.code:
            row.subject = by_code.get(row.code)
            continue
        same = [s for s in stored if fold(s.name) == fold(row.name) and s.valid_from == row.valid_from]
        if len(same) > 1:
            codes = ", ".join(s.code or "chưa có mã" for s in same)
            outcome.error(
                f"tên trùng với {len(same)} đơn vị đã có ({codes}); hãy ghi cột Mã", row.row, row.key
            )
        elif same:
            row.subject = same[0]


def _resolve_predecessors(rows: list[UnitRow], stored: list[Subject], outcome: ImportOutcome) -> None:
    """Each named predecessor: a row of the sheet or a stored unit, by code, else by name."""
    sheet_by_code = {r.code: r for r in rows if r.code}
    stored_ids = {r.subject.pk for r in rows if r.subject is not None}
    others = [s for s in stored if s.pk not in stored_ids]
    for row in rows:
        for text in row.predecessor_names:
            found: list = [sheet_by_code[text]] if text in sheet_by_code else []
            found = found or [s for s in others if s.code == text]
            if not found:
                wanted = fold(text)
                found = [r for r in rows if fold(r.name) == wanted and r is not row]
                found += [s for s in others if fold(s.name) == wanted]
                if len(found) > 1:  # a unit that ended is the predecessor, not its namesake
                    ended = [u for u in found if u.valid_until is not None]
                    found = ended or found
            if not found:
                outcome.error(
                    f"hợp nhất từ “{text}”: không có đơn vị này trong danh sách hay của tỉnh",
                    row.row,
                    row.key,
                )
            elif len(found) > 1:
                names = "; ".join(f"{u.name} ({'mã ' + u.code if u.code else 'chưa có mã'})" for u in found)
                outcome.error(
                    f"hợp nhất từ “{text}” khớp với nhiều đơn vị: {names}; hãy ghi mã", row.row, row.key
                )
            elif found[0] is row or found[0] is row.subject:
                outcome.error(
                    f"hợp nhất từ “{text}”: một đơn vị không hợp nhất từ chính nó", row.row, row.key
                )
            elif found[0] not in row.predecessors:
                row.predecessors.append(found[0])


def _predecessor_label(unit) -> str:
    return unit.code or unit.name


def _changes(rows: list[UnitRow], outcome: ImportOutcome) -> list[RowChange]:
    changes = []
    labels = dict(SubjectKind.choices)
    for row in rows:
        new_predecessors = sorted(_predecessor_label(p) for p in row.predecessors)
        if row.subject is None:
            fields: list[tuple[str, object, object]] = [
                ("khối", None, labels.get(row.kind, row.kind)),
                ("tên", None, row.name),
            ]
            changes.append(RowChange(row.row, row.key, NEW, label=row.name, fields=fields))
            continue
        unit = row.subject
        old_predecessors = sorted(_predecessor_label(p) for p in unit.predecessors.all())
        fields = []
        for title, old, new in (
            ("tên", unit.name, row.name),
            ("khối", labels.get(unit.kind, unit.kind), labels.get(row.kind, row.kind)),
            ("hiệu lực từ", show_date(unit.valid_from), show_date(row.valid_from)),
            ("hiệu lực đến", show_date(unit.valid_until), show_date(row.valid_until)),
            ("hợp nhất từ", "; ".join(old_predecessors), "; ".join(new_predecessors)),
        ):
            if old != new:
                fields.append((title, old, new))
        if unit.kind != row.kind and row.kind and unit.assessments.exists():
            outcome.error(
                f"{unit.name} đã có đợt đánh giá: không đổi khối "
                f"({labels.get(unit.kind)} → {labels.get(row.kind)})",
                row.row,
                row.key,
            )
        changes.append(
            RowChange(row.row, row.key, CHANGED if fields else UNCHANGED, label=row.name, fields=fields)
        )
    return changes


def _write(rows: list[UnitRow], changes: list[RowChange], province: Subject, user=None) -> None:
    status = {change.row: change.status for change in changes}
    for row in rows:
        if status[row.row] == UNCHANGED:
            continue
        unit = row.subject or Subject(parent=province)
        unit.code, unit.name, unit.kind = row.code, row.name, row.kind
        unit.valid_from, unit.valid_until = row.valid_from, row.valid_until
        stamp(unit, user=user, source=ChangeSource.IMPORT, reason="Nhập danh sách đơn vị")
        unit.save()
        row.subject = unit
    for row in rows:
        if status[row.row] == UNCHANGED:
            continue
        successor = row.subject
        assert successor is not None  # saved in the loop above
        wanted: list[Subject] = []
        for predecessor in row.predecessors:
            found = predecessor.subject if isinstance(predecessor, UnitRow) else predecessor
            assert found is not None  # a row of the sheet, saved in the loop above
            wanted.append(found)
        successor.predecessors.set(wanted)


def import_units_sheet(
    sheet: Sheet,
    province: Subject,
    *,
    dry_run: bool = False,
    user=None,
    outcome: ImportOutcome | None = None,
) -> ImportOutcome:
    """Check the sheet against the province's stored units and write it, all or nothing."""
    outcome = outcome if outcome is not None else ImportOutcome()
    outcome.dry_run = dry_run
    if province.kind != SubjectKind.PROVINCE:
        outcome.error(f"{province.name} không phải tỉnh, thành phố: đơn vị phải thuộc một tỉnh.")
        return outcome
    with transaction.atomic():
        rows = parse_units(sheet, outcome)
        stored = province_units(province)
        _match_stored(rows, stored, outcome)
        _resolve_predecessors(rows, stored, outcome)
        changes = _changes(rows, outcome)
        if outcome.errors:
            return outcome
        outcome.changes.extend(changes)
        if dry_run:
            return outcome
        _write(rows, changes, province, user)
        outcome.written = True
    return outcome


def choose_units_sheet(sheets: list[Sheet]) -> Sheet | None:
    """The first sheet with a units header (the first sheet otherwise)."""
    for sheet in sheets:
        if find_header(sheet, UNIT_COLUMNS)[0] is not None:
            return sheet
    return sheets[0] if sheets else None


def import_units(
    data: bytes, province: Subject, *, filename: str = "", dry_run: bool = False, user=None
) -> ImportOutcome:
    """Read a file (bytes) and import its units. FileRefused when the file is unreadable."""
    from .tables import read_tables

    outcome = ImportOutcome(dry_run=dry_run)
    sheet = choose_units_sheet(read_tables(data, filename))
    if sheet is None:
        outcome.error("Tệp không có trang tính nào.")
        return outcome
    return import_units_sheet(sheet, province, dry_run=dry_run, user=user, outcome=outcome)
