"""A national sheet of three years imported at once is the series the trends page, the API's
trends and the report's comparison with last year read: each year with its published rank and
the number ranked, and the report's "last year" is the imported 2022."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from api.tokens import create_token
from assessments.exchange.national import import_national_years
from assessments.exchange.tables import read_tables
from assessments.models import PublishedResult
from assessments.scoring import trends
from reports.facts import gather, previous_figures_note
from tests.excel.test_national_years import series_workbook

from .conftest import scored_2024

pytestmark = pytest.mark.django_db

# Bình Phước as published: 2021 40th, 2022 35th, 2023 21st of 63 (tests.excel.test_national_years).
IMPORTED = {2021: (Decimal("84.10"), 40), 2022: (Decimal("85.30"), 35), 2023: (Decimal("88.01"), 21)}


@pytest.fixture
def imported(sample_assessment):
    PublishedResult.objects.all().delete()  # the shipped 2022/2023 figures: only what the sheet says
    (sheet,) = read_tables(series_workbook())
    outcome = import_national_years(sheet)
    assert outcome.errors == [] and outcome.written
    return sample_assessment


def test_trends_read_the_three_imported_years_with_ranks_and_ranked_counts(imported):
    trend = trends.subject_trend(imported.subject)
    rows = {row.year: row for row in trend.rows}
    assert sorted(rows) == [2021, 2022, 2023]
    for year, (index, rank) in IMPORTED.items():
        shown = rows[year].shown.total
        assert rows[year].source == trends.PUBLISHED
        assert (shown.index, shown.rank, shown.ranked_count) == (index, rank, 63)


def test_trends_page_and_api_show_the_imported_years(imported, accounts):
    page = Client()
    page.force_login(accounts["viewer"])
    html = page.get(reverse("reports:trends", args=[imported.subject.pk])).content.decode()
    for text in ("84,10", "40/63", "85,30", "35/63", "88,01", "21/63"):
        assert text in html, text

    _token, secret = create_token(actor=accounts["viewer"], owner=accounts["viewer"], name="LGSP")
    api = Client(HTTP_AUTHORIZATION=f"Token {secret}")
    data = api.get(f"/api/v1/subjects/{imported.subject.pk}/trends/").json()
    years = {y["year"]: y for y in data["years"]}
    assert sorted(years) == [2021, 2022, 2023]
    for year, (index, rank) in IMPORTED.items():
        total = years[year]["total"]
        assert years[year]["source"] == "published"
        assert (Decimal(total["index"]), total["rank"], total["ranked_count"]) == (index, rank, 63)


def test_the_report_compares_with_the_imported_previous_year(imported):
    facts = gather(imported)
    assert (facts.total.previous_index, facts.total.previous_rank) == IMPORTED[2022]
    assert facts.total.rank == 21
    assert facts.last_year.get("").is_published
    assert previous_figures_note(facts) == "Số liệu năm 2022 dùng để so sánh là kết quả do Bộ Nội vụ công bố."


def test_a_rank_only_previous_year_gives_its_rank_and_the_computed_index(sample_assessment):
    """The press gave only Bình Phước's 2023 rank (21st); 2023 was also scored (88,0115): the 2024
    report compares with that rank and the computed index, and says so (it used to fail)."""
    PublishedResult.objects.all().delete()
    series = {2023: {"Quảng Ninh": ("93,02", 1), "Bình Phước": (None, "21/63")}}
    (sheet,) = read_tables(series_workbook(series))
    assert import_national_years(sheet).errors == []
    assessment = scored_2024(sample_assessment)

    facts = gather(assessment)

    total = facts.last_year.get("")
    assert (total.index, total.rank, total.source) == (Decimal("88.0115"), 21, "computed")
    assert (facts.total.previous_index, facts.total.previous_rank) == (Decimal("88.0115"), 21)
    note = previous_figures_note(facts)
    assert "Ở Chỉ số chung, kết quả công bố năm 2023 chỉ có thứ hạng: Chỉ số là Chỉ số tính từ điểm" in note
