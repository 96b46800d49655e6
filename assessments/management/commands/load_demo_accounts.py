"""Demo accounts (one per role and one per responsible agency of the sample) and an open
demo assessment (Bình Phước 2024, self-assessment, with the 2023 tree copied). Idempotent.

Demo only: never run this on a production database."""

import datetime
import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments import scoring
from assessments.models import Agency, Assessment, Framework, Profile, Role, Subject, SubjectKind
from assessments.services import copy_framework, open_assessment

DEMO_PASSWORD = "parindex-demo"  # noqa: S105 - demo accounts only, documented in README
SAMPLE_PROVINCE_CODE = "70"
SAMPLE_YEAR = 2023
DEMO_YEAR = 2024

ROLE_ACCOUNTS = [
    ("snv", "Chuyên viên", "Sở Nội vụ", Role.PROCESS_OWNER),
    ("thamdinh", "Thành viên", "Hội đồng thẩm định", Role.APPRAISER),
    ("lanhdao", "Lãnh đạo", "UBND tỉnh", Role.VIEWER),
]


def slug(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def editor_username(agency: Agency) -> str:
    return f"cb-{slug(agency.short_name or agency.name)}"


class Command(BaseCommand):
    help = "Tạo các tài khoản minh họa (chỉ dùng cho bản demo, không bao giờ dùng trên máy chủ thật)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()

        def account(username, first, last, role=None, agency=None, **flags):
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@parindex.local"
            for key, value in flags.items():
                setattr(user, key, value)
            user.set_password(DEMO_PASSWORD)
            user.save()
            if role is not None:
                Profile.objects.update_or_create(user=user, defaults={"role": role, "agency": agency})
            return user

        account("admin", "Quản trị", "hệ thống", is_staff=True, is_superuser=True)
        self.stdout.write(self.style.SUCCESS(f"Tài khoản quản trị: admin / {DEMO_PASSWORD}"))

        province = (
            Subject.objects.filter(kind=SubjectKind.PROVINCE, code=SAMPLE_PROVINCE_CODE)
            .order_by("-valid_until")
            .first()
        )
        framework = Framework.objects.filter(
            year=SAMPLE_YEAR, subject_kind=SubjectKind.PROVINCE, owner__isnull=True
        ).first()
        if province is None or framework is None:
            self.stdout.write(
                self.style.WARNING("Chưa có dữ liệu mẫu: chạy `python manage.py load_reference_data` trước.")
            )
            return
        sample = Assessment.objects.filter(subject=province, framework=framework).first()
        owner = Agency.objects.filter(province=province, is_process_owner=True).first()
        for username, first, last, role in ROLE_ACCOUNTS:
            agency = owner if role == Role.PROCESS_OWNER else None
            account(username, first, last, role, agency)
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} – {Role(role).label}")

        result = scoring.compute(sample) if sample else scoring.compute_framework(framework)
        responsible = {a.pk for leaf in result.leaves() for a in leaf.responsible}
        for agency in Agency.objects.filter(pk__in=responsible).order_by("name"):
            username = editor_username(agency)
            account(username, "Cán bộ", agency.name, Role.DEPARTMENT_EDITOR, agency)
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} – cán bộ {agency.name}")

        demo_framework = copy_framework(framework, DEMO_YEAR)
        local_now = timezone.localtime()
        deadline = timezone.make_aware(
            datetime.datetime.combine(local_now.date() + datetime.timedelta(days=10), datetime.time(17, 0))
        )
        assessment = open_assessment(
            province,
            demo_framework,
            phase=Assessment.Phase.SELF_ASSESSMENT,
            self_assessment_deadline=deadline,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đợt đánh giá mở để thử: {assessment} ({assessment.get_phase_display()}), "
                f"hạn {timezone.localtime(assessment.self_assessment_deadline):%H:%M %d/%m/%Y}"
                if assessment.self_assessment_deadline
                else f"Đợt đánh giá mở để thử: {assessment}"
            )
        )
