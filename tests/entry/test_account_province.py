"""Every account but the superuser's works for one province: the profile refuses an account
without a province or with another province's agency (model and admin form), the migration
fills the province of existing accounts, and the demo has a second province to try it."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import permissions
from assessments.models import Agency, Assessment, Profile, Role, Subject, SubjectKind


@pytest.fixture
def other_province(db):
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Khác", code="98")
    return province, Agency.objects.create(province=province, name="Sở Tư pháp", short_name="STP")


@pytest.mark.django_db
def test_profile_needs_a_province_except_for_a_superuser(small, other_province):
    user = get_user_model().objects.create_user(username="moi", password="x-test-pass-123")
    with pytest.raises(ValidationError) as refused:
        Profile(user=user, role=Role.VIEWER).full_clean()
    assert "Phải chọn tỉnh" in str(refused.value.message_dict["province"])
    root = get_user_model().objects.create_user(username="root", password="x", is_superuser=True)
    Profile(user=root, role=Role.PROCESS_OWNER).full_clean()
    province = small["assessment"].subject
    with pytest.raises(ValidationError) as refused:
        Profile(
            user=user, role=Role.DEPARTMENT_EDITOR, agency=other_province[1], province=province
        ).full_clean()
    assert "không thuộc tỉnh Tỉnh Thử" in str(refused.value.message_dict["agency"])
    Profile(user=user, role=Role.VIEWER, province=province).full_clean()
    with pytest.raises(ValidationError) as refused:
        Profile(user=user, role=Role.DEPARTMENT_EDITOR, province=province).full_clean()
    assert "phải thuộc một cơ quan" in str(refused.value.message_dict["agency"])


@pytest.mark.django_db
def test_database_refuses_an_agency_without_its_province(small):
    user = get_user_model().objects.create_user(username="moi", password="x-test-pass-123")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Profile.objects.create(user=user, role=Role.DEPARTMENT_EDITOR, agency=small["agency"])


@pytest.mark.django_db
def test_admin_form_refuses_an_account_without_province(client, small, django_user_model):
    root = django_user_model.objects.create_user(
        username="root", password="x-test-pass-123", is_superuser=True, is_staff=True
    )
    user = django_user_model.objects.create_user(username="moi", password="x-test-pass-123")
    client.force_login(root)
    url = reverse("admin:assessments_profile_add")
    response = client.post(url, {"user": user.pk, "role": Role.APPRAISER, "province": "", "agency": ""})
    assert response.status_code == 200
    assert "Phải chọn tỉnh của tài khoản" in response.content.decode()
    assert not Profile.objects.filter(user=user).exists()
    province = small["assessment"].subject
    response = client.post(
        url, {"user": user.pk, "role": Role.APPRAISER, "province": province.pk, "agency": ""}
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=user).province == province


@pytest.mark.django_db
def test_demo_has_two_provinces_that_do_not_see_each_other(reference_data, client):
    call_command("load_demo_accounts", stdout=StringIO())
    call_command("load_demo_accounts", stdout=StringIO())  # idempotent
    users = {u.username: u for u in get_user_model().objects.select_related("parindex_profile__province")}
    for name in ("snv", "thamdinh", "lanhdao", "cb-stp"):
        assert users[name].parindex_profile.province.code == "70", name
    for name in ("snv2", "thamdinh2", "lanhdao2", "cb-stp2"):
        assert users[name].parindex_profile.province.code == "75", name
    binh_phuoc = Assessment.objects.get(subject__code="70", framework__year=2024)
    dong_nai = Assessment.objects.get(subject__code="75", framework__year=2024)
    # the two provinces' own assessments (Bình Phước's departments have theirs: demo_units)
    assert Assessment.objects.filter(framework__year=2024, subject__kind="province").count() == 2
    assert set(permissions.visible_assessments(users["snv2"])) == {dong_nai}
    assert binh_phuoc in set(permissions.visible_assessments(users["snv"]))
    assert dong_nai not in set(permissions.visible_assessments(users["snv"]))
    stp2 = users["cb-stp2"].parindex_profile.agency
    assert stp2.province.code == "75"
    client.force_login(users["cb-stp2"])
    assert client.get(reverse("assessments:entry", args=[dong_nai.pk, stp2.pk])).status_code == 200
    assert client.get(reverse("assessments:my_entry", args=[binh_phuoc.pk])).status_code == 404
    client.force_login(users["snv2"])
    assert client.get(reverse("assessments:progress", args=[binh_phuoc.pk])).status_code == 404
    assert client.get(reverse("assessments:progress", args=[dong_nai.pk])).status_code == 200


@pytest.mark.django_db
def test_staff_account_gives_accounts_only_its_own_province(client, small, other_province, django_user_model):
    owner = small["users"]["process_owner"]
    owner.is_staff = True
    owner.save()
    owner.user_permissions.set(Permission.objects.filter(codename__endswith="_profile"))
    newcomer = django_user_model.objects.create_user(username="moi", password="x-test-pass-123")
    client.force_login(owner)
    url = reverse("admin:assessments_profile_add")
    data = {"user": newcomer.pk, "role": Role.VIEWER, "agency": ""}
    response = client.post(url, {**data, "province": other_province[0].pk})
    assert response.status_code == 200
    assert not Profile.objects.filter(user=newcomer).exists()
    response = client.post(url, {**data, "province": small["assessment"].subject.pk})
    assert response.status_code == 302
    assert Profile.objects.get(user=newcomer).province == small["assessment"].subject
