"""What the entry-page browser tests share: a 2024 assessment of Bình Phước copied from the
reference, named accounts, logging in, and a page that records every error it meets."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Agency, Assessment, Profile

PASSWORD = "Mat-khau-thu-2024"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_2024():
    sample = Assessment.objects.get(subject__code="70", framework__year=2023)
    framework = services.copy_framework(sample.framework, 2024)
    return services.open_assessment(
        sample.subject, framework, self_assessment_deadline=timezone.now() + datetime.timedelta(days=6)
    )


def agency(assessment, short_name):
    return Agency.objects.get(province=assessment.subject, short_name=short_name)


def make_user(username, role, agency_, name=("Lan", "Nguyễn Thị")):
    first, last = name
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last
    )
    Profile.objects.create(user=user, role=role, agency=agency_, province=agency_.province)
    return user


def fill_except(assessment, agency_, user, keep=()):
    """Score every self-assessed leaf the agency leads with 0, except the codes in `keep`."""
    result = scoring.compute(assessment)
    rows = {
        n.criterion.pk: services.RowInput(0, {"self_score": Decimal("0"), "explanation": "Đạt một phần"})
        for n in scoring.lead_leaves(result, agency_.pk)
        if not n.is_survey and n.code not in keep
    }
    services.save_part(user=user, assessment=assessment, agency=agency_, rows=rows)


def login(page, base, username, password=PASSWORD):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(f"{base}/")


def watched_page(context):
    """A page that accepts confirmations and records HTTP errors and script errors."""
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Script errors the console reports (a failed request is already recorded above).
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    return page, errors
