"""The framework pages: Sở Nội vụ copies last year's framework and edits it (sums checked,
Vietnamese errors) until the first assessment on it opens; then it is frozen. The council
and the leadership read; everyone else, and every other province, gets 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.exchange.frameworks import import_framework
from assessments.models import (
    Agency,
    Assessment,
    ChangeSource,
    Criterion,
    Framework,
    Role,
    Subject,
    SubjectKind,
)

from ..accounts import make_account
from .conftest import framework_workbook, to_bytes

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(binh_phuoc, home_affairs):
    assert import_framework(to_bytes(framework_workbook()), binh_phuoc, 2025, SubjectKind.DEPARTMENT).written
    return Framework.objects.get()


@pytest.fixture
def accounts(binh_phuoc, dong_nai, home_affairs):
    return {
        "alice": make_account("alice", Role.PROCESS_OWNER, binh_phuoc),
        "bob": make_account("bob", Role.APPRAISER, binh_phuoc),
        "dan": make_account("dan", Role.DEPARTMENT_EDITOR, binh_phuoc, agency=home_affairs),
        "charlie": make_account("charlie", Role.PROCESS_OWNER, dong_nai),
    }


def login(client, accounts, name):
    client.force_login(accounts[name])
    return client


def tree():
    return sorted(Criterion.objects.values_list("framework_id", "code", "name", "max_score", "rule_kind"))


def posted(rows: list[dict], extra: int = 0) -> dict:
    """The edit form as the page posts it: one row per criterion, then empty rows."""
    data = {"form-TOTAL_FORMS": str(len(rows) + extra), "form-INITIAL_FORMS": str(len(rows))}
    data["form-MIN_NUM_FORMS"], data["form-MAX_NUM_FORMS"] = "0", "1000"
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key in ("may_not_apply", "DELETE"):
                if value:
                    data[f"form-{index}-{key}"] = "on"
            else:
                data[f"form-{index}-{key}"] = value
    return data


def current_rows(framework) -> list[dict]:
    from assessments.decimals import format_score

    return [
        {
            "code": c.code,
            "name": c.name,
            "max_score": format_score(c.max_score),
            "method": c.method,
            "section": c.section if c.level == 1 else "",
            "rule": c.rule_notation,
            "guidance": c.guidance,
            "may_not_apply": c.may_not_apply,
        }
        for c in framework.criteria.order_by("sort_key")
    ]


def test_the_list_shows_the_provinces_frameworks_in_bounded_queries(
    client, accounts, framework, django_assert_max_num_queries
):
    login(client, accounts, "alice")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("assessments:framework_list")).content.decode()
    assert "Bộ Chỉ số cải cách hành chính sở, ban, ngành năm 2025" in page and "Đang soạn" in page
    assert "Quyết định số 123/QĐ-UBND" in page


def test_the_list_tells_each_role_what_it_can_do(client, accounts, framework, django_user_model):
    """Sở Nội vụ is told how a new year's framework is made in the browser; the command line
    that imports one from a workbook is named to the server's administrator only."""
    page = login(client, accounts, "alice").get(reverse("assessments:framework_list")).content.decode()
    assert "chọn “Sao chép sang năm mới” rồi sửa" in page and "manage.py" not in page
    page = login(client, accounts, "bob").get(reverse("assessments:framework_list")).content.decode()
    assert "Sao chép sang năm mới" not in page and "manage.py" not in page
    client.force_login(django_user_model.objects.create_superuser("quantri"))
    page = client.get(reverse("assessments:framework_list")).content.decode()
    assert "<code>python manage.py import_framework</code>" in page


@pytest.mark.parametrize("name", ["dan", "charlie"])
def test_other_roles_and_other_provinces_get_404(client, accounts, framework, name):
    login(client, accounts, name)
    assert client.get(reverse("assessments:framework_detail", args=[framework.pk])).status_code == 404
    before = tree()
    data = posted(current_rows(framework))
    assert client.post(reverse("assessments:framework_detail", args=[framework.pk]), data).status_code == 404
    assert (
        client.post(reverse("assessments:framework_copy", args=[framework.pk]), {"year": 2026}).status_code
        == 404
    )
    assert tree() == before and Framework.objects.count() == 1
    if name == "charlie":
        page = client.get(reverse("assessments:framework_list")).content.decode()
        assert framework.name not in page
    else:
        assert client.get(reverse("assessments:framework_list")).status_code == 404


def test_the_council_reads_but_cannot_write(client, accounts, framework):
    login(client, accounts, "bob")
    page = client.get(reverse("assessments:framework_detail", args=[framework.pk])).content.decode()
    assert "Điểm thưởng (tối đa 5 điểm)" in page and "Lưu bộ tiêu chí" not in page
    before = tree()
    rows = current_rows(framework)
    rows[2]["name"] = "Đổi tên"
    response = client.post(reverse("assessments:framework_detail", args=[framework.pk]), posted(rows))
    assert response.status_code == 403 and tree() == before


def test_process_owner_renames_changes_maxima_adds_and_removes(client, accounts, framework):
    login(client, accounts, "alice")
    url = reverse("assessments:framework_detail", args=[framework.pk])
    assert "Lưu bộ tiêu chí" in client.get(url).content.decode()
    rows = current_rows(framework)
    by_code = {row["code"]: row for row in rows}
    by_code["1.1.1"].update(name="Ban hành kế hoạch CCHC đúng hạn", max_score="2")
    by_code["1.1.2"].update(max_score="2")
    by_code["4.2"]["DELETE"] = True
    data = posted(rows, extra=1)
    index = len(rows)
    data.update(
        {f"form-{index}-code": "4.3", f"form-{index}-name": "Mô hình mới", f"form-{index}-max_score": "2"}
    )
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, response.context.get("problems")
    criteria = {c.code: c for c in framework.criteria.all()}
    assert criteria["1.1.1"].name == "Ban hành kế hoạch CCHC đúng hạn" and criteria["1.1.1"].max_score == D(2)
    assert (
        "4.2" not in criteria
        and criteria["4.3"].max_score == D(2)
        and criteria["4.3"].parent == criteria["4"]
    )
    assert criteria["1.1.1"].history.first().change_source == ChangeSource.FORM
    assert criteria["1.1.1"].history.first().history_user == accounts["alice"]


def test_sums_that_do_not_add_up_are_refused_in_vietnamese_by_row_and_code(client, accounts, framework):
    login(client, accounts, "alice")
    rows = current_rows(framework)
    rows[2]["max_score"] = "2"  # 1.1.1: 2 + 2,5 is not 1.1's 4
    before = tree()
    response = client.post(reverse("assessments:framework_detail", args=[framework.pk]), posted(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu: 1 lỗi" in page
    assert "Dòng 2 (1.1): điểm chuẩn 4 khác tổng điểm chuẩn các tiêu chí con (4,5)" in page, page
    assert tree() == before


def test_a_framework_is_frozen_once_an_assessment_on_it_opens(client, accounts, framework, binh_phuoc):
    unit = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="Sở Tư pháp", parent=binh_phuoc)
    Assessment.objects.create(subject=unit, framework=framework, phase=Assessment.Phase.SELF_ASSESSMENT)
    login(client, accounts, "alice")
    url = reverse("assessments:framework_detail", args=[framework.pk])
    page = client.get(url).content.decode()
    assert "đã dùng cho đợt đánh giá đang mở (Sở Tư pháp, giai đoạn Tự đánh giá): không sửa được nữa" in page
    assert "Lưu bộ tiêu chí" not in page
    rows = current_rows(framework)
    rows[2]["name"] = "Đổi tên"
    before = tree()
    response = client.post(url, posted(rows))
    assert response.status_code == 403 and "không sửa được nữa" in response.content.decode()
    assert tree() == before


def test_copy_last_years_framework_to_a_new_year_then_edit_it(client, accounts, framework):
    login(client, accounts, "alice")
    response = client.post(
        reverse("assessments:framework_copy", args=[framework.pk]), {"year": "2026"}, follow=True
    )
    copy = Framework.objects.get(year=2026)
    assert response.redirect_chain[-1][0] == reverse("assessments:framework_detail", args=[copy.pk])
    assert (
        copy.name == "Bộ Chỉ số cải cách hành chính sở, ban, ngành năm 2026" and copy.owner == framework.owner
    )
    assert copy.criteria.count() == 18 and copy.grade_bands.count() == 5
    assert copy.criteria.get(code="1.2.2").may_not_apply
    assert copy.criteria.get(code="1.1").agency_links.get().agency == Agency.objects.get(name="Sở Nội vụ")
    again = client.post(
        reverse("assessments:framework_copy", args=[framework.pk]), {"year": "2026"}, follow=True
    )
    assert any("đã có bộ tiêu chí sở, ban, ngành năm 2026" in str(m) for m in again.context["messages"])
    assert Framework.objects.count() == 2
