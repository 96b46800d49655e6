"""The browser's own words in Vietnamese (issue 13 item 10): lang="vi" on every kind of page,
dates typed and shown as dd/mm/yyyy hh:mm (24-hour) instead of the browser's date pickers, the
page's own validity messages, and no English left in the admin for login throttling."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.forms import ExtendForm, PhaseForm


@pytest.mark.django_db
def test_every_kind_of_page_says_it_is_vietnamese(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.test", "x-test-pass-123")
    pages = [reverse("login"), reverse("admin:login"), "/khong-co-trang-nay/"]
    for url in pages:
        assert '<html lang="vi"' in client.get(url).content.decode(), url
    client.force_login(admin)
    for url in [reverse("admin:index"), reverse("assessments:home")]:
        assert '<html lang="vi"' in client.get(url).content.decode(), url


def test_validity_messages_come_from_a_static_script_on_every_page(client):
    from django.template.loader import get_template

    base = get_template("base.html").template.source
    assert "js/validity.js" in base
    assert "{% block scripts %}" in base.split("js/validity.js")[1]  # outside the block pages override


@pytest.mark.parametrize(
    "typed",
    ["31/03/2025 17:00", "31/3/2025 17:00", " 31/03/2025 17:00 ", "2025-03-31T17:00"],
)
def test_deadlines_are_typed_day_first_with_a_24_hour_clock(typed):
    form = PhaseForm({"phase": "self_assessment", "self_assessment_deadline": typed})
    assert form.is_valid(), form.errors
    value = timezone.localtime(form.cleaned_data["self_assessment_deadline"])
    assert (value.day, value.month, value.year, value.hour, value.minute) == (31, 3, 2025, 17, 0)


@pytest.mark.parametrize("typed", ["03/31/2025 5:00 PM", "31/03/2025", "hôm nay"])
def test_other_date_forms_are_refused_in_vietnamese(typed):
    form = PhaseForm({"phase": "self_assessment", "self_assessment_deadline": typed})
    assert not form.is_valid()
    assert "Ngày giờ không hợp lệ (ví dụ 31/03/2025 17:00)." in form.errors["self_assessment_deadline"]


def test_date_boxes_are_text_shown_as_dd_mm_yyyy_hh_mm():
    when = timezone.make_aware(datetime.datetime(2025, 3, 31, 17, 0))
    html = str(PhaseForm(initial={"phase": "self_assessment", "self_assessment_deadline": when}))
    assert 'value="31/03/2025 17:00"' in html
    assert "datetime-local" not in html and 'type="date"' not in html
    assert 'placeholder="dd/mm/yyyy hh:mm"' in html
    assert "datetime-local" not in str(ExtendForm())


@pytest.mark.django_db
def test_the_admin_names_login_throttling_in_vietnamese(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.test", "x-test-pass-123")
    client.force_login(admin)
    index = client.get(reverse("admin:index")).content.decode()
    for english in ["Axes", "Access attempts", "Access logs", "Access failures"]:
        assert english not in index, english
    assert "Chống dò mật khẩu" in index and "Các lần đăng nhập sai" in index
    listing = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for english in ["Show counts", "Locked Out", "Attempt Time", "IP Address", "User Agent"]:
        assert english not in listing, english
    assert "Hiện số lượng" in listing or "Ẩn số lượng" in listing
