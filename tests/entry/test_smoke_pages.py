import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_render_for_each_role(client, open_assessment, users, stp):
    for user in users.values():
        client.force_login(user)
        assert client.get(reverse("assessments:home")).status_code == 200
    client.force_login(users["editor"])
    response = client.get(reverse("assessments:entry", args=[open_assessment.pk, stp.pk]))
    assert response.status_code == 200
    client.force_login(users["process_owner"])
    assert client.get(reverse("assessments:progress", args=[open_assessment.pk])).status_code == 200
    assert client.get(reverse("assessments:appraisal", args=[open_assessment.pk])).status_code == 200
    assert client.get(reverse("assessments:entry", args=[open_assessment.pk, stp.pk])).status_code == 200
