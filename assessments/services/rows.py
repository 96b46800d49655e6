"""Writing score rows with optimistic locking: a row is written only if it still has the
version the page was opened with; otherwise the save is refused (nothing is written) and
the newer value is reported. A row the user did not touch is never a conflict.

Called only by services.scores.write_scores, the one write path for scores, which checks
the rows first. The rows and their history records are written in bulk: a few statements
per write whatever its size (the national import writes thousands), the history records
copied by the database from the rows just written, with the columns django-simple-history
writes on save() (tests/entry/test_bulk_history.py compares them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Value
from django.utils import timezone

from ..decimals import format_score
from ..models import Score
from .errors import ConflictError, DomainError
from .history import stamp

EMPTY = {
    "applicable": True,
    "self_score": None,
    "appraised_score": None,
    "rechecked_score": None,
    "explanation": "",
    "response": "",
    "appraisal_comment": "",
    "recheck_comment": "",
    "self_figures": "",  # declared figures, written with their score (services.figures)
    "appraised_figures": "",
    "appraised_override_reason": "",
}
SCORE_FIELDS = ("self_score", "appraised_score", "rechecked_score")
WRITTEN_FIELDS = [*EMPTY, "version", "updated_at", "updated_by"]
BATCH = 500


@dataclass
class RowInput:
    """What a form posted for one criterion: the version it was opened at and the values."""

    version: int
    values: dict = field(default_factory=dict)


def _normalise(name: str, value):
    if name == "applicable":
        return True if value is None else bool(value)
    if name in SCORE_FIELDS:
        return None if value is None else Decimal(value).normalize()
    return (value or "").replace("\r\n", "\n").strip()


def same_values(a: dict, b: dict) -> bool:
    return all(_normalise(name, a.get(name)) == _normalise(name, b.get(name)) for name in b)


def values_of(score: Score | None, names) -> dict:
    return {name: (getattr(score, name) if score is not None else EMPTY[name]) for name in names}


def _values_at_version(score: Score | None, version: int, names) -> dict | None:
    """The values a row had at a given version (from its history), None if unknown."""
    if version == 0:
        return {name: EMPTY[name] for name in names}
    if score is None:
        return None
    record = score.history.filter(version=version).order_by("-history_date", "-history_id").first()
    return values_of(record, names) if record is not None else None


def check_score(value, maximum: Decimal, label: str, code: str) -> None:
    if value is None:
        return
    if value < 0:
        raise DomainError(f"{code}: {label} không được âm.")
    if value > maximum:
        raise DomainError(
            f"{code}: {label} {format_score(value)} lớn hơn điểm tối đa {format_score(maximum)}."
        )


def apply_rows(*, user, assessment, rows: dict[int, RowInput], source: str, reason: str = "") -> list[Score]:
    """Write the rows that changed, in the caller's transaction. Raises ConflictError (and
    writes nothing) when a changed row was saved by someone else since it was read."""
    current = {
        s.criterion_id: s
        for s in Score.objects.select_for_update().filter(assessment=assessment, criterion_id__in=list(rows))
    }
    conflicts: dict[int, Score | None] = {}
    changes = []
    for criterion_id, row in rows.items():
        score = current.get(criterion_id)
        if same_values(values_of(score, row.values), row.values):
            continue
        current_version = score.version if score is not None else 0
        if row.version != current_version:
            base = _values_at_version(score, row.version, row.values)
            if base is not None and same_values(base, row.values):
                continue  # the user left this row as it was: keep the newer value
            conflicts[criterion_id] = score
            continue
        changes.append((criterion_id, score, row))
    if conflicts:
        raise ConflictError(conflicts)
    saved: list[Score] = []
    created: list[Score] = []
    updated: list[Score] = []
    for criterion_id, score, row in changes:
        if score is None:
            score = Score(assessment=assessment, criterion_id=criterion_id, version=0)
        for name, value in row.values.items():
            setattr(score, name, _normalise(name, value) if name not in SCORE_FIELDS else value)
        score.version += 1
        score.updated_by = user
        stamp(score, user=user, source=source, reason=reason)
        (updated if score.pk else created).append(score)
        saved.append(score)
    _save(created, updated, user=user, source=source, reason=reason)
    return saved


def _save(created: list[Score], updated: list[Score], *, user, source: str, reason: str) -> None:
    """Write new and changed rows, each with its history record (who, where from, why), in
    a few statements whatever their number (an import writes thousands)."""
    now = timezone.now()
    history = {"user": user, "source": source, "reason": reason, "date": now}
    try:
        with transaction.atomic():
            if created:
                _insert(created, now)
                _write_history(created, history_type="+", **history)
            if updated:
                _update(updated, now)
                _write_history(updated, history_type="~", **history)
    except IntegrityError as exc:
        # Two first saves of the same criterion at once: the other one won.
        raise DomainError(
            "Người khác vừa lưu cùng tiêu chí này; chưa lưu gì. Tải lại trang để xem giá trị mới."
        ) from exc


_PASSED = (models.BooleanField, models.CharField, models.TextField, models.IntegerField, models.ForeignKey)


def _row_values(fields, connection):
    """A function giving a score's values for `fields`, as the database driver takes them: what
    Django's get_db_prep_save gives, without its per-value machinery for the fields whose
    values the service has already checked (Decimals, ints, booleans, texts); dates go through
    the database's adapter, any other kind of field through get_db_prep_save itself."""
    ops = connection.ops

    def preparer(f):
        if isinstance(f, models.DecimalField):
            return lambda value: ops.adapt_decimalfield_value(value, f.max_digits, f.decimal_places)
        if isinstance(f, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(f, _PASSED):
            return None
        return lambda value: f.get_db_prep_save(value, connection)

    prepare = [(f.attname, preparer(f)) for f in fields]

    def values(score: Score) -> list:
        out = []
        for attname, prep in prepare:
            value = getattr(score, attname)
            out.append(value if prep is None or value is None else prep(value))
        return out

    return values


def _insert(scores: list[Score], now) -> None:
    """INSERT new rows as bulk_create does (same columns, same values, primary keys set on the
    objects where the database returns them), without the ORM's per-value preparation, which
    was a fifth of the national import (_row_values). tests/entry/test_bulk_history.py
    compares the rows with bulk_create's."""
    meta = Score._meta
    alias = router.db_for_write(Score)
    connection = connections[alias]
    ops = connection.ops
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = _row_values(fields, connection)
    for score in scores:
        score.updated_at = now  # auto_now, as bulk_create's pre_save sets it
    if connection.vendor == "postgresql":
        _copy(scores, fields, values, connection, alias)
        return
    quote = ops.quote_name
    pk = meta.pk
    returning = connection.features.can_return_rows_from_bulk_insert
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(str(f.column)) for f in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608 — model names; values bound
    size = max(1, min(BATCH, ops.bulk_batch_size(fields, scores)))
    with connection.cursor() as cursor:
        for start in range(0, len(scores), size):
            batch = scores[start : start + size]
            params = [value for score in batch for value in values(score)]
            sql = head + ", ".join([one_row] * len(batch))
            if returning:
                sql += f" RETURNING {quote(str(pk.column))}"
            cursor.execute(sql, params)
            if returning:
                for score, (new_pk,) in zip(batch, cursor.fetchall(), strict=True):
                    score.pk = new_pk
            for score in batch:
                score._state.adding = False
                score._state.db = alias


def _copy(scores: list[Score], fields, values, connection, alias: str) -> None:
    """PostgreSQL: the new rows by COPY (psycopg's cursor.copy), then their ids read back in
    one query by (assessment, criterion), which the table keeps unique."""
    meta = Score._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    # Errors as Django's (IntegrityError for a row another save just created), as execute's.
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(statement) as copy,
    ):
        for score in scores:
            copy.write_row(values(score))
    by_criterion = {score.criterion_id: score for score in scores}
    ids = Score.objects.using(alias).filter(
        assessment_id=scores[0].assessment_id, criterion_id__in=list(by_criterion)
    )
    for criterion_id, pk in ids.values_list("criterion_id", "pk"):
        score = by_criterion[criterion_id]
        score.pk = pk
    for score in scores:
        score._state.adding = False
        score._state.db = alias


def _update(scores: list[Score], now) -> None:
    """UPDATE changed rows: the columns a write may change (WRITTEN_FIELDS), one statement
    prepared once and run for every row (executemany), where bulk_update builds one CASE
    expression per column over the whole batch — 0,4 s for the hundred rows of one province's
    annex. Same values as bulk_update writes (tests/entry/test_bulk_history.py)."""
    meta = Score._meta
    connection = connections[router.db_for_write(Score)]
    quote = connection.ops.quote_name
    by_name = {f.name: f for f in meta.concrete_fields}
    fields = [by_name[name] for name in WRITTEN_FIELDS]
    values = _row_values(fields, connection)
    for score in scores:
        score.updated_at = now
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(str(meta.pk.column))} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*values(score), score.pk] for score in scores])


def _write_history(scores: list[Score], *, history_type: str, user, source: str, reason: str, date) -> None:
    """The historical records of rows just written, as django-simple-history writes them on
    save() (every tracked field, history_date, history_user, history_type, the change reason
    or NULL, change_source), copied by the database from the rows themselves: one
    INSERT … SELECT per batch instead of a model instance per record. The SELECT is compiled
    by Django for the database in use; the constants are bound parameters."""
    if not scores or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = Score.history.model
    meta = historical._meta
    constants = {
        "history_date": Value(date, output_field=meta.get_field("history_date")),
        "history_user_id": Value(
            getattr(user, "pk", None), output_field=meta.get_field("history_user").target_field
        ),
        "history_change_reason": Value(reason or None, output_field=meta.get_field("history_change_reason")),
        "history_type": Value(history_type, output_field=meta.get_field("history_type")),
        "change_source": Value(str(source), output_field=meta.get_field("change_source")),
    }
    tracked = [f.attname for f in historical.tracked_fields]
    alias = router.db_for_write(historical)
    connection = connections[alias]
    quote = connection.ops.quote_name
    assessment_id = scores[0].assessment_id
    criterion_ids = [score.criterion_id for score in scores]
    for start in range(0, len(criterion_ids), BATCH):
        rows = (
            Score.objects.using(alias)
            .filter(assessment_id=assessment_id, criterion_id__in=criterion_ids[start : start + BATCH])
            .order_by("pk")
            .annotate(**constants)
            .values_list(*tracked, *constants)
        )
        compiler = rows.query.get_compiler(using=alias)
        select, params = compiler.as_sql()
        # Django compiles the select list in the order given, each under its own name.
        columns = ", ".join(quote(meta.get_field(name).column) for _, _, name in compiler.select)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({columns}) {select}", params)
