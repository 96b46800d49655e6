from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_PASSWORD = "parindex-demo"  # noqa: S105 - demo accounts only, documented in README


class Command(BaseCommand):
    help = "Tạo các tài khoản minh họa (chỉ dùng cho bản demo, không bao giờ dùng trên máy chủ thật)."

    def handle(self, *args, **options):
        User = get_user_model()
        admin, _created = User.objects.get_or_create(
            username="admin", defaults={"first_name": "Quản trị", "last_name": "hệ thống"}
        )
        admin.is_staff = admin.is_superuser = True
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        self.stdout.write(self.style.SUCCESS(f"Tài khoản quản trị: admin / {DEMO_PASSWORD}"))
