"""Unit names repeat across provinces: every command taking --subject takes --province, and a
name that matches several units is refused with the candidates listed."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Framework, Subject, SubjectKind
from assessments.subjects import SubjectNotFound, resolve_subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_justice_departments(binh_phuoc, dong_nai):
    made = {}
    for province, code in ((binh_phuoc, "STP-BP"), (dong_nai, "STP-DN")):
        unit = Subject.objects.create(
            kind=SubjectKind.DEPARTMENT, name="Sở Tư pháp", code=code, parent=province
        )
        framework = Framework.objects.create(
            year=2025,
            subject_kind=SubjectKind.DEPARTMENT,
            owner=province,
            name=f"Bộ chỉ số sở {province.name}",
        )
        made[province.code] = Assessment.objects.create(subject=unit, framework=framework)
    return made


def test_an_ambiguous_name_is_refused_with_the_candidates_and_their_provinces(two_justice_departments):
    with pytest.raises(SubjectNotFound) as refused:
        resolve_subject("Sở Tư pháp", 2025)
    message = str(refused.value)
    assert "'Sở Tư pháp' khớp với nhiều đối tượng" in message
    assert "Sở Tư pháp (mã STP-BP, Bình Phước); Sở Tư pháp (mã STP-DN, Đồng Nai)" in message
    assert "Hãy thêm --province" in message


def test_the_province_picks_the_unit(two_justice_departments):
    assert resolve_subject("Sở Tư pháp", 2025, province="Đồng Nai").code == "STP-DN"
    assert resolve_subject("sở tư pháp", 2025, province="70").code == "STP-BP"
    with pytest.raises(
        SubjectNotFound, match="Không tìm thấy đối tượng đánh giá 'Sở Nội vụ' thuộc Bình Phước"
    ):
        resolve_subject("Sở Nội vụ", 2025, province="Bình Phước")


@pytest.mark.parametrize("command", ["score_summary", "check_figures"])
def test_commands_with_subject_take_province(two_justice_departments, command):
    with pytest.raises(CommandError, match="khớp với nhiều đối tượng"):
        call_command(command, "--subject", "Sở Tư pháp", "--year", "2025", "--json", stdout=StringIO())
    out = StringIO()
    call_command(
        command, "--subject", "Sở Tư pháp", "--province", "Đồng Nai", "--year", "2025", "--json", stdout=out
    )
    json.loads(out.getvalue())


def test_export_annex_takes_province(two_justice_departments, tmp_path):
    target = tmp_path / "phu-luc.xlsx"
    call_command(
        "export_annex",
        "--subject",
        "Sở Tư pháp",
        "--province",
        "Bình Phước",
        "--year",
        "2025",
        "-o",
        str(target),
        stdout=StringIO(),
    )
    assert target.stat().st_size > 0


def test_an_unknown_province_is_refused(two_justice_departments):
    with pytest.raises(CommandError, match="Không tìm thấy tỉnh, thành phố 'Sông Bé'"):
        call_command("score_summary", "--subject", "Sở Tư pháp", "--province", "Sông Bé", "--year", "2025")
