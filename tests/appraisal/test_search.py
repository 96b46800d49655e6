"""criteria_matching: a criterion found by its code or by words of its name, accents and
case aside; the history page's search box lists the matches the user may see."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from assessments.scoring import criteria_matching, fold_text

NODES = [
    SimpleNamespace(code="1", name="Công tác chỉ đạo, điều hành"),
    SimpleNamespace(code="1.3", name="Thanh tra, kiểm tra"),
    SimpleNamespace(code="1.3.2", name="Xử lý các vấn đề phát hiện qua thanh tra"),
    SimpleNamespace(code="3.2", name="Thẩm định, kiểm tra văn bản"),
    SimpleNamespace(code="13.1", name="Đường dây nóng"),
]


def _codes(q):
    return [n.code for n in criteria_matching(NODES, q)]


def test_fold_text_drops_accents_case_and_extra_spaces():
    assert fold_text("  Thẩm ĐỊNH   Đường ") == "tham dinh duong"


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        ("tham dinh", ["3.2"]),
        ("THẨM ĐỊNH", ["3.2"]),
        ("kiem tra", ["1.3", "3.2"]),
        ("tra kiem", ["1.3", "3.2"]),  # every word, in any order
        ("duong day", ["13.1"]),  # đ typed as d
        ("1.3", ["1.3", "1.3.2"]),  # a code: itself and what is under it
        ("1.3.", ["1.3", "1.3.2"]),
        ("3", ["3.2"]),  # not 13.1
        ("", ["1", "1.3", "1.3.2", "3.2", "13.1"]),
        ("9.9", []),
        ("thanh tra xyz", []),
    ],
)
def test_criteria_matching(q, codes):
    assert _codes(q) == codes


@pytest.mark.django_db
def test_history_page_search_lists_the_criteria_found(client, small):
    a, c = small["assessment"], small["criteria"]
    client.force_login(small["users"]["appraiser"])
    url = reverse("assessments:criterion_history", args=[a.pk, c["1.1"].pk])
    html = client.get(url + "?q=tieu+chi+2").content.decode()
    assert "Kết quả tìm “tieu chi 2”: 3 tiêu chí" in html  # 1.2, 2 and 2.1
    assert reverse("assessments:criterion_history", args=[a.pk, c["2.1"].pk]) + "?q=tieu%20chi%202" in html
    html = client.get(url + "?q=khong+co").content.decode()
    assert "Không tìm thấy tiêu chí nào có mã hoặc tên khớp “khong co”." in html


@pytest.mark.django_db
def test_history_search_finds_only_what_a_department_may_see(client, small):
    a, c = small["assessment"], small["criteria"]
    client.force_login(small["users"]["editor"])  # Sở Tư pháp answers for field 1 only
    url = reverse("assessments:criterion_history", args=[a.pk, c["1.1"].pk])
    html = client.get(url + "?q=tieu+chi").content.decode()
    assert reverse("assessments:criterion_history", args=[a.pk, c["1.2"].pk]) in html
    assert reverse("assessments:criterion_history", args=[a.pk, c["2.1"].pk]) not in html
