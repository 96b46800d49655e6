"""What a department's page and home say is true (issue 13 items 4, 5, 11): the subtotal's
maximum counts what the agency enters, the status follows the phase (sent, appraised, locked,
published), a returned part shows its reason on the home page, and after the lock the clerk
still reaches its part and its results, read-only, while the province's report stays closed
to it (docs/permissions.md)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Score

from .conftest import fill_all


def _entry_url(small):
    return reverse("assessments:entry", args=[small["assessment"].pk, small["agency"].pk])


@pytest.mark.django_db
def test_subtotal_maximum_counts_only_what_the_agency_enters(client, small):
    """Field 1 is worth 4 points, 1 of them from the leader survey: Sở Tư pháp enters 3."""
    client.force_login(small["users"]["editor"])
    html = client.get(_entry_url(small)).content.decode()
    assert "Tổng điểm tự đánh giá của cơ quan: <output" in html
    subtotal = html[html.index('data-subtotal-for="1"') :][:300]
    assert "/ 3</span>" in subtotal


@pytest.mark.django_db
def test_the_status_follows_the_phase(client, small):
    assessment, stp, users = small["assessment"], small["agency"], small["users"]
    client.force_login(users["editor"])
    assert "Bản nháp, chưa gửi" in client.get(_entry_url(small)).content.decode()
    fill_all(assessment, stp, users["editor"], "0.5")
    services.submit_part(user=users["editor"], assessment=assessment, agency=stp)
    html = client.get(_entry_url(small)).content.decode()
    assert ">Đã gửi<" in html and "Bản nháp" not in html
    services.set_phase(user=users["process_owner"], assessment=assessment, phase=Assessment.Phase.APPRAISAL)
    html = client.get(_entry_url(small)).content.decode()
    assert "Đang thẩm định" in html and "Đã gửi tự đánh giá lúc" in html
    assert "Bản nháp, chưa gửi" not in html and "không có thời hạn" not in html


@pytest.mark.django_db
def test_home_says_returned_with_the_reason(client, small):
    assessment, stp, users = small["assessment"], small["agency"], small["users"]
    fill_all(assessment, stp, users["editor"], "0.5")
    services.submit_part(user=users["editor"], assessment=assessment, agency=stp)
    services.return_part(
        user=users["process_owner"], assessment=assessment, agency=stp, comment="Bổ sung kế hoạch 1.2"
    )
    client.force_login(users["editor"])
    html = client.get(reverse("assessments:home")).content.decode()
    due = html[html.index('id="due-title"') :]
    assert "bị trả lại" in due and "Bổ sung kế hoạch 1.2" in due
    assert "chưa gửi" not in due[: due.index("</li>")]


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [Assessment.Phase.APPRAISAL, Assessment.Phase.PUBLISHED])
def test_after_the_lock_the_clerk_reaches_its_part_and_results_read_only(client, small, phase):
    assessment, stp, users = small["assessment"], small["agency"], small["users"]
    fill_all(assessment, stp, users["editor"], "0.5")
    services.submit_part(user=users["editor"], assessment=assessment, agency=stp)
    leaf = small["criteria"]["1.1"]
    Score.objects.filter(assessment=assessment, criterion=leaf).update(
        appraised_score=Decimal("0.25"), appraisal_comment="Thiếu báo cáo quý IV"
    )
    services.lock(user=users["process_owner"], assessment=assessment, reason="Chốt kết quả")
    Assessment.objects.filter(pk=assessment.pk).update(phase=phase)
    client.force_login(users["editor"])
    home = client.get(reverse("assessments:home")).content.decode()
    url = _entry_url(small)
    assert url in home and "Phần việc và kết quả của cơ quan" in home
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã khóa" in html
    assert f'name="self_score_{leaf.pk}"' not in html and 'value="save"' not in html
    if phase == Assessment.Phase.PUBLISHED:  # the council's results and remarks are shown
        assert "0,25" in html and "Thiếu báo cáo quý IV" in html
    # Read-only: a direct POST is refused and changes nothing.
    before = Score.objects.get(assessment=assessment, criterion=leaf).self_score
    assert client.post(url, {f"version_{leaf.pk}": "1", f"self_score_{leaf.pk}": "1"}).status_code == 403
    assert Score.objects.get(assessment=assessment, criterion=leaf).self_score == before
    # The province's report stays Sở Nội vụ's, the council's and the leadership's.
    assert client.get(reverse("reports:detail", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:progress", args=[assessment.pk])).status_code == 404
    # Another agency's part stays out of reach.
    other = reverse("assessments:entry", args=[assessment.pk, small["other"].pk])
    assert client.get(other).status_code == 404


@pytest.mark.django_db
def test_a_clerk_does_not_see_an_assessment_in_preparation(client, small):
    Assessment.objects.filter(pk=small["assessment"].pk).update(phase=Assessment.Phase.PREPARATION)
    client.force_login(small["users"]["editor"])
    assert client.get(_entry_url(small)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [("1.2", ["1.2"], ["1.1"]), ("tieu chi 1.1", ["1.1"], ["1.2"]), ("TIÊU CHÍ", ["1.1", "1.2"], [])],
)
def test_search_finds_a_criterion_by_code_or_words(client, small, query, found, not_found):
    client.force_login(small["users"]["editor"])
    html = client.get(_entry_url(small), {"q": query}).content.decode()
    for code in found:
        assert f'data-code="{code}"' in html
    for code in not_found:
        assert f'data-code="{code}"' not in html


@pytest.mark.django_db
def test_a_search_keeps_the_fields_whole_subtotal(client, small):
    """Listing only 1.2 still totals the agency's whole part of field 1 (1.1 included)."""
    from .conftest import fill_all

    fill_all(small["assessment"], small["agency"], small["users"]["editor"], "0.5")
    client.force_login(small["users"]["editor"])
    html = client.get(_entry_url(small), {"q": "1.2"}).content.decode()
    assert 'data-code="1.1"' not in html
    subtotal = html[html.index('data-subtotal-for="1"') :][:300]
    assert ">1</output> / 3</span>" in subtotal


@pytest.mark.django_db
def test_search_without_a_match_says_so(client, small):
    client.force_login(small["users"]["editor"])
    html = client.get(_entry_url(small), {"q": "không có từ này"}).content.decode()
    assert "Không có tiêu chí nào của cơ quan khớp với “không có từ này”" in html
