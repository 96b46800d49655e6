"""The department's entry page: its criteria in tree order, decimal comma or point, every
bad input refused in Vietnamese beside the field while the rest of what was typed is kept,
field sub-totals recomputed on the server."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Score

from .conftest import leaves_of


@pytest.fixture
def page(client, small):
    assessment, agency = small["assessment"], small["agency"]
    client.force_login(small["users"]["editor"])
    return {
        "client": client,
        "url": reverse("assessments:entry", args=[assessment.pk, agency.pk]),
        "leaves": leaves_of(assessment, agency),
        "assessment": assessment,
    }


@pytest.mark.django_db
def test_shows_only_the_agencys_criteria_in_tree_order(client, open_assessment, users, stp):
    client.force_login(users["editor"])
    html = client.get(reverse("assessments:entry", args=[open_assessment.pk, stp.pk])).content.decode()
    codes = [leaf.code for leaf in leaves_of(open_assessment, stp)]
    positions = [html.index(f'<td class="code">{code}</td>') for code in codes]
    assert positions == sorted(positions)
    assert '<td class="code">2</td>' in html  # the field heading
    assert '<td class="code">3.1</td>' not in html  # Văn phòng UBND's criterion
    survey = leaves_of(open_assessment, stp, survey=True)[0]
    assert f'<td class="code">{survey.code}</td>' in html
    assert f'name="self_score_{survey.criterion.pk}"' not in html  # survey criteria are read-only
    assert "Tổng điểm tự đánh giá của cơ quan" in html


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["0,9388", "0.9388", " 0,9388 "])
def test_accepts_decimal_comma_and_point(page, typed):
    leaf = next(n for n in page["leaves"] if n.max >= 1)
    cid = leaf.criterion.pk
    response = page["client"].post(
        page["url"], {f"version_{cid}": "0", f"self_score_{cid}": typed, f"explanation_{cid}": "Đã ban hành"}
    )
    assert response.status_code == 302
    score = Score.objects.get(assessment=page["assessment"], criterion_id=cid)
    assert score.self_score == Decimal("0.9388")
    assert score.explanation == "Đã ban hành"
    html = page["client"].get(page["url"]).content.decode()
    assert "0,9388" in html  # shown back with a decimal comma, sub-total recomputed


BAD_INPUTS = [
    ("-0,5", "không được âm"),
    ("99", "lớn hơn điểm tối đa"),
    ("0,12345", "quá 4 chữ số thập phân"),
    ("một điểm", "không phải là số"),
    ("1,2,3", "không phải là số"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "message"), BAD_INPUTS)
def test_refuses_bad_input_beside_the_field_keeping_what_was_typed(page, typed, message):
    first, second = page["leaves"][0], page["leaves"][1]
    a, b = first.criterion.pk, second.criterion.pk
    data = {
        f"version_{a}": "0",
        f"self_score_{a}": typed,
        f"explanation_{a}": "Giải trình A",
        f"version_{b}": "0",
        f"self_score_{b}": "0,25",
        f"explanation_{b}": "Giải trình B giữ nguyên",
    }
    response = page["client"].post(page["url"], data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_self_score_{a}-error"' in html  # beside the field it concerns
    assert f'value="{typed.strip()}"' in html or f'value="{typed}"' in html
    assert 'value="0,25"' in html
    assert "Giải trình B giữ nguyên" in html
    assert not Score.objects.filter(assessment=page["assessment"]).exists()  # nothing saved


@pytest.mark.django_db
def test_a_stored_value_changes_only_through_a_posted_field(page):
    """A crafted POST with a row's version and no score or explanation leaves the row as it
    is; a score posted without its explanation keeps the stored explanation."""
    leaf = page["leaves"][0]
    cid = leaf.criterion.pk
    client, url = page["client"], page["url"]
    client.post(url, {f"version_{cid}": "0", f"self_score_{cid}": "0,5", f"explanation_{cid}": "Có kế hoạch"})
    score = Score.objects.get(assessment=page["assessment"], criterion_id=cid)
    assert client.post(url, {f"version_{cid}": str(score.version)}).status_code == 302
    client.post(url, {f"version_{cid}": str(score.version), f"self_score_{cid}": "0,25"})
    score.refresh_from_db()
    assert score.self_score == Decimal("0.25")
    assert score.explanation == "Có kế hoạch"
    assert score.version == 2
