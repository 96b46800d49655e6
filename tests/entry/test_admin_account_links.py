"""A staff account of Sở Nội vụ (rights on the assessments, none on accounts) reads who did what
in the admin without a link to the account's page, which would answer 403 (found by the crawl of
every page, tests/browser/test_crawl_every_page.py); the superuser keeps the history's links."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import DeadlineExtension, Evidence, Score, Submission, WorkflowEvent

from .conftest import fill_all, matrix_world

pytestmark = pytest.mark.django_db

ACCOUNT_PAGE = "/admin/auth/user/"


@pytest.fixture
def world(small):
    world = matrix_world(small)
    editor, owner = small["users"]["editor"], small["users"]["process_owner"]
    editor.first_name, editor.last_name = "Bình", "Lê Văn"
    editor.save()
    fill_all(world["assessment"], world["agency"], editor, "0")
    services.submit_part(user=editor, assessment=world["assessment"], agency=world["agency"])
    services.extend_deadline(
        user=owner,
        assessment=world["assessment"],
        agency=small["other"],
        until=timezone.now() + datetime.timedelta(days=5),
        reason="Văn phòng UBND xin thêm thời gian",
    )
    return world


@pytest.fixture
def staff_owner(small):
    owner = small["users"]["process_owner"]
    owner.is_staff = True
    owner.save()
    owner.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["assessments", "reports"])
    )
    return owner


def _pages(world):
    score = Score.objects.filter(assessment=world["assessment"], updated_by__isnull=False).first()
    return [
        reverse("admin:assessments_score_change", args=[score.pk]),
        reverse("admin:assessments_score_history", args=[score.pk]),
        reverse("admin:assessments_submission_change", args=[Submission.objects.get().pk]),
        reverse("admin:assessments_submission_history", args=[Submission.objects.get().pk]),
        reverse("admin:assessments_evidence_change", args=[Evidence.objects.get().pk]),
        reverse("admin:assessments_deadlineextension_change", args=[DeadlineExtension.objects.get().pk]),
        reverse("admin:assessments_workflowevent_change", args=[WorkflowEvent.objects.first().pk]),
    ]


def test_staff_of_the_province_reads_names_without_links_to_account_pages(client, world, staff_owner):
    client.force_login(staff_owner)
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert ACCOUNT_PAGE not in html, url
        assert "Lê Văn Bình" in html or "Bình Lê Văn" in html or "alice" in html, url
    assert client.get(f"{ACCOUNT_PAGE}{staff_owner.pk}/change/").status_code == 403


def test_the_superuser_still_follows_the_history_to_the_account(client, world, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.test", "x-test-pass-123")
    client.force_login(root)
    score = Score.objects.filter(assessment=world["assessment"], updated_by__isnull=False).first()
    html = client.get(reverse("admin:assessments_score_history", args=[score.pk])).content.decode()
    assert f"{ACCOUNT_PAGE}{score.updated_by_id}/change/" in html
