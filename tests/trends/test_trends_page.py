"""The trends page: every stored year (published or computed, marked which) with the number
ranked, through predecessors; criteria gained and lost against the year before; scope."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import PublishedResult, Subject
from assessments.scoring import trends

from .conftest import publish

pytestmark = pytest.mark.django_db


def url(subject):
    return reverse("reports:trends", args=[subject.pk])


def test_every_stored_year_published_where_imported_computed_where_scored(series):
    trend = trends.subject_trend(series["subject"])
    by_year = {row.year: row for row in trend.rows}
    assert sorted(by_year) == [2021, 2022, 2023, 2024]
    assert by_year[2021].source == trends.PUBLISHED and by_year[2021].computed is None
    assert by_year[2023].source == trends.PUBLISHED and by_year[2023].computed is not None
    assert by_year[2024].source == trends.COMPUTED
    assert by_year[2023].shown.total.ranked_count == 63
    assert by_year[2023].shown.total.rank == 21
    # 2024 is computed from the scores: 2023's appraised total + (1,5 − 1,4634) − 0,5.
    computed_2023 = by_year[2023].computed.total.index
    assert computed_2023 == Decimal("88.0115")
    expected_2024 = (Decimal("88.0115") + Decimal("0.0366") - Decimal("0.5")).quantize(Decimal("0.0001"))
    assert by_year[2024].shown.total.index == expected_2024
    assert by_year[2024].shown.total.rank == 1 and by_year[2024].shown.total.ranked_count == 1


def test_criteria_gained_and_lost_sorted_with_remarks_and_differences_listed(series):
    criteria = trends.subject_trend(series["subject"]).criteria
    assert (criteria.year, criteria.previous_year) == (2024, 2023)
    assert [c.code for c in criteria.gained] == ["1.1"]
    assert criteria.gained[0].change == Decimal("0.0366")
    assert criteria.gained[0].previous_remark.startswith("Theo kết quả thẩm định")
    assert criteria.lost[0].code == "1.2"
    assert criteria.lost[0].remark == "Không ban hành kế hoạch tuyên truyền CCHC."
    assert [d.code for d in criteria.differences] == ["1.3.1"]
    assert "1.3.1" not in {c.code for c in criteria.matched}
    changes = [c.change for c in criteria.lost]
    assert changes == sorted(changes)


def test_page_shows_table_chart_markers_and_ranked_count(client, series, accounts):
    client.force_login(accounts["viewer"])
    response = client.get(url(series["subject"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Chỉ số (%) qua các năm" in html
    assert "21/63" in html and "40/63" in html
    assert "Công bố" in html and "Tính từ điểm" in html
    assert "Tiêu chí giảm điểm" in html and "Không ban hành kế hoạch tuyên truyền CCHC." in html
    assert "Tên mới của tiêu chí 1.3.1" in html
    # No script of its own (the chart is SVG); only the site-wide Vietnamese form messages.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/validity.js" defer>']


def test_merged_province_reads_its_predecessors_and_says_so(client, series, accounts, django_user_model):
    merged = Subject.objects.get(code="75", valid_from__isnull=False)
    publish(merged, 2025, "90.12", 5, 34)
    trend = trends.subject_trend(merged)
    assert {s.name for s in trend.predecessors} == {"Bình Phước", "Đồng Nai"}
    rows = {(r.year, r.subject.name): r for r in trend.rows}
    assert rows[(2025, "Đồng Nai")].shown.total.ranked_count == 34
    assert rows[(2023, "Bình Phước")].is_predecessor
    client.force_login(django_user_model.objects.create_superuser("quantri"))
    html = client.get(url(merged)).content.decode()
    assert "đơn vị tiền thân" in html and "34" in html and "(tiền thân)" in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("process_owner", 200), ("appraiser", 200), ("viewer", 200), ("editor", 404), ("other_province", 404)],
)
def test_scope(client, series, accounts, role, status):
    client.force_login(accounts[role])
    assert client.get(url(series["subject"])).status_code == status


def test_anonymous_is_sent_to_login(client, series):
    response = client.get(url(series["subject"]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_queries_do_not_grow_with_years(client, series, accounts, django_assert_max_num_queries):
    client.force_login(accounts["viewer"])
    subject = series["subject"]
    with django_assert_max_num_queries(20) as few:
        client.get(url(subject))
    for year in range(2012, 2021):
        publish(subject, year, "80.5", 30, 63, fields=[("1", "Chỉ đạo", "90", 10)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(subject))
    assert "2012" in response.content.decode()
    assert PublishedResult.objects.filter(subject=subject).count() > 20


def test_linked_from_home_and_report(client, series, accounts):
    client.force_login(accounts["viewer"])
    link = url(series["subject"])
    assert link in client.get(reverse("assessments:home")).content.decode()
    report = client.get(reverse("reports:detail", args=[series["sample"].pk]))
    assert link in report.content.decode()
