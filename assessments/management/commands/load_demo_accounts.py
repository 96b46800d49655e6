"""Demo accounts (one per role and one per responsible agency of the sample) and an open
demo assessment (Bình Phước 2024, self-assessment, with the 2023 tree copied); and a second
province, Đồng Nai (75, separate until the 1 July 2025 merger), with its own agencies, open
2024 assessment and accounts, so that the one-province rule can be tried by hand. Idempotent.

Demo only: never run this on a production database."""

import datetime
import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments import scoring
from assessments.demo_units import DEMO_UNITS, EDITOR_UNITS, demo_units, load_demo_block
from assessments.models import Agency, Assessment, Criterion, Framework, Profile, Role, Subject, SubjectKind
from assessments.services import copy_framework, open_assessment

DEMO_PASSWORD = "parindex-demo"  # noqa: S105 - demo accounts only, documented in README
SAMPLE_PROVINCE_CODE = "70"
SECOND_PROVINCE_CODE = "75"
SAMPLE_YEAR = 2023
DEMO_YEAR = 2024

ROLE_ACCOUNTS = [
    ("snv", "Chuyên viên", "Sở Nội vụ", Role.PROCESS_OWNER),
    ("thamdinh", "Thành viên", "Hội đồng thẩm định", Role.APPRAISER),
    ("lanhdao", "Lãnh đạo", "UBND tỉnh", Role.VIEWER),
]
# The second province's accounts: the same roles, suffixed "2", and one department editor.
SECOND_SUFFIX = "2"
SECOND_EDITOR_AGENCY = "STP"


def slug(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def editor_username(agency: Agency, suffix: str = "") -> str:
    return f"cb-{slug(agency.short_name or agency.name)}{suffix}"


def province_in_year(code: str, year: int) -> Subject | None:
    return (
        Subject.objects.filter(kind=SubjectKind.PROVINCE, code=code)
        .valid_in_year(year)
        .order_by("valid_from")
        .first()
    )


def mirror_agencies(source: Subject, target: Subject, framework: Framework, year: int) -> dict[str, Agency]:
    """The target province gets agencies of the same names as the source's (valid in the year)
    answering for the same criteria of the framework. By short name."""
    copies = {}
    for agency in Agency.objects.filter(province=source).valid_in_year(year):
        copy, _ = Agency.objects.update_or_create(
            province=target,
            name=agency.name,
            valid_from=agency.valid_from,
            defaults={
                "short_name": agency.short_name,
                "is_process_owner": agency.is_process_owner,
                "valid_until": agency.valid_until,
            },
        )
        copies[agency.pk] = copy
    for criterion in Criterion.objects.filter(framework=framework).prefetch_related("agencies"):
        counterparts = [copies[a.pk] for a in criterion.agencies.all() if a.pk in copies]
        if counterparts:
            criterion.agencies.add(*counterparts)
    return {copy.short_name: copy for copy in copies.values()}


class Command(BaseCommand):
    help = "Tạo các tài khoản minh họa (chỉ dùng cho bản demo, không bao giờ dùng trên máy chủ thật)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()

        def account(username, first, last, role=None, agency=None, province=None, **flags):
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@parindex.local"
            for key, value in flags.items():
                setattr(user, key, value)
            user.set_password(DEMO_PASSWORD)
            user.save()
            if role is not None:
                Profile.objects.update_or_create(
                    user=user, defaults={"role": role, "agency": agency, "province": province}
                )
            return user

        account("admin", "Quản trị", "hệ thống", is_staff=True, is_superuser=True)
        self.stdout.write(self.style.SUCCESS(f"Tài khoản quản trị: admin / {DEMO_PASSWORD}"))

        province = province_in_year(SAMPLE_PROVINCE_CODE, SAMPLE_YEAR)
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
        self.stdout.write(f"{province.title}:")
        for username, first, last, role in ROLE_ACCOUNTS:
            agency = owner if role == Role.PROCESS_OWNER else None
            account(username, first, last, role, agency, province)
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} – {Role(role).label}")

        result = scoring.compute(sample) if sample else scoring.compute_framework(framework)
        responsible = {a.pk for leaf in result.leaves() for a in leaf.responsible}
        for agency in Agency.objects.filter(pk__in=responsible).order_by("name"):
            username = editor_username(agency)
            account(username, "Cán bộ", agency.name, Role.DEPARTMENT_EDITOR, agency, province)
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} – cán bộ {agency.name}")

        demo_framework = copy_framework(framework, DEMO_YEAR)
        self.open_demo_assessment(province, demo_framework)
        self.load_unit_block(province, account)

        second = province_in_year(SECOND_PROVINCE_CODE, DEMO_YEAR)
        if second is None:
            return
        agencies = mirror_agencies(province, second, demo_framework, DEMO_YEAR)
        self.stdout.write(f"{second.title} (tỉnh thứ hai, không thấy dữ liệu của {province.title}):")
        for username, first, last, role in ROLE_ACCOUNTS:
            agency = agencies.get("SNV") if role == Role.PROCESS_OWNER else None
            username = f"{username}{SECOND_SUFFIX}"
            account(username, first, f"{last} {second.name}", role, agency, second)
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} – {Role(role).label}")
        editor_agency = agencies.get(SECOND_EDITOR_AGENCY)
        if editor_agency is not None:
            username = editor_username(editor_agency, SECOND_SUFFIX)
            account(
                username,
                "Cán bộ",
                f"{editor_agency.name} {second.name}",
                Role.DEPARTMENT_EDITOR,
                editor_agency,
                second,
            )
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} – cán bộ {editor_agency.name}")
        self.open_demo_assessment(second, demo_framework)

    def load_unit_block(self, province: Subject, account) -> None:
        """The province's own index: a block of departments, their 2024 framework, assessments
        taken through the cycle, and department editors for two of them (demo_units)."""
        names = {code: name for code, name, _short in DEMO_UNITS}
        _units, agencies = demo_units(province)
        editors = {
            code: account(username, "Cán bộ", names[code], Role.DEPARTMENT_EDITOR, agencies[code], province)
            for code, username in EDITOR_UNITS.items()
        }
        snv = get_user_model().objects.get(username="snv")
        block = load_demo_block(province, user=snv, editors=editors)
        self.stdout.write(
            f"Chỉ số CCHC các sở, ban, ngành năm {block.framework.year}: {len(block.units)} sở "
            f"(xếp hạng: python manage.py ranking --province {province.code} --year {block.framework.year} "
            "--kind department)"
        )
        for code, username in EDITOR_UNITS.items():
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} – cán bộ {names[code]} (tự đánh giá của sở)")

    def open_demo_assessment(self, province: Subject, framework: Framework) -> Assessment:
        local_now = timezone.localtime()
        deadline = timezone.make_aware(
            datetime.datetime.combine(local_now.date() + datetime.timedelta(days=10), datetime.time(17, 0))
        )
        assessment = open_assessment(
            province,
            framework,
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
        return assessment
