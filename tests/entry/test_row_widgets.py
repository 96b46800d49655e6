"""The entry form's boxes write their own tags (assessments.widgets, for trees of hundreds of
criteria): each must be what Django's own widget would render for the same bound field — the
same tags, attributes and values, unbound and after a refused POST, with errors — so that the
fast path cannot drift from Django's."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms

from assessments import scoring
from assessments.figure_inputs import split_figure
from assessments.forms import AppraisalForm, EntryForm
from assessments.models import Assessment, Score, Stage
from assessments.widgets import HiddenInput, Textarea, TextInput


class Tags(HTMLParser):
    """The tags of a piece of HTML with their attributes, and the text inside each."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[list] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append([tag, dict(attrs), ""])

    def handle_data(self, data):
        if self.found:
            self.found[-1][2] += data


def tags(html) -> list:
    return Tags(str(html)).found


def django_widget(widget):
    """Django's own widget with the same attributes as one of ours."""
    for ours, theirs in (
        (TextInput, forms.TextInput),
        (HiddenInput, forms.HiddenInput),
        (Textarea, forms.Textarea),
    ):
        if type(widget) is ours:
            return theirs(attrs=dict(widget.attrs))
    raise AssertionError(f"not one of the direct widgets: {widget!r}")


@pytest.fixture
def world(small):
    """The small world with a ratio rule on 1.2 and stored scores (figures on 1.2; a score
    and an explanation that needs escaping on 1.1)."""
    criteria = small["criteria"]
    scoring.parse_notation("tỷ lệ [số việc xong / tổng số việc]").apply_to(criteria["1.2"])
    criteria["1.2"].save()
    assessment = small["assessment"]
    Score.objects.create(
        assessment=assessment,
        criterion=criteria["1.1"],
        self_score=Decimal("0.5"),
        explanation='Đã ban hành "kế hoạch" <số 12> & báo cáo\nQuý 2',
        version=3,
    )
    Score.objects.create(
        assessment=assessment,
        criterion=criteria["1.2"],
        self_score=Decimal("1.5"),
        self_figures="3/4",
        version=2,
    )
    return small


def entry_form(world, data=None, stage=Stage.SELF_ASSESSMENT) -> tuple[EntryForm, dict]:
    result = scoring.compute(world["assessment"])
    leaves = [n for n in scoring.responsible_leaves(result, world["agency"].pk) if not n.is_survey]
    form = EntryForm(leaves, stage, data)
    if data is not None:
        assert not form.is_valid()
    return form, {n.code: n.criterion.pk for n in leaves}


REFUSED = {  # by code, the boxes posted ("self_figures" and a box number: "self_figures_<id>_0")
    "1.1": {"self_score": "9,9", "explanation": 'giữ <lại> "đây" & đó\r\nhai', "version": "abc"},
    "1.2": {"self_figures 0": "-3", "self_figures 1": "", "explanation": "", "version": "2"},
}


def refused_post(ids) -> dict:
    posted = {}
    for code, row in REFUSED.items():
        for key, value in row.items():
            name, _, box = key.partition(" ")
            posted[f"{name}_{ids[code]}" + (f"_{box}" if box else "")] = value
    return posted


def assert_same_as_django(bound):
    ours = str(bound)
    theirs = bound.as_widget(widget=django_widget(bound.field.widget))
    assert tags(ours) == tags(theirs), (ours, theirs)
    return tags(ours)


@pytest.mark.django_db
def test_score_textarea_and_version_are_what_django_renders_unbound(world):
    form, ids = entry_form(world)
    cid = ids["1.1"]
    [(tag, attrs, _)] = assert_same_as_django(form[f"self_score_{cid}"])
    assert tag == "input" and attrs["value"] == "0,5" and attrs["id"] == f"id_self_score_{cid}"
    assert attrs["data-field"] == "1" and attrs["data-counted"] == "0.5000" and attrs["data-empty"] == "0"
    assert "aria-invalid" not in attrs
    [(tag, attrs, text)] = assert_same_as_django(form[f"explanation_{cid}"])
    assert tag == "textarea" and text == '\nĐã ban hành "kế hoạch" <số 12> & báo cáo\nQuý 2'
    assert attrs == {
        "name": f"explanation_{cid}",
        "cols": "40",
        "rows": "2",
        "maxlength": "5000",
        "id": f"id_explanation_{cid}",
    }
    [(tag, attrs, _)] = assert_same_as_django(form[f"version_{cid}"])
    assert attrs == {"type": "hidden", "name": f"version_{cid}", "value": "3", "id": f"id_version_{cid}"}
    # the computed score beside figures: read-only, out of the tab order
    [(_, attrs, _)] = assert_same_as_django(form[f"self_score_{ids['1.2']}"])
    assert (
        attrs["readonly"] is None and attrs["tabindex"] == "-1" and attrs["class"] == "score-input computed"
    )


@pytest.mark.django_db
def test_boxes_after_a_refused_post_keep_what_was_typed_with_errors_as_django_renders_them(world):
    form, ids = entry_form(world)
    form, ids = entry_form(world, refused_post(ids))
    cid = ids["1.1"]
    [(_, attrs, _)] = assert_same_as_django(form[f"self_score_{cid}"])
    assert attrs["value"] == "9,9"
    assert attrs["aria-invalid"] == "true" and attrs["aria-describedby"] == f"id_self_score_{cid}_error"
    [(_, attrs, text)] = assert_same_as_django(form[f"explanation_{cid}"])
    assert text == '\ngiữ <lại> "đây" & đó\r\nhai' and "aria-invalid" not in attrs
    [(_, attrs, _)] = assert_same_as_django(form[f"version_{cid}"])
    assert attrs["value"] == "abc" and "aria-invalid" not in attrs  # a hidden box is never marked
    assert form.errors[f"version_{cid}"]
    # An error added after validation (a conflict) marks the box as Django would.
    form.add_error(f"explanation_{cid}", "Người khác đã sửa.")
    [(_, attrs, _)] = assert_same_as_django(form[f"explanation_{cid}"])
    assert attrs["aria-invalid"] == "true"


@pytest.mark.django_db
@pytest.mark.parametrize("refused", [False, True], ids=["unbound", "refused"])
def test_figure_boxes_are_what_a_django_multiwidget_of_text_inputs_renders(world, refused):
    """The figure boxes (figure_inputs.FigureWidget) post `<name>_0` and `<name>_1`, as a
    MultiWidget does: each box has the name, id, value and attributes Django would give it.
    Two differences, as before the direct widgets: an empty box writes value="" (Django leaves
    the attribute out: the same empty box), and the boxes do not repeat aria-invalid (the error
    paragraph beside them says it, and their aria-describedby points to it)."""
    form, ids = entry_form(world)
    if refused:
        form, ids = entry_form(world, refused_post(ids))
    cid = ids["1.2"]
    bound = form[f"self_figures_{cid}"]
    box = {"inputmode": "decimal", "autocomplete": "off", "class": "figure-input"}
    multi = forms.MultiWidget([forms.TextInput(attrs=box), forms.TextInput(attrs=box)])
    multi.decompress = lambda value: split_figure(value, "pair")  # type: ignore[method-assign]
    theirs = [attrs for tag, attrs, _ in tags(bound.as_widget(widget=multi)) if tag == "input"]
    ours = tags(bound)
    boxes = [attrs for tag, attrs, _ in ours if tag == "input"]
    assert len(boxes) == len(theirs) == 2
    for number, (attrs, expected) in enumerate(zip(boxes, theirs, strict=True)):
        assert attrs.pop("data-part") == str(number)
        if attrs["value"] == "":
            del attrs["value"]
        assert expected.pop("aria-invalid", "true") == "true"
        assert attrs == expected
    if refused:
        assert [b.get("value") for b in boxes] == ["-3", None]
        assert boxes[0]["aria-describedby"] == f"id_self_figures_{cid}_error"
        assert form.errors[f"self_figures_{cid}"]
    else:
        assert [b.get("value") for b in boxes] == ["3", "4"] and "aria-describedby" not in boxes[0]
    div = ours[0][1]
    assert div["id"] == f"id_self_figures_{cid}" and div["data-score-target"] == f"id_self_score_{cid}"
    labels = [attrs["for"] for tag, attrs, _ in ours if tag == "label"]
    assert labels == [f"id_self_figures_{cid}_0", f"id_self_figures_{cid}_1"]


@pytest.mark.django_db
def test_explanation_stage_answer_box_is_what_django_renders(world):
    form, ids = entry_form(world, stage=Stage.EXPLANATION)
    [(tag, attrs, text)] = assert_same_as_django(form[f"response_{ids['1.1']}"])
    assert tag == "textarea" and text == "\n" and attrs["rows"] == "2"


@pytest.mark.django_db
def test_appraisal_form_boxes_are_what_django_renders(world):
    assessment = world["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.APPRAISAL)
    assessment.refresh_from_db()
    leaves = [n for n in scoring.compute(assessment).leaves() if n.applicable]
    for data in (None, {f"score_{leaves[0].criterion.pk}": "-1", f"figures_{leaves[1].criterion.pk}": "5/4"}):
        form = AppraisalForm(leaves, assessment.phase, data)
        assert form.is_valid() is (data is None and False)  # an unbound form is never valid
        names = set(form.fields)
        assert {f"figures_{leaves[1].criterion.pk}", f"reason_{leaves[1].criterion.pk}"} <= names
        for name in names:
            assert_same_as_django(form[name])
