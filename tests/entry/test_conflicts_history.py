"""No lost updates (optimistic locking on Score.version) and the per-criterion history."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import ChangeSource, Score

from .conftest import leaves_of


@pytest.fixture
def two_editors(open_assessment, users, stp, make_user):
    from assessments.models import Role

    second = make_user("bob2", Role.DEPARTMENT_EDITOR, stp, first_name="Bình", last_name="Trần")
    first, other = Client(), Client()
    first.force_login(users["editor"])
    other.force_login(second)
    return first, other


@pytest.mark.django_db
def test_second_save_of_the_same_criterion_is_refused_with_the_newer_value(two_editors, open_assessment, stp):
    first, second = two_editors
    leaf, untouched = leaves_of(open_assessment, stp)[:2]
    cid, uid = leaf.criterion.pk, untouched.criterion.pk
    url = reverse("assessments:entry", args=[open_assessment.pk, stp.pk])
    # Both open the page at version 0; the first saves.
    assert first.post(url, {f"version_{cid}": "0", f"self_score_{cid}": "0,75"}).status_code == 302
    # The second saves the same criterion from the stale page (and leaves another untouched).
    response = second.post(
        url,
        {f"version_{cid}": "0", f"self_score_{cid}": "0,5", f"version_{uid}": "0", f"self_score_{uid}": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "0,75" in html and "đã sửa tiêu chí này" in html
    assert 'value="0,5"' in html  # what the second user typed is kept
    score = Score.objects.get(assessment=open_assessment, criterion_id=cid)
    assert score.self_score == Decimal("0.75") and score.version == 1  # not overwritten
    # Saving again, having seen the newer value, overwrites on purpose.
    assert second.post(url, {f"version_{cid}": "1", f"self_score_{cid}": "0,5"}).status_code == 302
    assert Score.objects.get(pk=score.pk).self_score == Decimal("0.5")


@pytest.mark.django_db
def test_a_row_left_untouched_on_a_stale_page_is_not_a_conflict(open_assessment, users, stp):
    leaf = leaves_of(open_assessment, stp)[0]
    cid = leaf.criterion.pk
    editor = users["editor"]
    row = services.RowInput(0, {"self_score": Decimal("0.5"), "explanation": ""})
    services.save_part(user=editor, assessment=open_assessment, agency=stp, rows={cid: row})
    # Another page opened at version 1 posts the same values it showed: no conflict, no write.
    services.save_part(
        user=editor,
        assessment=open_assessment,
        agency=stp,
        rows={cid: services.RowInput(1, {"self_score": Decimal("0.5"), "explanation": ""})},
    )
    services.save_part(
        user=editor,
        assessment=open_assessment,
        agency=stp,
        rows={cid: services.RowInput(1, {"self_score": Decimal("0.25"), "explanation": ""})},
    )
    # A page still at version 1 that did not touch the row keeps the newer value.
    saved = services.save_part(
        user=editor,
        assessment=open_assessment,
        agency=stp,
        rows={cid: services.RowInput(1, {"self_score": Decimal("0.5"), "explanation": ""})},
    )
    assert saved == []
    assert Score.objects.get(assessment=open_assessment, criterion_id=cid).self_score == Decimal("0.25")
    with pytest.raises(services.ConflictError):
        services.save_part(
            user=editor,
            assessment=open_assessment,
            agency=stp,
            rows={cid: services.RowInput(1, {"self_score": Decimal("0.1"), "explanation": ""})},
        )


@pytest.mark.django_db
def test_history_shows_who_when_old_new_and_source(client, open_assessment, users, stp):
    leaf = leaves_of(open_assessment, stp)[0]
    cid = leaf.criterion.pk
    client.force_login(users["editor"])
    url = reverse("assessments:entry", args=[open_assessment.pk, stp.pk])
    client.post(url, {f"version_{cid}": "0", f"self_score_{cid}": "0,5", f"explanation_{cid}": "Lần đầu"})
    client.post(url, {f"version_{cid}": "1", f"self_score_{cid}": "0,25", f"explanation_{cid}": "Lần đầu"})
    score = Score.objects.get(assessment=open_assessment, criterion_id=cid)
    score.self_score = Decimal("0.3")
    score._change_source = ChangeSource.IMPORT
    score.save()
    records = list(score.history.order_by("history_date"))
    assert [r.change_source for r in records] == ["form", "form", "import"]
    assert records[0].history_user == users["editor"]
    html = client.get(
        reverse("assessments:criterion_history", args=[open_assessment.pk, cid])
    ).content.decode()
    assert '0,5</span> → <span class="new">0,25' in html
    assert "Trang nhập liệu" in html and "Nhập từ tệp" in html
    assert "<td>bob</td>" in html


@pytest.mark.django_db
def test_history_shows_submission_and_return(client, open_assessment, users, stp):
    from .conftest import fill_all

    fill_all(open_assessment, stp, users["editor"], "0")
    services.submit_part(user=users["editor"], assessment=open_assessment, agency=stp)
    services.return_part(
        user=users["process_owner"], assessment=open_assessment, agency=stp, comment="Thiếu minh chứng"
    )
    client.force_login(users["editor"])
    cid = leaves_of(open_assessment, stp)[0].criterion.pk
    html = client.get(
        reverse("assessments:criterion_history", args=[open_assessment.pk, cid])
    ).content.decode()
    assert "Gửi" in html and "Trả lại" in html and "Thiếu minh chứng" in html
