"""Declaring figures on the entry page (issue 12 §2): a criterion with a rule asks for its
figures with their labels, the score box beside them is read-only and the server computes the
score stored with them; a bad figure is refused in Vietnamese beside the field, naming the
criterion, and nothing changes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import RuleKind, Score


@pytest.fixture
def rules_world(client, small):
    """The small world with 1.1 scored by "tỷ lệ" (max 1) and 1.2 by "phần trăm" (max 2)."""
    criteria = small["criteria"]
    criteria["1.1"].rule_kind = RuleKind.RATIO
    criteria["1.1"].figure_labels = "số nhiệm vụ hoàn thành / tổng số nhiệm vụ"
    criteria["1.1"].save()
    criteria["1.2"].rule_kind = RuleKind.PERCENTAGE
    criteria["1.2"].figure_labels = "tỷ lệ hồ sơ trực tuyến"
    criteria["1.2"].save()
    client.force_login(small["users"]["editor"])
    return {
        "client": client,
        "assessment": small["assessment"],
        "url": reverse("assessments:entry", args=[small["assessment"].pk, small["agency"].pk]),
        "ratio": criteria["1.1"].pk,
        "percent": criteria["1.2"].pk,
    }


def _score(world, cid):
    return Score.objects.filter(assessment=world["assessment"], criterion_id=cid).first()


@pytest.mark.django_db
def test_the_page_asks_for_figures_with_their_labels_and_the_rule(rules_world):
    html = rules_world["client"].get(rules_world["url"]).content.decode()
    cid = rules_world["ratio"]
    assert f'name="self_figures_{cid}_0"' in html and f'name="self_figures_{cid}_1"' in html
    assert "số nhiệm vụ hoàn thành" in html and "tổng số nhiệm vụ" in html
    assert f'name="self_figures_{rules_world["percent"]}_0"' in html
    assert f'name="self_figures_{rules_world["percent"]}_1"' not in html  # one box for a percentage
    assert "Cách tính điểm:" in html and "Điểm = 1 × số nhiệm vụ hoàn thành / tổng số nhiệm vụ" in html
    # The score box of a criterion with a rule is read-only: the figures give the score.
    box = html[html.index(f'id="id_self_score_{cid}"') - 300 : html.index(f'id="id_self_score_{cid}"') + 50]
    assert "readonly" in box
    assert "<script>" not in html  # the live score comes from a static file (CSP)


@pytest.mark.django_db
def test_declared_figures_are_stored_with_the_score_they_give(rules_world):
    client, url, cid, pid = (
        rules_world["client"],
        rules_world["url"],
        rules_world["ratio"],
        rules_world["percent"],
    )
    response = client.post(
        url,
        {
            f"version_{cid}": "0",
            f"self_figures_{cid}_0": "40",
            f"self_figures_{cid}_1": "41",
            f"self_score_{cid}": "0,5",  # whatever the read-only box says, the figures decide
            f"version_{pid}": "0",
            f"self_figures_{pid}_0": "98,49",
            f"self_score_{pid}": "",
        },
    )
    assert response.status_code == 302
    ratio, percent = _score(rules_world, cid), _score(rules_world, pid)
    assert (ratio.self_figures, ratio.self_score) == ("40/41", Decimal("0.9756"))
    assert (percent.self_figures, percent.self_score) == ("98,49%", Decimal("1.9698"))
    assert ratio.history.first().self_figures == "40/41"  # in the history too
    html = client.get(url).content.decode()
    assert 'value="40"' in html and 'value="41"' in html and 'value="0,9756"' in html


@pytest.mark.django_db
def test_clearing_the_figures_clears_the_score_they_gave(rules_world):
    client, url, cid = rules_world["client"], rules_world["url"], rules_world["ratio"]
    client.post(url, {f"version_{cid}": "0", f"self_figures_{cid}_0": "1", f"self_figures_{cid}_1": "2"})
    score = _score(rules_world, cid)
    assert score.self_score == Decimal("0.5")
    client.post(
        url,
        {
            f"version_{cid}": str(score.version),
            f"self_figures_{cid}_0": "",
            f"self_figures_{cid}_1": "",
            f"self_score_{cid}": "0,5",
        },
    )
    score.refresh_from_db()
    assert (score.self_figures, score.self_score) == ("", None)


BAD_FIGURES = [
    ("ratio", ("40", "0"), "mẫu số bằng 0"),
    ("ratio", ("42", "41"), "tử số lớn hơn mẫu số"),
    ("ratio", ("-1", "41"), "không được âm"),
    ("ratio", ("abc", "41"), "không phải là số"),
    ("ratio", ("40", ""), "nhập cả tổng số nhiệm vụ"),
    ("percent", ("101",), "lớn hơn 100%"),
    ("percent", ("abc",), "không phải là số"),
    ("percent", ("-5",), "không được âm"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("which", "typed", "message"), BAD_FIGURES)
def test_bad_figures_are_refused_beside_the_field_and_change_nothing(rules_world, which, typed, message):
    client, url = rules_world["client"], rules_world["url"]
    cid = rules_world[which]
    client.post(url, {f"version_{cid}": "0", f"explanation_{cid}": "Trước"})
    before = _score(rules_world, cid)
    data = {f"version_{cid}": str(before.version), f"explanation_{cid}": "Sau"}
    data |= {f"self_figures_{cid}_{i}": text for i, text in enumerate(typed)}
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    error = html[html.index(f'id="id_self_figures_{cid}-error"') :][:400]
    assert message in error
    assert "1.1" in error or "1.2" in error  # names the criterion
    after = _score(rules_world, cid)
    assert (after.version, after.explanation, after.self_figures) == (before.version, "Trước", "")
    assert f'value="{typed[0]}"' in html  # what was typed is kept


@pytest.mark.django_db
def test_a_score_stored_without_figures_is_kept_when_the_page_is_saved(rules_world, small):
    """A score imported before the rule (no figures) is not cleared by saving the page."""

    cid = rules_world["ratio"]
    Score.objects.create(assessment=rules_world["assessment"], criterion_id=cid, self_score=Decimal("0.8"))
    response = rules_world["client"].post(
        rules_world["url"],
        {
            f"version_{cid}": "0",
            f"self_figures_{cid}_0": "",
            f"self_figures_{cid}_1": "",
            f"self_score_{cid}": "0,8",
        },
    )
    assert response.status_code == 302
    assert _score(rules_world, cid).self_score == Decimal("0.8")
