from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"Thiếu migration:\n{out.getvalue()}" if exc.code else "")


@pytest.mark.django_db(transaction=True)
def test_existing_accounts_get_a_province():
    """0005: an account with an agency gets the agency's province; one without (an appraiser,
    a viewer) the only province that has agencies; a superuser stays without."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("assessments", "0004_framework_owner")], [("assessments", "0005_profile_province")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    province = old.get_model("assessments", "Subject").objects.create(kind="province", name="Tỉnh Thử")
    agency = old.get_model("assessments", "Agency").objects.create(province=province, name="Sở Tư pháp")
    User, Profile = old.get_model("auth", "User"), old.get_model("assessments", "Profile")
    editor = Profile.objects.create(
        user=User.objects.create(username="bob"), role="department_editor", agency=agency
    )
    viewer = Profile.objects.create(user=User.objects.create(username="erin"), role="viewer")
    root = Profile.objects.create(user=User.objects.create(username="root", is_superuser=True), role="viewer")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("assessments", "Profile")
    provinces = dict(new.objects.values_list("pk", "province_id"))
    assert provinces == {editor.pk: province.pk, viewer.pk: province.pk, root.pk: None}
    call_command("migrate", verbosity=0)
