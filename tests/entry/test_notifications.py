"""Notifications of the workflow's events: who is told (in ParIndex and by e-mail), only
once the action is committed, each person's e-mail preference, and the bell and list pages
(own notifications only, bounded queries)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, Notification, Score, WorkflowEvent
from assessments.services import notifications as notify

from .conftest import fill_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on_commit callbacks of what happens inside, as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def submitted(small, commit):
    users = small["users"]
    fill_all(small["assessment"], small["agency"], users["editor"], value="1")
    commit(services.submit_part, user=users["editor"], assessment=small["assessment"], agency=small["agency"])


def of(user):
    return list(Notification.objects.filter(user=user).order_by("pk"))


def test_a_returned_part_tells_its_agency_with_the_comment(small, commit):
    users = small["users"]
    submitted(small, commit)
    mail.outbox.clear()
    commit(
        services.return_part,
        user=users["process_owner"],
        assessment=small["assessment"],
        agency=small["agency"],
        comment="Bổ sung tài liệu kiểm chứng TCTP 1.2",
    )
    [note] = of(users["editor"])
    assert note.kind == Notification.Kind.RETURNED
    assert "Sở Tư pháp bị trả lại" in note.title
    assert "Bổ sung tài liệu kiểm chứng TCTP 1.2" in note.body
    assert note.url == reverse("assessments:entry", args=[small["assessment"].pk, small["agency"].pk])
    assert of(users["other_editor"]) == [] and of(users["process_owner"])[-1].kind != "returned"
    [message] = mail.outbox
    assert message.to == ["bob@example.test"]
    assert "Bổ sung tài liệu kiểm chứng TCTP 1.2" in message.body
    assert "http://localhost:8000" + note.url in message.body


def test_a_submitted_part_tells_so_noi_vu_of_the_province_only(small, commit, make_user):
    from assessments.models import Agency, Role, Subject, SubjectKind

    other_province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Khác", code="98")
    other_snv = Agency.objects.create(province=other_province, name="Sở Nội vụ khác", is_process_owner=True)
    outsider = make_user("oscar", Role.PROCESS_OWNER, other_snv)
    submitted(small, commit)
    [note] = of(small["users"]["process_owner"])
    assert note.kind == Notification.Kind.SUBMITTED
    assert note.title == "Sở Tư pháp đã gửi phần tự đánh giá"
    assert of(outsider) == [] and of(small["users"]["editor"]) == []  # nor the one who sent it
    assert [m.to for m in mail.outbox] == [["alice@example.test"]]


def test_a_refused_or_rolled_back_action_tells_no_one(small, commit):
    users = small["users"]
    with pytest.raises(services.DomainError):  # nothing submitted: nothing to return
        commit(
            services.return_part,
            user=users["process_owner"],
            assessment=small["assessment"],
            agency=small["agency"],
            comment="x",
        )
    fill_all(small["assessment"], small["agency"], users["editor"], value="1")

    def submit_then_fail():
        with transaction.atomic():
            services.submit_part(user=users["editor"], assessment=small["assessment"], agency=small["agency"])
            raise RuntimeError("mất kết nối")

    with pytest.raises(RuntimeError):
        commit(submit_then_fail)
    # Only the drafts' score writes ("Ghi điểm") stand: no return, no submission.
    assert not WorkflowEvent.objects.exclude(action=WorkflowEvent.Action.SCORE).exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_phase_change_tells_every_account_of_the_province_but_the_one_who_moved_it(small, commit):
    users = small["users"]
    viewer = users["viewer"].parindex_profile
    viewer.province = small["assessment"].subject  # an account of the province without an agency
    viewer.save()
    commit(
        services.set_phase,
        user=users["process_owner"],
        assessment=small["assessment"],
        phase=Assessment.Phase.APPRAISAL,
    )
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"bob", "carol", "dave", "erin"}  # alice acted
    note = of(users["editor"])[0]
    assert note.kind == Notification.Kind.PHASE
    assert "chuyển sang giai đoạn “Thẩm định”" in note.title
    assert len(mail.outbox) == 4


def test_a_phase_change_spares_editors_of_agencies_without_a_part(small, commit, make_user):
    from assessments.models import Agency, Role

    sxd = Agency.objects.create(province=small["assessment"].subject, name="Sở Xây dựng")
    outsider = make_user("xuan", Role.DEPARTMENT_EDITOR, sxd)  # no criterion of this framework
    commit(
        services.set_phase,
        user=small["users"]["process_owner"],
        assessment=small["assessment"],
        phase=Assessment.Phase.APPRAISAL,
    )
    assert of(outsider) == [] and of(small["users"]["editor"]) != []
    assert "xuan" not in {m.to[0].split("@")[0] for m in mail.outbox}


def test_a_units_own_assessment_tells_its_own_editors_not_its_peers(small, commit, make_user):
    """A department's own assessment (the province's own index): its criteria are linked to an
    agency of each unit's name, and only the unit's own agency answers in the unit's
    assessment (scoring.answers_for_unit); its peers' editors are not told of its phases."""
    from assessments.models import Agency, Criterion, Framework, Role, Subject, SubjectKind

    province = small["assessment"].subject
    units = {}
    for name in ("Sở Xây dựng", "Sở Y tế"):
        subject = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name=name, parent=province)
        agency = Agency.objects.create(province=province, name=name)
        units[name] = (subject, agency, make_user(f"cb-{agency.pk}", Role.DEPARTMENT_EDITOR, agency))
    framework = Framework.objects.create(year=2031, name="Bộ tiêu chí các sở", owner=province)
    field = Criterion.objects.create(framework=framework, code="1", name="Lĩnh vực", max_score=Decimal(2))
    Criterion.objects.create(framework=framework, parent=field, code="1.1", name="Tiêu chí", max_score=2)
    field.agencies.set([agency for _subject, agency, _user in units.values()])
    assessment = Assessment.objects.create(subject=units["Sở Xây dựng"][0], framework=framework)
    commit(
        services.set_phase,
        user=small["users"]["process_owner"],
        assessment=assessment,
        phase=Assessment.Phase.SELF_ASSESSMENT,
    )
    assert [n.kind for n in of(units["Sở Xây dựng"][2])] == [Notification.Kind.PHASE]
    assert of(units["Sở Y tế"][2]) == []
    assert of(small["users"]["editor"]) == []  # Sở Tư pháp has no part in it either
    assert [n.kind for n in of(small["users"]["appraiser"])] == [Notification.Kind.PHASE]


def test_the_explanation_phase_asks_only_agencies_whose_score_was_lowered(small, commit):
    users = small["users"]
    criteria = small["criteria"]
    submitted(small, commit)
    fill_all(small["assessment"], small["other"], users["other_editor"], value="3")
    # The council lowered 1.2 (Sở Tư pháp, 1 → 0,5) and kept 2.1 (Văn phòng UBND, 3 → 3).
    Score.objects.filter(criterion=criteria["1.2"]).update(appraised_score=Decimal("0.5"))
    Score.objects.filter(criterion=criteria["1.1"]).update(appraised_score=Decimal("1"))
    Score.objects.filter(criterion=criteria["2.1"]).update(appraised_score=Decimal("3"))
    Notification.objects.all().delete()
    commit(
        services.set_phase,
        user=users["process_owner"],
        assessment=small["assessment"],
        phase=Assessment.Phase.EXPLANATION,
        explanation_deadline=timezone.now() + datetime.timedelta(days=5),
    )
    [asked] = of(users["editor"])
    assert asked.kind == Notification.Kind.EXPLANATION
    assert "Đề nghị giải trình 1 tiêu chí" in asked.title
    assert "TC 1.2" in asked.body and "TC 1.1" not in asked.body
    assert "Hạn giải trình" in asked.body
    [general] = of(users["other_editor"])
    assert general.kind == Notification.Kind.PHASE


def test_an_extension_tells_the_agency_concerned(small, commit):
    users = small["users"]
    commit(
        services.extend_deadline,
        user=users["process_owner"],
        assessment=small["assessment"],
        until=timezone.now() + datetime.timedelta(days=20),
        reason="Chờ số liệu của Bộ",
        agency=small["agency"],
    )
    [note] = of(users["editor"])
    assert note.kind == Notification.Kind.EXTENDED
    assert "Chờ số liệu của Bộ" in note.body and "Sở Tư pháp đến" in note.title
    assert of(users["other_editor"]) == []
    commit(
        services.extend_deadline,
        user=users["process_owner"],
        assessment=small["assessment"],
        until=timezone.now() + datetime.timedelta(days=20),
        reason="Tiêu chí mới",
        criterion=small["criteria"]["2.1"],
    )
    assert [n.kind for n in of(users["other_editor"])] == [Notification.Kind.EXTENDED]


def test_reopening_the_assessment_tells_the_province(small, commit):
    users = small["users"]
    services.lock(user=users["process_owner"], assessment=small["assessment"], reason="Đã công bố kết quả")
    commit(services.unlock, user=users["process_owner"], assessment=small["assessment"], reason="Sửa sai sót")
    kinds = {n.user.username: n.kind for n in Notification.objects.select_related("user")}
    assert kinds == {"bob": "reopened", "carol": "reopened", "dave": "reopened", "erin": "reopened"}


def test_who_turned_email_off_gets_the_notice_without_the_mail(small, commit, client):
    users = small["users"]
    client.force_login(users["editor"])
    response = client.post(reverse("assessments:account"), {})  # the box unticked
    assert response.status_code == 302
    users["editor"].parindex_profile.refresh_from_db()
    assert users["editor"].parindex_profile.email_notifications is False
    assert "chỉ nhận thông báo trong ParIndex" in client.get(reverse("assessments:account")).content.decode()
    commit(
        services.extend_deadline,
        user=users["process_owner"],
        assessment=small["assessment"],
        until=timezone.now() + datetime.timedelta(days=20),
        reason="Chờ số liệu",
        agency=small["agency"],
    )
    assert len(of(users["editor"])) == 1
    assert mail.outbox == []
    client.post(reverse("assessments:account"), {"email_notifications": "on"})
    users["editor"].parindex_profile.refresh_from_db()
    assert users["editor"].parindex_profile.email_notifications is True


def _notes(user, assessment, count):
    return Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                assessment=assessment,
                kind=Notification.Kind.PHASE,
                title=f"Thông báo {i}",
                url=reverse("assessments:home"),
            )
            for i in range(count)
        ]
    )


def test_the_bell_shows_the_unread_count_with_one_query(small, client, rf, django_assert_num_queries):
    from assessments.context_processors import notifications as bell

    editor = small["users"]["editor"]
    _notes(editor, small["assessment"], 3)
    _notes(small["users"]["other_editor"], small["assessment"], 5)
    request = rf.get("/")
    request.user = editor
    with django_assert_num_queries(1):
        assert str(bell(request)["unread_notifications"]) == "3"
    client.force_login(editor)
    page = client.get(reverse("assessments:home")).content.decode()
    assert '<span class="bell-count">3</span>' in page
    assert "Thông báo: 3 chưa đọc" in page


def test_the_list_shows_only_ones_own_with_bounded_queries(small, client, django_assert_max_num_queries):
    editor, other = small["users"]["editor"], small["users"]["other_editor"]
    _notes(editor, small["assessment"], 40)
    [theirs] = _notes(other, small["assessment"], 1)
    client.force_login(editor)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("assessments:notifications")).content.decode()
    assert page.count('class="notification unread"') == 30  # a page of them
    assert "Thông báo 39" in page and "40 thông báo chưa đọc" in page
    assert client.post(reverse("assessments:notification_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_goes_to_the_page_then_all_read(small, client):
    editor = small["users"]["editor"]
    first, _second, _third = _notes(editor, small["assessment"], 3)
    client.force_login(editor)
    response = client.post(reverse("assessments:notification_open", args=[first.pk]))
    assert response.status_code == 302 and response.url == reverse("assessments:home")
    first.refresh_from_db()
    assert first.read_at is not None
    assert notify.unread_count(editor) == 2
    response = client.post(reverse("assessments:notification_read_all"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert notify.unread_count(editor) == 0
    assert client.get(reverse("assessments:notification_read_all")).status_code == 405


def test_a_failure_to_notify_does_not_undo_the_action(small, commit, monkeypatch):
    from assessments.models import Submission

    users = small["users"]
    submitted(small, commit)

    def broken(event):
        raise RuntimeError("máy chủ thư hỏng")

    monkeypatch.setattr(notify, "notify_for_event", broken)
    commit(
        services.return_part,
        user=users["process_owner"],
        assessment=small["assessment"],
        agency=small["agency"],
        comment="Bổ sung",
    )
    assert Submission.objects.get(agency=small["agency"]).status == Submission.Status.RETURNED


def test_notifying_a_province_takes_the_same_queries_whatever_its_size(small, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Role

    owner = small["users"]["process_owner"]
    event = WorkflowEvent.objects.create(
        assessment=small["assessment"], action=WorkflowEvent.Action.PHASE, user=owner
    )

    def queries():
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            made = notify.notify_for_event(event)
        return len(captured), len(made)

    few, told_few = queries()
    for i in range(12):
        make_user(f"stp{i}", Role.DEPARTMENT_EDITOR, small["agency" if i % 2 else "other"])
    many, told_many = queries()
    assert told_many == told_few + 12
    assert many == few
