import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_vi(client, reference_data):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x-secret-9")
    client.force_login(user)
    return client


def test_criteria_tree_in_code_order_indented_by_level(admin_client_vi):
    response = admin_client_vi.get("/admin/assessments/criterion/")
    assert response.status_code == 200
    cells = re.findall(
        r'<span style="padding-left:([\d.]+)em;[^"]*">([\d.]+)</span>', response.content.decode()
    )
    assert cells[:9] == [
        ("0.0", "1"),
        ("1.5", "1.1"),
        ("1.5", "1.2"),
        ("1.5", "1.3"),
        ("3.0", "1.3.1"),
        ("3.0", "1.3.2"),
        ("1.5", "1.4"),
        ("1.5", "1.5"),
        ("1.5", "1.6"),
    ]


def test_criteria_searchable_by_code_and_name(admin_client_vi):
    by_name = admin_client_vi.get("/admin/assessments/criterion/", {"q": "SIPAS"}).content.decode()
    assert "Kết quả Chỉ số hài lòng (SIPAS)" in by_name
    by_code = admin_client_vi.get("/admin/assessments/criterion/", {"q": "5.1.1"}).content.decode()
    assert "Cập nhật, hoàn thiện quy định về vị trí việc làm" in by_code


@pytest.mark.parametrize(
    "model", ["subject", "agency", "framework", "criterion", "assessment", "score", "publishedresult"]
)
def test_every_model_has_a_vietnamese_admin(admin_client_vi, model):
    response = admin_client_vi.get(f"/admin/assessments/{model}/")
    assert response.status_code == 200
    assert "Chọn" in response.content.decode() or "Thêm" in response.content.decode()


def test_assessment_list_queries_do_not_grow_with_the_list(admin_client_vi, sample_assessment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from model_bakery import baker

    from assessments.models import Assessment, Subject

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = admin_client_vi.get("/admin/assessments/assessment/")
        assert page.status_code == 200
        return len(queries), page.content.decode()

    few, html = count()
    assert "88,01" in html
    for code in ("72", "74", "75", "77"):
        subject = Subject.objects.get(code=code, valid_from=None)
        Assessment.objects.create(subject=subject, framework=sample_assessment.framework)
    baker.make(Subject, kind="province", name="Tỉnh thử", _quantity=1)
    many, _ = count()
    assert many == few
