"""Accounts for the API and trends tests, made in one place.

Every account but the superuser belongs to a province. Until Profile has its own `province`
field the province is the one of the account's agency, so an account without an agency of
its own gets the province's "Văn phòng UBND" as agency. When Profile.province exists, set it
here (`Profile.objects.create(..., province=province)`) and the tests follow.
"""

from django.contrib.auth import get_user_model

from assessments.models import Agency, Profile, Role

PASSWORD = "x-test-pass-123"


def home_agency(province):
    agency, _ = Agency.objects.get_or_create(
        province=province, name="Văn phòng UBND tỉnh (tài khoản thử)", defaults={"short_name": "VPTEST"}
    )
    return agency


def make_account(username, role, province, agency=None):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.test"
    )
    if role == Role.DEPARTMENT_EDITOR and agency is None:
        raise ValueError("a department editor needs its agency")
    Profile.objects.create(user=user, role=role, agency=agency or home_agency(province))
    return user
