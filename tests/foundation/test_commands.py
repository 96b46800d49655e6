import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Assessment, Criterion, PublishedResult, Score, Subject
from assessments.subjects import SubjectNotFound, resolve_subject

pytestmark = pytest.mark.django_db


def summary_json(*args):
    out = StringIO()
    call_command("score_summary", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_score_summary_json_contract(reference_data):
    data = summary_json("--subject", "Bình Phước", "--year", "2023")
    assert {"max", "self", "appraised", "index", "parts", "fields", "at_max", "below_max", "zero"} <= set(
        data
    )
    assert data["appraised"] == "88.0115"
    assert data["self"] == "66.1211"
    assert data["max"] == "100.0000"
    assert data["parts"]["self_assessed"] == {"score": "62.0871", "max": "68.0000"}
    assert data["parts"]["leader_survey"] == {"score": "18.2988", "max": "22.0000"}
    assert data["parts"]["people_survey"] == {"score": "7.6256", "max": "10.0000"}
    assert (data["at_max"], data["below_max"], data["zero"]) == (52, 22, 1)
    assert [f["code"] for f in data["fields"]] == [str(i) for i in range(1, 9)]
    assert data["fields"][6] == {
        "code": "7",
        "name": "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN, CHÍNH QUYỀN SỐ",
        "max": "13.5000",
        "self": "12.4686",
        "appraised": "11.7969",
        "index": "87.3844",
    }
    for f in data["fields"]:
        for key in ("max", "self", "appraised", "index"):
            assert isinstance(f[key], str) and "," not in f[key]


def test_score_summary_by_code_gives_the_same(reference_data):
    assert summary_json("--subject", "70", "--year", "2023") == summary_json(
        "--subject", "bình phước", "--year", "2023"
    )


def test_score_summary_table_for_people(reference_data):
    out = StringIO()
    call_command("score_summary", "--subject", "70", "--year", "2023", stdout=out)
    text = out.getvalue()
    assert "88,01" in text and "87,38" in text and "62,09/68" in text


@pytest.mark.parametrize(
    ("subject", "year", "message"),
    [
        ("Không Có", "2023", "Không tìm thấy đối tượng đánh giá 'Không Có'"),
        ("70", "2019", "Chưa có kết quả đánh giá năm 2019"),
        ("Bình Phước", "2026", "Không tìm thấy đối tượng đánh giá 'Bình Phước' trong năm 2026"),
    ],
)
def test_unknown_subject_or_year_is_a_clear_error(reference_data, subject, year, message):
    with pytest.raises(CommandError, match=message):
        call_command("score_summary", "--subject", subject, "--year", year, stdout=StringIO())


def test_unknown_subject_exits_with_code_1(tmp_path):
    env_db = tmp_path / "empty.sqlite3"
    import os

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{env_db}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, env=env)
    done = subprocess.run(
        [sys.executable, "manage.py", "score_summary", "--subject", "Atlantis", "--year", "2023"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 1
    assert "Không tìm thấy đối tượng đánh giá 'Atlantis'" in done.stderr


def test_load_reference_data_is_idempotent(reference_data):
    counts = lambda: (  # noqa: E731
        Subject.objects.count(),
        Criterion.objects.count(),
        Score.objects.count(),
        PublishedResult.objects.count(),
        Assessment.objects.count(),
    )
    before = counts()
    history_before = Score.history.count()
    call_command("load_reference_data", stdout=StringIO())
    assert counts() == before == (86, 133, 101, 18, 1)
    assert Score.history.count() == history_before


def test_provinces_are_data_valid_for_years(reference_data):
    assert Subject.objects.filter(kind="province").valid_in_year(2023).count() == 63
    assert (
        Subject.objects.filter(kind="province").valid_on(__import__("datetime").date(2025, 12, 31)).count()
        == 34
    )
    bp = resolve_subject("70", 2023)
    assert (bp.name, bp.region, bp.valid_until.year) == ("Bình Phước", "Đông Nam Bộ", 2025)
    dong_nai_2026 = resolve_subject("Đồng Nai", 2026)
    assert bp in dong_nai_2026.predecessors.all()
    with pytest.raises(SubjectNotFound):
        resolve_subject("Bình Phước", 2026)


def test_tay_ninh_resolves_to_the_unit_of_that_year(reference_data):
    assert resolve_subject("Tây Ninh", 2023).code == "72"
    assert resolve_subject("Tây Ninh", 2025).code == "80"
