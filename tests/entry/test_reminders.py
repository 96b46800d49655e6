"""Reminders: a home-page notice in Vietnam time, and e-mails 7, 3 and 1 days before the
deadline to agencies that have not submitted, each sent once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, ReminderLog

from .conftest import fill_all

VN = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def deadline(open_assessment):
    value = datetime.datetime(2030, 3, 31, 17, 0, tzinfo=VN)
    Assessment.objects.filter(pk=open_assessment.pk).update(self_assessment_deadline=value)
    open_assessment.refresh_from_db()
    return value


def at(day, hour=7):
    return datetime.datetime(2030, 3, day, hour, 0, tzinfo=VN)


@pytest.mark.django_db
def test_sent_7_3_1_days_before_once_and_only_to_agencies_that_have_not_submitted(
    open_assessment, users, stp, agencies, deadline
):
    fill_all(open_assessment, stp, users["editor"], "0")
    services.submit_part(user=users["editor"], assessment=open_assessment, agency=stp, now=at(20))
    vp = agencies["VP UBND"]  # carol (other_editor) works there and has an e-mail address
    services.send_reminders(now=at(23))  # 8 days before: nothing
    assert mail.outbox == []
    services.send_reminders(now=at(24))  # 7 days before
    recipients = {address for message in mail.outbox for address in message.to}
    assert "carol@example.test" in recipients
    assert "bob@example.test" not in recipients  # Sở Tư pháp has submitted
    assert all("Nhắc hạn" in m.subject for m in mail.outbox)
    assert "17:00 ngày 31/03/2030" in mail.outbox[0].body  # Vietnam time
    first_round = len(mail.outbox)
    services.send_reminders(now=at(24, 18))  # same day again: never twice
    call_command("send_reminders", at="2030-03-25 07:00")
    assert len(mail.outbox) == first_round
    services.send_reminders(now=at(28))  # 3 days before
    services.send_reminders(now=at(30))  # 1 day before
    services.send_reminders(now=at(30, 20))
    to_vp = [m for m in mail.outbox if "carol@example.test" in m.to]
    assert len(to_vp) == 3
    assert sorted(ReminderLog.objects.filter(agency=vp).values_list("days_before", flat=True)) == [1, 3, 7]
    services.send_reminders(now=at(31, 18))  # after the deadline: nothing more
    assert len([m for m in mail.outbox if "carol@example.test" in m.to]) == 3


@pytest.mark.django_db
def test_home_page_notice_in_vietnam_time(client, open_assessment, users, deadline):
    client.force_login(users["editor"])
    html = client.get(reverse("assessments:home")).content.decode()
    assert "Việc cần làm" in html
    assert "Sở Tư pháp" in html and "17:00 ngày 31/03/2030" in html
    client.force_login(users["viewer"])
    assert "Việc cần làm" not in client.get(reverse("assessments:home")).content.decode()


@pytest.mark.django_db
def test_extension_gets_its_own_reminders(open_assessment, users, agencies, deadline):
    vp = agencies["VP UBND"]
    services.send_reminders(now=at(30))
    services.extend_deadline(
        user=users["process_owner"],
        assessment=open_assessment,
        agency=vp,
        until=datetime.datetime(2030, 4, 10, 17, 0, tzinfo=VN),
        reason="Chờ số liệu",
    )
    before = len(mail.outbox)
    services.send_reminders(now=datetime.datetime(2030, 4, 3, 8, 0, tzinfo=VN))
    assert len(mail.outbox) > before
    assert timezone.localtime(ReminderLog.objects.filter(agency=vp).latest("sent_at").deadline).day == 10
