"""The report page never draws its charts: the task worker draws them and keeps them in the
database (reports/drawings.py); the page shows the kept drawing, says which data an older one
is from while the new one is drawn, and the status poll lets the page swap it in."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import charts, drawings
from reports.compose import build_report
from reports.models import ChartDrawing
from tests.report.queue import change_a_score, run_queued

pytestmark = pytest.mark.django_db


def detail(a):
    return reverse("reports:detail", kwargs={"pk": a.pk})


def files(a):
    return reverse("reports:files", kwargs={"pk": a.pk})


def chart_url(a, kind, key=None):
    url = reverse("reports:chart", kwargs={"pk": a.pk, "kind": kind})
    return url if key is None else f"{url}?k={key}"


@pytest.fixture
def draws(monkeypatch):
    """Counts the drawings made (in this process), and can make them fail."""

    class Calls:
        count = 0
        fail = False

    real = charts._figure

    def counted(*args, **kwargs):
        Calls.count += 1
        if Calls.fail:
            raise RuntimeError("matplotlib hết bộ nhớ")
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "_figure", counted)
    charts.svg_for.cache_clear()
    yield Calls
    charts.svg_for.cache_clear()


def keys_of(assessment):
    report = build_report(assessment)
    return {b.spec.kind: drawings.spec_key(b.spec) for b in report.all_blocks() if b.kind == "chart"}


# --- the page draws nothing ------------------------------------------------------------------


def test_first_view_asks_the_worker_for_each_chart_and_draws_nothing(
    client, owner, sample_assessment, queued_only, draws
):
    client.force_login(owner)
    page = client.get(detail(sample_assessment)).content.decode()
    assert draws.count == 0
    assert page.count("Đang vẽ biểu đồ; biểu đồ sẽ tự hiện khi vẽ xong.") == 2 and "chart-svg" not in page
    assert page.count("data-waiting") == 2 and "chart-note" not in page
    assert sorted(r.args[1]["kind"] for r in queued_only.results) == ["index", "rank"]
    client.get(detail(sample_assessment))
    assert len(queued_only.results) == 2  # the same drawings are not queued again
    run_queued(queued_only)
    assert draws.count == 2
    page = client.get(detail(sample_assessment)).content.decode()
    assert page.count('class="chart-svg"') == 2 and "Đang vẽ" not in page and "chart-note" not in page
    assert "data-waiting" not in page and len(queued_only.results) == 0 and draws.count == 2


def test_kept_drawings_are_what_the_renderer_draws(client, owner, sample_assessment, queued_only):
    client.force_login(owner)
    client.get(detail(sample_assessment))
    run_queued(queued_only)
    report = build_report(sample_assessment)
    for block in report.all_blocks():
        if block.kind == "chart":
            row = ChartDrawing.objects.get(assessment=sample_assessment, kind=block.spec.kind)
            assert row.svg == block.svg_markup and row.key == drawings.spec_key(block.spec)
            assert row.drawn_at is not None and row.draw_seconds > 0 and row.asked_key == ""


def test_after_a_change_the_older_drawing_is_shown_labelled_and_a_new_one_asked_for(
    client, owner, sample_assessment, queued_only, draws
):
    client.force_login(owner)
    client.get(detail(sample_assessment))
    run_queued(queued_only)
    before = ChartDrawing.objects.get(assessment=sample_assessment, kind="index")
    change_a_score(sample_assessment)
    page = client.get(detail(sample_assessment)).content.decode()
    assert draws.count == 2
    assert before.svg in page  # the older drawing, at once
    label = f"Biểu đồ đang hiển thị vẽ theo {drawings.cache.as_of_label(before.data_as_of)}"
    assert label in page and "đang vẽ lại theo số liệu hiện tại" in page
    # The index chart changed; field 1's rank did not move, so the rank chart is current.
    assert [r.args[1]["kind"] for r in queued_only.results] == ["index"]
    run_queued(queued_only)
    assert (
        ChartDrawing.objects.get(assessment=sample_assessment, kind="index").key
        == keys_of(sample_assessment)["index"]
    )
    assert "chart-note" not in client.get(detail(sample_assessment)).content.decode()


def test_tests_and_a_server_without_worker_show_the_drawings_at_once(client, owner, sample_assessment, draws):
    """The immediate backend runs the drawing while the page is made: the page shows it."""
    client.force_login(owner)
    page = client.get(detail(sample_assessment)).content.decode()
    assert draws.count == 2 and page.count('class="chart-svg"') == 2 and "chart-note" not in page


def test_pages_asking_at_once_queue_one_drawing(owner, sample_assessment, queued_only):
    report = build_report(sample_assessment)
    now = timezone.now()
    first = drawings.for_page(sample_assessment, report, now)
    second = drawings.for_page(sample_assessment, report, now)
    assert len(queued_only.results) == 2
    assert not first["index"].current and first["index"] == second["index"]


def test_a_drawing_asked_for_long_ago_and_never_made_is_asked_for_again(
    owner, sample_assessment, queued_only
):
    report = build_report(sample_assessment)
    drawings.for_page(sample_assessment, report, timezone.now())
    ChartDrawing.objects.update(asked_at=timezone.now() - drawings.ASKED_LOST_AFTER - timedelta(seconds=1))
    drawings.for_page(sample_assessment, report, timezone.now())
    assert len(queued_only.results) == 4


def test_an_older_drawing_never_replaces_a_newer_one(owner, sample_assessment, queued_only):
    report = build_report(sample_assessment)
    drawings.for_page(sample_assessment, report, timezone.now())
    now = timezone.now()
    assert drawings.store(
        sample_assessment.pk, "index", key="b" * 64, svg="<svg>b</svg>", data_as_of=now, seconds=0.1
    )
    older = now - timedelta(seconds=5)
    assert not drawings.store(
        sample_assessment.pk, "index", key="a" * 64, svg="<svg>a</svg>", data_as_of=older, seconds=0.1
    )
    assert ChartDrawing.objects.get(assessment=sample_assessment, kind="index").key == "b" * 64


def test_the_task_keeps_a_drawing_it_already_has(owner, sample_assessment, queued_only, draws):
    report = build_report(sample_assessment)
    drawings.for_page(sample_assessment, report, timezone.now())
    run_queued(queued_only)
    spec = next(b.spec for b in report.all_blocks() if b.kind == "chart")
    key = drawings.spec_key(spec)
    outcome = drawings.draw_report_chart.call(
        sample_assessment.pk, drawings.spec_json(spec), key, timezone.now().isoformat()
    )
    assert outcome == "kept" and draws.count == 2


def test_chart_data_survive_the_task_arguments(sample_assessment):
    report = build_report(sample_assessment)
    for block in report.all_blocks():
        if block.kind == "chart":
            assert drawings.spec_from_json(drawings.spec_json(block.spec)) == block.spec


# --- a failed drawing --------------------------------------------------------------------------


def test_a_failed_drawing_never_breaks_the_page_is_logged_and_asked_for_again(
    client, owner, sample_assessment, draws, caplog
):
    draws.fail = True
    client.force_login(owner)
    with caplog.at_level(logging.ERROR):
        response = client.get(detail(sample_assessment))
    assert response.status_code == 200
    assert "88,01/100 điểm" in response.content.decode()
    assert "Vẽ biểu đồ index của đợt đánh giá" in caplog.text
    row = ChartDrawing.objects.get(assessment=sample_assessment, kind="index")
    assert "matplotlib hết bộ nhớ" in row.last_error and row.asked_key == keys_of(sample_assessment)["index"]
    status = {c["kind"]: c for c in client.get(files(sample_assessment)).json()["charts"]}
    assert status["index"] == {**status["index"], "failed": True, "asked": False, "key": ""}
    draws.fail = False
    tries = draws.count
    client.get(detail(sample_assessment))  # not asked again on every view: a pause first
    assert draws.count == tries
    ChartDrawing.objects.update(asked_at=timezone.now() - drawings.ASKED_LOST_AFTER - timedelta(seconds=1))
    page = client.get(detail(sample_assessment)).content.decode()  # asked again, drawn
    assert page.count('class="chart-svg"') == 2
    assert ChartDrawing.objects.get(assessment=sample_assessment, kind="index").last_error == ""


# --- the status poll and the drawing's own URL ---------------------------------------------------


def test_status_lists_the_kept_drawings_and_their_url(client, owner, sample_assessment, queued_only):
    client.force_login(owner)
    client.get(detail(sample_assessment))
    status = {c["kind"]: c for c in client.get(files(sample_assessment)).json()["charts"]}
    assert status["index"]["asked"] is True and status["index"]["key"] == ""
    run_queued(queued_only)
    keys = keys_of(sample_assessment)
    status = {c["kind"]: c for c in client.get(files(sample_assessment)).json()["charts"]}
    for kind in ("index", "rank"):
        assert status[kind]["key"] == keys[kind] and status[kind]["asked"] is False
        response = client.get(status[kind]["url"])
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert response.content.decode() == ChartDrawing.objects.get(kind=kind).svg
        assert response["Cache-Control"] == "private, no-store"


def test_the_drawing_url_answers_only_for_the_key_it_holds(client, owner, sample_assessment):
    client.force_login(owner)
    client.get(detail(sample_assessment))
    key = keys_of(sample_assessment)["index"]
    assert client.get(chart_url(sample_assessment, "index", key)).status_code == 200
    assert client.get(chart_url(sample_assessment, "index", "0" * 64)).status_code == 404
    assert client.get(chart_url(sample_assessment, "pie")).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("viewer", 200), ("editor", 404)])
def test_who_may_fetch_a_drawing(client, owner, sample_assessment, request, who, status):
    client.force_login(owner)
    client.get(detail(sample_assessment))
    client.force_login(request.getfixturevalue(who))
    assert client.get(chart_url(sample_assessment, "index")).status_code == status


def test_anonymous_is_sent_to_login_for_a_drawing(client, sample_assessment):
    response = client.get(chart_url(sample_assessment, "index"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_page_queries_while_drawings_are_asked_for_are_bounded(
    client, owner, sample_assessment, queued_only, django_assert_max_num_queries
):
    """The first view: the page's 19, and for the charts create both rows, claim each (2) in a
    transaction of its own with its queueing (a savepoint and its release here, inside the
    test's transaction: 4); the dummy queue is in memory, the database queue adds one insert
    each. Whatever the size of the tree."""
    client.force_login(owner)
    client.get(reverse("assessments:home"))
    with django_assert_max_num_queries(26):
        assert client.get(detail(sample_assessment)).status_code == 200


def test_a_chart_key_ignores_what_the_chart_does_not_draw(sample_assessment):
    """The rank chart draws no index: indices that move leave its key and its SVG as they were."""
    report = build_report(sample_assessment)
    spec = next(b.spec for b in report.all_blocks() if b.kind == "chart" and b.spec.kind == "rank")
    moved = charts.ChartSpec(
        spec.kind,
        tuple(charts.FieldPoint(p.code, p.name, None, None, p.rank, p.previous_rank) for p in spec.points),
        spec.year,
        spec.ranked,
    )
    assert drawings.spec_key(moved) == drawings.spec_key(spec)
    assert charts.svg_for(*vars(moved).values()) == charts.svg_for(*vars(spec).values())


def test_hostile_field_name_stays_text_in_the_kept_drawing(client, owner, sample_assessment):
    """A field's name is framework data typed by people: in the drawing (served as SVG from the
    site's origin, and put into the page by script) it is escaped text, never markup."""
    from assessments.models import Criterion

    Criterion.objects.filter(framework=sample_assessment.framework, code="1").update(
        name='</text><script>alert(1)</script><text x="0">'
    )
    client.force_login(owner)
    client.get(detail(sample_assessment))
    svg = client.get(chart_url(sample_assessment, "index")).content.decode()
    assert "<script" not in svg and "&lt;script&gt;" in svg
