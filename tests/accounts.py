"""Accounts for the API and trends tests, made in one place.

Every account but the superuser belongs to a province (Profile.province).
"""

from django.contrib.auth import get_user_model

from assessments.models import Profile, Role

PASSWORD = "x-test-pass-123"


def make_account(username, role, province, agency=None):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.test"
    )
    if role == Role.DEPARTMENT_EDITOR and agency is None:
        raise ValueError("a department editor needs its agency")
    Profile.objects.create(user=user, role=role, agency=agency, province=province)
    return user
