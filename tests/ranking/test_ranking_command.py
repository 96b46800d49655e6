"""`manage.py ranking`: the table, the JSON contract, Vietnamese refusals with exit code 1."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import SubjectKind

from .conftest import make_framework, make_unit, score_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def block(province):
    framework = make_framework(province, 2024)
    units = [
        make_unit(province, name, code) for name, code in [("Sở A", "SA"), ("Sở B", "SB"), ("Sở C", "SC")]
    ]
    score_units(
        framework,
        [
            (units[0], {"1.1": "30", "1.2": "30", "2.1": "30.02"}),
            (units[1], {"1.1": "30", "1.2": "30", "2.1": "30.0199"}),
            (units[2], {"1.1": "30", "1.2": "30", "2.1": "35", "3.1": "3", "3.2": "4"}),
        ],
    )
    return units


def run(*args):
    out = StringIO()
    call_command("ranking", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_json_has_exactly_the_contract_keys_in_rank_order(block):
    data = json.loads(run("--province", "Thử Nghiệm", "--year", "2024", "--kind", "department", "--json"))
    assert [set(row) for row in data] == [{"code", "name", "points", "max", "index", "rank", "grade"}] * 3
    assert data[0] == {
        "code": "SC",
        "name": "Sở C",
        "points": "100.0000",
        "max": "100.0000",
        "index": "100.0000",
        "rank": 1,
        "grade": "Xuất sắc",
    }
    assert [(r["code"], r["index"], r["rank"]) for r in data[1:]] == [
        ("SA", "90.0200", 2),
        ("SB", "90.0199", 3),
    ]


@pytest.mark.parametrize("kind", ["department", "sở, ban, ngành", "Sở, ban, ngành"])
def test_kind_by_value_or_label_and_province_by_code(block, kind):
    text = run("--province", "97", "--year", "2024", "--kind", kind)
    lines = text.splitlines()
    assert "Xếp hạng Chỉ số CCHC năm 2024" in lines[0]
    rows = [line for line in lines if line.startswith(("SA", "SB", "SC"))]
    assert [r.split()[0] for r in rows] == ["SC", "SA", "SB"]
    assert "90,02" in rows[1] and "Xuất sắc" in rows[1] and rows[2].split()[-3] == "3"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--province", "Tỉnh Không Có", "--year", "2024", "--kind", "department"), "Không tìm thấy"),
        (("--province", "Thử Nghiệm", "--year", "2024", "--kind", "trường học"), "Không rõ khối đơn vị"),
        (
            ("--province", "Thử Nghiệm", "--year", "2019", "--kind", "department"),
            "chưa có bộ tiêu chí năm 2019",
        ),
        (("--province", "Thử Nghiệm", "--year", "2024", "--kind", "xã"), "khối ubnd cấp xã"),
        (("--province", "Sở A", "--year", "2024", "--kind", "department"), "không phải tỉnh"),
    ],
)
def test_unknown_province_kind_or_year_is_refused_in_vietnamese(block, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_an_empty_block_is_refused(province):
    make_framework(province, 2024, SubjectKind.COMMUNE)
    with pytest.raises(CommandError, match="chưa có đơn vị nào của khối ubnd cấp xã"):
        run("--province", "Thử Nghiệm", "--year", "2024", "--kind", "xã")


def test_refusal_exits_with_status_1(db, capsys):
    from assessments.management.commands.ranking import Command

    argv = ["manage.py", "ranking", "--province", "Không Có", "--year", "2024", "--kind", "xã"]
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(argv)
    assert exit_info.value.code == 1
    assert "Không tìm thấy đối tượng đánh giá 'Không Có'" in capsys.readouterr().err
