"""load_reference_data run again on a database in use (the demo loaded, users' changes made)
changes nothing: not the links of other frameworks, not what a user changed."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection

from assessments.models import Agency, Assessment, Criterion, PublishedResult, Score, Subject


def snapshot() -> dict[str, list[str]]:
    """Every row of every table (m2m links inside their owners), history included."""
    tables = set(connection.introspection.table_names())
    rows = {}
    for model in apps.get_models():
        if model._meta.db_table not in tables or model._meta.label_lower == "sessions.session":
            continue
        data = serializers.serialize("python", model._base_manager.order_by("pk"))
        rows[model._meta.label_lower] = [json.dumps(item, sort_keys=True, default=str) for item in data]
    return rows


@pytest.fixture
def demo(reference_data, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_accounts", stdout=StringIO())
    return Assessment.objects.get(subject__code="70", framework__year=2024)


def users_change_things(demo):
    sample = Assessment.objects.get(subject__code="70", framework__year=2023)
    justice = Agency.objects.get(short_name="STP", province=sample.subject)
    # A link added to the 2023 framework, and one removed.
    extra = Criterion.objects.filter(framework=sample.framework, children__isnull=True).exclude(
        agencies=justice
    )
    justice.criteria.add(extra.first())
    justice.criteria.remove(justice.criteria.filter(framework=sample.framework).first())
    # An agency renamed, a province renamed, a score corrected, a published index corrected.
    home_affairs = Agency.objects.get(is_process_owner=True, province=sample.subject)
    home_affairs.name = "Sở Nội vụ tỉnh Bình Phước"
    home_affairs.short_name = "SNV BP"
    home_affairs.save()
    Subject.objects.filter(code="01", kind="province").update(name="Thủ đô Hà Nội")
    score = sample.scores.exclude(appraised_score=None).first()
    score.appraised_score = Decimal("0.1234")
    score.appraisal_comment = "Hội đồng sửa"
    score.save()
    PublishedResult.objects.filter(year=2023, field_code="").update(index=Decimal("88.0200"), rank=20)
    demo_score = demo.scores.first() or Score(
        assessment=demo, criterion=demo.framework.criteria.filter(children__isnull=True).first()
    )
    demo_score.self_score = Decimal("0.5000")
    demo_score.save()


@pytest.mark.django_db
def test_running_it_again_changes_nothing_on_a_database_in_use(demo):
    links_2024 = Agency.criteria.through.objects.filter(criterion__framework=demo.framework).count()
    assert links_2024 > 0
    users_change_things(demo)
    before = snapshot()

    out = StringIO()
    call_command("load_reference_data", stdout=out)

    assert (
        "mới tạo 0 tỉnh, thành phố; 0 tiêu chí; 0 cơ quan tham mưu; 0 điểm; 0 kết quả công bố"
        in out.getvalue()
    )
    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert Agency.criteria.through.objects.filter(criterion__framework=demo.framework).count() == links_2024


@pytest.mark.django_db
def test_every_department_still_has_its_2024_criteria_after_a_second_run(demo):
    def answering():
        links = Agency.criteria.through.objects.filter(criterion__framework=demo.framework)
        return sorted(set(links.values_list("agency__short_name", flat=True)))

    before = answering()
    assert len(before) == 7  # the seven demo departments
    call_command("load_reference_data", stdout=StringIO())
    assert answering() == before
