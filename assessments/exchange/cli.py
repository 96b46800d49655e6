"""What the import commands share: reading the file, printing an outcome, exit code 1 on error."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from .problems import FileRefused, ImportOutcome


def read_file(path: str) -> bytes:
    from .safety import MAX_BYTES, check_size

    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Không tìm thấy tệp '{path}'.")
    check_size_or_fail(file.stat().st_size, check_size)
    with open(file, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def check_size_or_fail(size: int, check) -> None:
    try:
        check(size)
    except FileRefused as exc:
        raise CommandError(str(exc)) from exc


def report(command, outcome: ImportOutcome, *, verbose_changes: bool) -> None:
    """Print actions, notes and changes on stdout, errors on stderr; CommandError if any error."""
    out, err = command.stdout.write, command.stderr.write
    for problem in outcome.errors:
        err(f"Lỗi: {problem}")
    if outcome.errors:
        raise CommandError(f"Không nhập: {len(outcome.errors)} lỗi. Cơ sở dữ liệu không thay đổi.")
    for action in outcome.actions:
        out(("Sẽ " + action[0].lower() + action[1:]) if outcome.dry_run else action)
    for note in outcome.notes:
        out(f"Lưu ý: {note}")
    for change in outcome.changes:
        if verbose_changes or change.status != "unchanged":
            out(change.describe())
    if outcome.dry_run:
        out(f"Chạy thử: {outcome.summary()}. Chưa ghi gì vào cơ sở dữ liệu.")
    else:
        out(f"Đã nhập: {outcome.summary()}.")


def refused(exc: FileRefused) -> CommandError:
    return CommandError(str(exc))
