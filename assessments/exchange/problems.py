"""What an import reports: errors located by spreadsheet row and code, notes, row changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from assessments.decimals import format_score


class FileRefused(ValueError):
    """The file cannot be read as a table at all (too big, not a spreadsheet, encrypted…).

    The message is in Vietnamese and meant for the person who sent the file.
    """


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None
    code: str = ""
    sheet: str = ""

    def __str__(self) -> str:
        where = ""
        if self.row is not None:
            where = f"Dòng {self.row}"
            if self.code:
                where += f" ({self.code})"
        elif self.code:
            where = self.code
        if self.sheet and where:
            where = f"[{self.sheet}] {where}"
        elif self.sheet:
            where = f"[{self.sheet}]"
        return f"{where}: {self.message}" if where else self.message


NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
STATUS_LABELS = {NEW: "mới", CHANGED: "thay đổi", UNCHANGED: "không đổi"}


@dataclass
class RowChange:
    """One row of the table against what the database holds."""

    row: int
    code: str
    status: str
    label: str = ""
    fields: Sequence[tuple[str, object, object]] = field(default_factory=list)  # (label, old, new)

    def details(self) -> str:
        """ "điểm thẩm định 1,4634 → 1,4; ý kiến thẩm định (trống) → …"."""
        if self.status == UNCHANGED:
            return ""
        return "; ".join(f"{label} {show(old)} → {show(new)}" for label, old, new in self.fields)

    def describe(self) -> str:
        head = f"Dòng {self.row} ({self.code}): {STATUS_LABELS[self.status]}"
        details = self.details()
        return f"{head} – {details}" if details else head


def show(value) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, Decimal):
        return format_score(value)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass
class ImportOutcome:
    """The result of one import: written only when there are no errors and not a dry run."""

    errors: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # "Tạo bộ tiêu chí năm 2023 …"
    dry_run: bool = False
    written: bool = False

    def error(self, message: str, row: int | None = None, code: str = "", sheet: str = "") -> None:
        self.errors.append(Problem(message, row, code, sheet))

    def note(self, message: str, row: int | None = None, code: str = "", sheet: str = "") -> None:
        self.notes.append(Problem(message, row, code, sheet))

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)

    def summary(self) -> str:
        return (
            f"{self.count(NEW)} dòng mới, {self.count(CHANGED)} dòng thay đổi, "
            f"{self.count(UNCHANGED)} dòng không đổi"
        )

    def merge(self, other: ImportOutcome) -> None:
        self.errors.extend(other.errors)
        self.notes.extend(other.notes)
        self.changes.extend(other.changes)
        self.actions.extend(other.actions)
