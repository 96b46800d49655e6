"""E-mail reminders 7, 3 and 1 days before a deadline to the agencies that have not
submitted; meant for a daily timer. Each reminder is sent once (ReminderLog)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.services import send_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn (7, 3 và 1 ngày trước hạn) cho các cơ quan chưa gửi phần việc."

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            help="Chạy như thể đang là thời điểm này (giờ Việt Nam, YYYY-MM-DD HH:MM), để thử.",
        )

    def handle(self, *args, at=None, **options):
        now = None
        if at:
            try:
                now = timezone.make_aware(datetime.datetime.fromisoformat(at))
            except ValueError as exc:
                raise CommandError("--at phải có dạng YYYY-MM-DD HH:MM") from exc
        report = send_reminders(now=now, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã gửi {report.sent} thư nhắc; {report.already_sent} đã gửi trước đó; "
                f"{report.skipped_no_recipient} cơ quan chưa có địa chỉ thư."
            )
        )
