"""The database itself refuses a value outside a field's choices (every choice field, the
history's change source included) and a second agency of the same name without a start date:
whatever writes it, a service, the admin, an import or a raw UPDATE."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import (
    Agency,
    Assessment,
    ChangeSource,
    Criterion,
    CriterionRemark,
    DeadlineExtension,
    Evidence,
    Framework,
    Notification,
    Profile,
    PublishedResult,
    ReminderLog,
    Role,
    Score,
    Stage,
    Subject,
    SubjectKind,
    Submission,
    WorkflowEvent,
)
from reports.models import ChartDrawing, ChartKind, RenderedReport, ReportFormat

pytestmark = pytest.mark.django_db

BAD = "sai"  # short enough for every choice column (change_source is 10 characters)


@pytest.fixture
def world():
    """One row of every model that has a choice field, history records included."""
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Thử", code="99")
    agency = Agency.objects.create(province=province, name="Sở Tư pháp")
    framework = Framework.objects.create(year=2031, name="Bộ tiêu chí thử")
    criterion = Criterion.objects.create(framework=framework, code="1", name="Lĩnh vực", max_score=1)
    assessment = Assessment.objects.create(subject=province, framework=framework)
    score = Score.objects.create(assessment=assessment, criterion=criterion, self_score=Decimal("0.5"))
    published = PublishedResult.objects.create(subject=province, year=2031, field_code="", index=Decimal(90))
    submission = Submission.objects.create(assessment=assessment, agency=agency)
    user = get_user_model().objects.create_user("an", password="x-not-used-9!")
    deadline = timezone.now() + datetime.timedelta(days=3)
    rows = [
        province,
        framework,
        criterion,
        assessment,
        score,
        published,
        submission,
        Profile.objects.create(user=user, role=Role.VIEWER),
        DeadlineExtension.objects.create(assessment=assessment, agency=agency, until=deadline, reason="Ốm"),
        WorkflowEvent.objects.create(assessment=assessment, action=WorkflowEvent.Action.PHASE),
        ReminderLog.objects.create(
            assessment=assessment,
            agency=agency,
            stage=Stage.SELF_ASSESSMENT,
            deadline=deadline,
            days_before=3,
        ),
        Evidence.objects.create(
            assessment=assessment,
            criterion=criterion,
            file="evidence/x.pdf",
            original_name="x.pdf",
            kind=Evidence.Kind.PDF,
            extension="pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        ),
        RenderedReport.objects.create(assessment=assessment, format=ReportFormat.PDF, fingerprint="f"),
        ChartDrawing.objects.create(assessment=assessment, kind=ChartKind.INDEX),
        Notification.objects.create(
            user=user, assessment=assessment, kind=Notification.Kind.PHASE, title="Chuyển giai đoạn"
        ),
    ]
    remark = CriterionRemark.objects.create(
        assessment=assessment, criterion=criterion, agency=agency, text="Có"
    )
    rows.append(remark)
    rows += [
        model.history.first()
        for model in (assessment, score, published, submission, remark, province, framework, criterion)
    ]
    return {type(row): row for row in rows}


def choice_fields():
    """Every (model, field) of ParIndex's apps with choices. A historical record's own
    column is change_source; its copies of the row's fields hold what the row's constraints
    already let through, and history_type (+ ~ -) is django-simple-history's."""
    found = []
    for app in ("assessments", "reports"):
        for model in apps.get_app_config(app).get_models():
            historical = hasattr(model, "instance_type")
            for field in model._meta.concrete_fields:
                if field.choices and (not historical or field.name == "change_source"):
                    found.append((model, field.name))
    return found


def test_every_choice_field_is_found():
    names = {(model.__name__, name) for model, name in choice_fields()}
    assert {
        ("Assessment", "phase"),
        ("Evidence", "kind"),
        ("WorkflowEvent", "action"),
        ("WorkflowEvent", "stage"),
        ("Submission", "stage"),
        ("Submission", "status"),
        ("HistoricalScore", "change_source"),
        ("HistoricalSubmission", "change_source"),
    } <= names


@pytest.mark.parametrize(("model", "field"), choice_fields(), ids=lambda v: getattr(v, "__name__", v))
def test_database_refuses_a_value_outside_the_choices(world, model, field):
    row = world[model]
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: BAD})
    row.refresh_from_db()
    assert getattr(row, field) != BAD


def test_choice_values_themselves_are_accepted(world):
    history = world[Score.history.model]
    for source in ChangeSource.values:
        Score.history.model.objects.filter(pk=history.pk).update(change_source=source)
    event = world[WorkflowEvent]
    for stage in [*Stage.values, ""]:
        WorkflowEvent.objects.filter(pk=event.pk).update(stage=stage)


def test_a_second_undated_agency_of_the_same_name_is_refused(world):
    province = world[Subject]
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(province=province, name="Sở Tư pháp")
    assert Agency.objects.filter(name="Sở Tư pháp").count() == 1


def test_the_same_name_is_allowed_for_another_period_or_province(world):
    province = world[Subject]
    Agency.objects.create(province=province, name="Sở Tư pháp", valid_from=datetime.date(2025, 7, 1))
    other = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Khác", code="98")
    Agency.objects.create(province=other, name="Sở Tư pháp")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(province=province, name="Sở Tư pháp", valid_from=datetime.date(2025, 7, 1))


def test_an_agency_cannot_end_before_it_begins(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(
            province=world[Subject],
            name="Sở Kế hoạch và Đầu tư",
            valid_from=datetime.date(2025, 7, 1),
            valid_until=datetime.date(2025, 6, 30),
        )


def test_the_admin_form_says_why_in_vietnamese(world):
    from django.core.exceptions import ValidationError

    twin = Agency(province=world[Subject], name="Sở Tư pháp")
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert "Tỉnh đã có cơ quan cùng tên không ghi ngày bắt đầu hiệu lực." in str(refused.value)
