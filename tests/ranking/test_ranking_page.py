"""The ranking page: in the province's scope (Sở Nội vụ, council, leadership; 404 outside),
sorted and filtered by query parameters, units linked to their results, charts, year-on-year
change, an Excel annex; queries that do not grow with the number of units."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Role, SubjectKind
from tests.accounts import make_account

from .conftest import make_block, make_framework, make_unit, score_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def block(province):
    framework = make_framework(province, 2024)
    units = [
        make_unit(province, name, code)
        for name, code in [("Sở An", "SA"), ("Sở Bình", "SB"), ("Sở Cường", "SC")]
    ]
    score_units(
        framework,
        [
            (units[0], {"1.1": "30", "1.2": "30", "2.1": "30.02"}),  # 90,02 → 2nd
            (units[1], {"1.1": "30", "1.2": "30", "2.1": "30.0199"}),  # 90,0199 → 3rd
            (units[2], {"1.1": "30", "1.2": "25", "2.1": "35", "3.1": "3", "3.2": "4"}),  # 90 + 5 → 1st
        ],
    )
    return units


def page(client, user, province, **params):
    client.force_login(user)
    return client.get(reverse("reports:ranking", args=[province.pk]), params)


def names_in_order(response) -> list[str]:
    return [row["unit"].subject.name for row in response.context["rows"]]


@pytest.mark.parametrize("role", ["process_owner", "appraiser", "viewer"])
def test_province_roles_see_the_ranking(client, province, accounts, block, role):
    response = page(client, accounts[role], province)
    assert response.status_code == 200
    assert names_in_order(response) == ["Sở Cường", "Sở An", "Sở Bình"]
    text = response.content.decode()
    assert "90,02" in text and "Xuất sắc" in text


def test_another_province_or_a_department_editor_gets_404(client, province, accounts, block):
    assert page(client, accounts["other_province"], province).status_code == 404
    agency = province.agencies.create(name="Sở An")
    editor = make_account("bob", Role.DEPARTMENT_EDITOR, province, agency=agency)
    assert page(client, editor, province).status_code == 404


def test_sorted_by_name_and_reversed_by_query_parameter(client, province, accounts, block):
    user = accounts["viewer"]
    assert names_in_order(page(client, user, province, sap_xep="ten")) == ["Sở An", "Sở Bình", "Sở Cường"]
    assert names_in_order(page(client, user, province, sap_xep="-ten")) == ["Sở Cường", "Sở Bình", "Sở An"]
    assert names_in_order(page(client, user, province, sap_xep="-hang")) == ["Sở Bình", "Sở An", "Sở Cường"]
    assert names_in_order(page(client, user, province, sap_xep="chi_so")) == ["Sở Cường", "Sở An", "Sở Bình"]


def test_filtered_by_grade_and_bad_parameters_are_explained(client, province, accounts, block):
    user = accounts["viewer"]
    response = page(client, user, province, xep_loai="Xuất sắc")
    assert len(response.context["rows"]) == 3
    assert page(client, user, province, xep_loai="Khá").context["rows"] == []
    response = page(client, user, province, xep_loai="Giỏi", sap_xep="mau", nam="1999", khoi="trường")
    text = response.content.decode()
    assert "Bộ tiêu chí không có xếp loại “Giỏi”" in text
    assert "Không sắp xếp được theo “mau”" in text
    assert "Không có bộ tiêu chí năm “1999”" in text
    assert "Không rõ khối đơn vị “trường”" in text
    assert len(response.context["rows"]) == 3


def test_units_link_to_their_result_and_progress(client, province, accounts, block):
    response = page(client, accounts["viewer"], province)
    first = response.context["rows"][0]
    assert first["url"] == reverse("reports:detail", args=[first["unit"].assessment.pk])
    text = response.content.decode()
    assert reverse("assessments:progress", args=[first["unit"].assessment.pk]) in text


def test_charts_are_server_side_svg_without_script(client, province, accounts, block):
    text = page(client, accounts["viewer"], province).content.decode()
    main = text[text.index("<main") :]  # the header's bell is an icon, not a chart
    assert main.count("<svg") == 2
    assert "Số đơn vị theo xếp loại năm 2024" in text
    assert "<script>" not in text and "onclick" not in text


def test_change_against_last_year_is_shown(client, province, accounts, block):
    previous = make_framework(province, 2023)
    score_units(previous, [(block[0], {"1.1": "30", "1.2": "30", "2.1": "25"})])  # 85
    response = page(client, accounts["viewer"], province, nam="2024")
    row = next(r for r in response.context["rows"] if r["unit"].subject.name == "Sở An")
    assert row["change"] == "+5,02"


def test_excel_annex_layout(client, province, accounts, block):
    client.force_login(accounts["viewer"])
    url = reverse("reports:ranking_xlsx", args=[province.pk])
    response = client.get(url, {"nam": 2024, "khoi": "department"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "PHỤ LỤC"
    assert "KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024" in ws["A2"].value
    header = [c.value for c in ws[5]]
    assert header == ["STT", "Đơn vị", "Điểm đạt", "Điểm tối đa", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
    assert all(c.font.bold for c in ws[5])
    assert ws.freeze_panes == "C6"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    assert rows[0] == ["1", "Sở Cường", "95", "100", "95,00", "1", "Xuất sắc"]
    assert rows[1][1:] == ["Sở An", "90,02", "100", "90,02", "2", "Xuất sắc"]
    assert rows[2][1:] == ["Sở Bình", "90,0199", "100", "90,02", "3", "Xuất sắc"]


def test_excel_of_another_province_is_404(client, province, accounts, block):
    client.force_login(accounts["other_province"])
    assert client.get(reverse("reports:ranking_xlsx", args=[province.pk])).status_code == 404


def test_home_page_links_the_ranking_for_the_roles_that_read_it(client, province, accounts, block):
    client.force_login(accounts["viewer"])
    assert (
        reverse("reports:ranking", args=[province.pk])
        in client.get(reverse("assessments:home")).content.decode()
    )


@pytest.mark.parametrize("count", [20, 150])
def test_ranking_page_queries_do_not_grow_with_units(
    client, province, accounts, count, django_assert_max_num_queries
):
    _framework, units = make_block(province, 2024, count)
    make_block(province, 2023, count, units=units)
    make_block(province, 2024, count, kind=SubjectKind.COMMUNE, prefix="Xã")
    client.force_login(accounts["viewer"])
    url = reverse("reports:ranking", args=[province.pk])
    with django_assert_max_num_queries(22):
        response = client.get(url, {"nam": 2024, "khoi": "xã"})
    assert len(response.context["rows"]) == count
    with django_assert_max_num_queries(22):
        response = client.get(url, {"nam": 2024, "khoi": "department", "sap_xep": "ten"})
    assert len(response.context["rows"]) == count
