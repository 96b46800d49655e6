"""The score write service records history in bulk (one INSERT … SELECT per batch, copied by
the database from the rows just written), and the records are the ones django-simple-history
writes on a model's save(): same tracked fields, history_type, user, reason (or NULL),
change_source, a history_date of the write. Runs on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import scoring
from assessments.models import Assessment, ChangeSource, Score
from assessments.services import RowInput
from assessments.services import rows as rows_module
from assessments.services.history import stamp
from assessments.services.scores import write_scores

pytestmark = pytest.mark.django_db

# Differ between two writes by nature: the record's own id and the moments of the write.
DIFFERENT_BY_NATURE = {"history_id", "history_date", "updated_at"}


@pytest.fixture
def assessment(sample_assessment):
    Assessment.objects.filter(pk=sample_assessment.pk).update(
        is_locked=False, phase=Assessment.Phase.APPRAISAL
    )
    sample_assessment.refresh_from_db()
    return sample_assessment


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="sonoivu", password="x-test-pass-123")


def changes_for(assessment):
    """Three leaves whose rows are changed and three whose rows are new (their stored rows
    deleted first), each with values in every kind of column."""
    leaves = [n for n in scoring.compute(assessment).nodes() if n.is_leaf and not n.is_survey][:6]
    Score.objects.filter(assessment=assessment, criterion__in=[n.criterion for n in leaves[3:]]).delete()
    changes = {}
    for position, node in enumerate(leaves):
        changes[node.criterion.pk] = {
            "appraised_score": (node.max / 2).quantize(Decimal("0.0001")),
            "appraisal_comment": f"Ý kiến hội đồng {node.code}",
            "explanation": f"Giải trình {node.code}\ndòng hai" if position % 2 else "",
            "applicable": True,
            "appraised_figures": "40/41" if position == 1 else "",
        }
    return changes


def history_rows(since: int) -> list[dict]:
    records = Score.history.filter(history_id__gt=since).order_by("criterion_id").values()
    return [dict(record) for record in records]


def last_history_id() -> int:
    last = Score.history.order_by("-history_id").first()
    return last.history_id if last else 0


def save_one_by_one(assessment, changes, *, user, source, reason):
    """The same changes through django-simple-history's own path: Model.save() per row."""
    for criterion_id, values in changes.items():
        score = Score.objects.filter(assessment=assessment, criterion_id=criterion_id).first()
        if score is None:
            score = Score(assessment=assessment, criterion_id=criterion_id, version=0)
        for name, value in values.items():
            setattr(score, name, value)
        score.version += 1
        score.updated_by = user
        stamp(score, user=user, source=source, reason=reason)
        score.save()


def write_in_bulk(assessment, changes, *, user, source, reason):
    current = dict(Score.objects.filter(assessment=assessment).values_list("criterion_id", "version"))
    rows = {cid: RowInput(current.get(cid, 0), values) for cid, values in changes.items()}
    return write_scores(user=user, assessment=assessment, rows=rows, source=source, reason=reason)


@pytest.mark.parametrize(
    ("with_user", "reason"),
    [(True, "Nhập phụ lục năm 2023"), (False, "")],
    ids=["user-and-reason", "no-user-no-reason"],
)
def test_bulk_history_rows_are_simple_historys_rows(assessment, user, with_user, reason):
    changes = changes_for(assessment)
    who = user if with_user else None
    source = ChangeSource.IMPORT

    since = last_history_id()
    with transaction.atomic():
        save_one_by_one(assessment, changes, user=who, source=source, reason=reason)
        expected = history_rows(since)
        expected_ids = dict(Score.objects.filter(assessment=assessment).values_list("criterion_id", "pk"))
        transaction.set_rollback(True)

    since = last_history_id()
    before = timezone.now()
    saved = write_in_bulk(assessment, changes, user=who, source=source, reason=reason)
    after = timezone.now()
    written = history_rows(since)
    written_ids = dict(Score.objects.filter(assessment=assessment).values_list("criterion_id", "pk"))

    assert len(saved) == len(changes) == len(expected) == len(written) == 6
    assert [r["history_type"] for r in written] == [r["history_type"] for r in expected]
    assert sorted(r["history_type"] for r in written) == ["+"] * 3 + ["~"] * 3
    for old, new in zip(expected, written, strict=True):
        assert set(old) == set(new)
        # A new row's id is its own score's id in each run; a changed row's is the same.
        assert old["id"] == expected_ids[old["criterion_id"]]
        assert new["id"] == written_ids[new["criterion_id"]]
        for name in sorted(set(old) - DIFFERENT_BY_NATURE - {"id"}):
            assert new[name] == old[name], (name, new["criterion_id"])
        assert before <= new["history_date"] <= after
        assert new["updated_at"] is not None
        assert new["history_user_id"] == (user.pk if with_user else None)
        assert new["history_change_reason"] == (reason or None)
        assert new["change_source"] == "import"
    # Each record holds what its row holds now.
    for record in written:
        stored = Score.objects.filter(pk=record["id"]).values().get()
        assert {k: record[k] for k in stored} == stored


def test_bulk_history_is_written_per_batch(assessment, user, monkeypatch):
    """More rows than a batch: each batch's records in one statement, none missed."""
    monkeypatch.setattr(rows_module, "BATCH", 2)
    changes = changes_for(assessment)
    since = last_history_id()
    with CaptureQueriesContext(connection) as queries:
        write_in_bulk(assessment, changes, user=user, source=ChangeSource.IMPORT, reason="")
    table = Score.history.model._meta.db_table
    inserts = [q["sql"] for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"')]
    # 3 new rows and 3 changed ones, 2 a batch: 2 + 2 statements, each an INSERT … SELECT.
    assert len(inserts) == 4
    assert all(" SELECT " in sql for sql in inserts)
    records = Score.history.filter(history_id__gt=since)
    assert records.count() == 6
    assert set(records.values_list("criterion_id", flat=True)) == set(changes)


def new_scores(assessment, changes, user):
    scores = []
    for criterion_id, values in changes.items():
        score = Score(assessment=assessment, criterion_id=criterion_id, version=1, updated_by=user)
        for name, value in values.items():
            setattr(score, name, value)
        scores.append(score)
    return scores


def test_new_rows_are_the_rows_bulk_create_writes(assessment, user, monkeypatch):
    """The score rows are inserted without the ORM's per-value preparation: every column is
    what Django's bulk_create writes, and each object gets its primary key. Batches of 2."""
    changes = changes_for(assessment)
    Score.objects.filter(assessment=assessment, criterion_id__in=list(changes)).delete()
    now = timezone.now()

    with transaction.atomic():
        Score.objects.bulk_create(new_scores(assessment, changes, user))
        expected = list(
            Score.objects.filter(criterion_id__in=list(changes)).order_by("criterion_id").values()
        )
        transaction.set_rollback(True)

    monkeypatch.setattr(rows_module, "BATCH", 2)
    scores = new_scores(assessment, changes, user)
    with CaptureQueriesContext(connection) as queries:
        rows_module._insert(scores, now)
    inserts = [q["sql"] for q in queries if q["sql"].startswith(f'INSERT INTO "{Score._meta.db_table}"')]
    # 6 rows, 2 a statement; PostgreSQL takes them by COPY (not a query Django logs), then
    # reads their ids back in one query.
    assert len(inserts) == (0 if connection.vendor == "postgresql" else 3)
    written = list(Score.objects.filter(criterion_id__in=list(changes)).order_by("criterion_id").values())
    assert len(written) == len(expected) == 6
    for old, new in zip(expected, written, strict=True):
        assert {k: v for k, v in new.items() if k not in ("id", "updated_at")} == {
            k: v for k, v in old.items() if k not in ("id", "updated_at")
        }
        assert new["updated_at"] == now
    assert {s.criterion_id: s.pk for s in scores} == {r["criterion_id"]: r["id"] for r in written}
    assert all(not s._state.adding for s in scores)
    # Decimals keep their four places through the database.
    assert all(r["appraised_score"] == changes[r["criterion_id"]]["appraised_score"] for r in written)


def test_a_row_another_save_created_meanwhile_is_an_integrity_error(assessment, user):
    """Two first saves of one criterion at once: the second insert fails as Django's
    IntegrityError (which the service turns into its Vietnamese message), by INSERT or COPY."""
    from django.db import IntegrityError

    changes = changes_for(assessment)
    criterion_id = next(iter(changes))
    Score.objects.filter(assessment=assessment, criterion_id=criterion_id).delete()
    Score.objects.create(assessment=assessment, criterion_id=criterion_id, version=1)
    late = Score(assessment=assessment, criterion_id=criterion_id, version=1, updated_by=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_module._insert([late], timezone.now())
