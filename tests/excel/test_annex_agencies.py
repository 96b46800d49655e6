"""An annex import that creates the framework links the agencies the table names: a "Cơ quan
chủ trì" column names the lead; where a "Cơ quan tham mưu" column names several agencies
without saying, the first named leads; an unknown agency is an error naming its row."""

import pytest

from assessments import scoring
from assessments.exchange.annex import import_annex
from assessments.models import Agency, Assessment, CriterionAgency, Framework

from .conftest import HEADER, reference_rows, tsv_bytes

pytestmark = pytest.mark.django_db

AGENCY_HEADER = [*HEADER, "Cơ quan chủ trì", "Cơ quan tham mưu"]


def _province():
    from assessments.models import Subject

    return Subject.objects.get(code="70", valid_until__isnull=False)


@pytest.fixture
def agencies(provinces):
    province = _province()
    return {
        short: Agency.objects.create(province=province, name=name, short_name=short)
        for short, name in (
            ("STC", "Sở Tài chính"),
            ("SKHĐT", "Sở Kế hoạch và Đầu tư"),
            ("STP", "Sở Tư pháp"),
        )
    }


def _rows(named: dict[str, tuple[str, str]]):
    return [row + list(named.get(row[0], ("", ""))) for row in reference_rows()]


def test_the_lead_column_and_the_first_named_agency_lead(agencies):
    rows = _rows(
        {
            "8": ("", "Sở Tài chính; Sở Kế hoạch và Đầu tư"),
            "6": ("Sở Kế hoạch và Đầu tư", "Sở Tài chính, Sở Kế hoạch và Đầu tư"),
            "2": ("STP", ""),
        }
    )
    outcome = import_annex(tsv_bytes(rows, AGENCY_HEADER), _province(), 2023, filename="phu-luc.tsv")
    assert outcome.errors == []
    framework = Framework.objects.get(year=2023)
    links = CriterionAgency.objects.filter(criterion__framework=framework)
    leads = {(link.criterion.code, link.agency.short_name) for link in links.filter(is_lead=True)}
    assert leads == {("8", "STC"), ("6", "SKHĐT"), ("2", "STP")}
    assert links.filter(criterion__code="6").count() == 2
    result = scoring.compute(Assessment.objects.get(framework=framework))
    assert result.by_code["8.2"].lead == agencies["STC"]
    assert [a.short_name for a in result.by_code["8.2"].contributors] == ["SKHĐT"]
    assert result.by_code["6.1.1"].lead == agencies["SKHĐT"]


def test_an_unknown_agency_is_an_error_naming_the_row_and_nothing_is_written(agencies):
    rows = _rows({"8": ("", "Sở Tài chính; Sở Không Có")})
    outcome = import_annex(tsv_bytes(rows, AGENCY_HEADER), _province(), 2023, filename="phu-luc.tsv")
    assert any("Sở Không Có" in str(error) and "8" in str(error) for error in outcome.errors)
    assert not Framework.objects.exists()
    assert not CriterionAgency.objects.exists()
