"""On SQLite (the embedded default) two people saving the same criterion at the same moment:
the second gets the conflict message, never "database is locked" (which was an HTTP 500).

SQLite opens every transaction IMMEDIATE (settings.py): the second writer waits for the first
to commit, then reads its version. The scenario runs on a file database (the test database
is in memory, where threads share a cache with other locking rules), in threads, each with
its own connection made from the project's settings."""

import contextlib
import datetime
import threading
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only"),
]


def on_file_database(path, work):
    """Run work() in a new thread whose default connection is the SQLite file at path,
    opened with the same OPTIONS as the project's database. Returns its result or raises
    what it raised."""
    outcome = {}
    project = connections["default"]  # this thread's: its class and the project's OPTIONS
    settings_dict = {**project.settings_dict, "NAME": str(path)}

    def run():
        connections["default"] = type(project)(settings_dict, "default")
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the calling thread
            outcome["error"] = exc
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def result_of(thread, outcome):
    thread.join(timeout=120)
    assert not thread.is_alive(), "the save never finished"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def world():
    """An open self-assessment of one criterion, answered by one agency."""
    from django.contrib.auth import get_user_model

    from assessments.models import Agency, Assessment, Criterion, Framework, Subject, SubjectKind

    call_command("migrate", verbosity=0, interactive=False)
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="99")
    agency = Agency.objects.create(province=province, name="Sở Tư pháp", short_name="STP")
    framework = Framework.objects.create(year=2031, name="Bộ tiêu chí thử")
    field = Criterion.objects.create(framework=framework, code="1", name="Lĩnh vực", max_score=1)
    criterion = Criterion.objects.create(
        framework=framework, parent=field, code="1.1", name="Tiêu chí", max_score=1
    )
    field.agencies.set([agency])
    assessment = Assessment.objects.create(
        subject=province,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=10),
    )
    users = [get_user_model().objects.create_user(name, password="x-not-used-9!") for name in ("an", "binh")]
    return assessment.pk, agency.pk, criterion.pk, [u.pk for u in users]


def test_two_concurrent_saves_end_in_one_save_and_one_conflict_message(tmp_path):
    from django.contrib.auth import get_user_model

    from assessments.models import Agency, Assessment, Score
    from assessments.services import ConflictError, RowInput, save_part

    path = tmp_path / "parindex.sqlite3"
    assessment_id, agency_id, criterion_id, user_ids = result_of(*on_file_database(path, world))
    # Both pages were opened before either saved (version 0); both threads hold their reads
    # until the other has read too, then write: the moment that locked the database.
    both_read = threading.Barrier(2)

    def save(user_id, value):
        def work():
            def hold_first_write(execute, sql, params, many, context):
                if not context.get("held") and sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
                    context["held"] = True
                    with contextlib.suppress(threading.BrokenBarrierError):
                        both_read.wait(timeout=2)  # under IMMEDIATE the other waits at BEGIN
                return execute(sql, params, many, context)

            with connections["default"].execute_wrapper(hold_first_write):
                try:
                    save_part(
                        user=get_user_model().objects.get(pk=user_id),
                        assessment=Assessment.objects.get(pk=assessment_id),
                        agency=Agency.objects.get(pk=agency_id),
                        rows={criterion_id: RowInput(0, {"self_score": Decimal(value), "explanation": ""})},
                    )
                except ConflictError as conflict:
                    return conflict.message
                except OperationalError as error:
                    return f"OperationalError: {error}"
            return "saved"

        return work

    runs = [
        on_file_database(path, save(user_ids[0], "0.5")),
        on_file_database(path, save(user_ids[1], "0.7")),
    ]
    outcomes = sorted(result_of(*run) for run in runs)

    assert not any(o.startswith("OperationalError") for o in outcomes), outcomes
    assert outcomes[1] == "saved"
    assert outcomes[0].startswith("1 tiêu chí đã được người khác sửa sau khi bạn mở trang; chưa lưu gì.")

    def stored():
        return list(Score.objects.values_list("self_score", "version"))

    [(score, version)] = result_of(*on_file_database(path, stored))
    assert version == 1 and score in (Decimal("0.5"), Decimal("0.7"))


@pytest.fixture(autouse=True)
def _content_types_of_this_database():
    """The file database's content types must not stay in the process-wide cache."""
    yield
    ContentType.objects.clear_cache()
