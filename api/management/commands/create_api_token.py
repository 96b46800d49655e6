"""python manage.py create_api_token USERNAME [--name NAME]: print a new API token."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.services import DomainError

from ...tokens import create_token


class Command(BaseCommand):
    help = "Tạo mã truy cập API mới cho tài khoản và in ra (chỉ hiện một lần; hệ thống chỉ lưu mã băm)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Tạo bằng lệnh create_api_token", help="Tên hệ thống dùng mã")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản '{username}'.")
        try:
            _token, secret = create_token(actor=user, owner=user, name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)
