"""The report page, its downloads and the narrative editor: permissions, history, caching."""

import pytest
from django.urls import reverse

from reports.models import ReportNarrative
from reports.services import save_narrative

pytestmark = pytest.mark.django_db


def detail(a):
    return reverse("reports:detail", kwargs={"pk": a.pk})


def edit(a):
    return reverse("reports:edit", kwargs={"pk": a.pk})


def download(a, fmt):
    return reverse("reports:download", kwargs={"pk": a.pk, "fmt": fmt})


# --- permission matrix ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("editor", 404)])
def test_only_home_affairs_edits(client, sample_assessment, request, who, status, method):
    """The leadership reads the report but may not edit it (403); it is outside a department
    editor's scope altogether (404, as the progress page)."""
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)(edit(sample_assessment), {"assessment_text": "Sửa trộm"})
    assert response.status_code == status
    assert not ReportNarrative.objects.filter(assessment=sample_assessment).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, sample_assessment, method):
    for url in (detail(sample_assessment), edit(sample_assessment), download(sample_assessment, "pdf")):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert reverse("login") in response["Location"]


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("viewer", 200), ("editor", 404)])
def test_who_reads_the_report(client, sample_assessment, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(detail(sample_assessment)).status_code == status


def test_department_editor_cannot_download(client, editor, sample_assessment):
    client.force_login(editor)
    assert client.get(download(sample_assessment, "pdf")).status_code == 404
    assert client.get(download(sample_assessment, "docx")).status_code == 404


def test_unknown_assessment_is_404(client, owner, reference_data):
    client.force_login(owner)
    assert client.get(reverse("reports:detail", kwargs={"pk": 99999})).status_code == 404


def test_unknown_format_is_refused(client, owner, sample_assessment):
    client.force_login(owner)
    assert client.get(download(sample_assessment, "exe")).status_code == 404


# --- the page -------------------------------------------------------------------------------


def test_page_shows_figures_and_buttons(client, owner, sample_assessment):
    client.force_login(owner)
    page = client.get(detail(sample_assessment)).content.decode()
    assert "88,01/100 điểm" in page
    assert download(sample_assessment, "pdf") in page
    assert download(sample_assessment, "docx") in page
    assert edit(sample_assessment) in page
    assert "<script>" not in page  # CSP: no inline script
    assert "<svg" in page and "<?xml" not in page


def test_viewer_sees_no_edit_button(client, viewer, sample_assessment):
    client.force_login(viewer)
    assert edit(sample_assessment) not in client.get(detail(sample_assessment)).content.decode()


def test_page_queries_are_bounded(client, owner, sample_assessment, django_assert_max_num_queries):
    """A fixed number whatever the size of the tree: session, user, profile, assessment, the
    tree (4), published results (2), narrative, issuing agency, region rank (2), last year's
    figures, the kept chart drawings, the rendered files' state, the bell's unread count."""
    client.force_login(owner)
    client.get(detail(sample_assessment))  # the charts are drawn (at once: tests run tasks so)
    with django_assert_max_num_queries(19):
        assert client.get(detail(sample_assessment)).status_code == 200


# --- narrative editing ------------------------------------------------------------------------


def test_edit_page_starts_from_the_draft(client, owner, sample_assessment):
    client.force_login(owner)
    page = client.get(edit(sample_assessment)).content.decode()
    assert "So với năm 2022, Chỉ số của lĩnh vực tăng 13,62 điểm phần trăm" in page
    assert "GIÁM ĐỐC" in page


def test_editing_stores_text_records_history_and_never_changes_a_figure(client, owner, sample_assessment):
    client.force_login(owner)
    form = client.get(edit(sample_assessment)).context["form"]
    data = {name: (value or "") for name, value in form.initial.items() if name != "issue_date"}
    data.update(
        {
            "document_number": "5",
            "issue_date": "2024-03-05",
            "signer_authority": "KT. Giám đốc",
            "signer_title": "Phó Giám đốc",
            "signer_name": "Nguyễn Văn A",
            "field_5": "Lĩnh vực công vụ đạt 100%, đứng thứ 1/63 (nhận xét của Sở Nội vụ).",
        }
    )
    response = client.post(edit(sample_assessment), data)
    assert response.status_code == 302
    narrative = ReportNarrative.objects.get(assessment=sample_assessment)
    assert narrative.field_texts == {"5": data["field_5"]}
    assert narrative.assessment_text == ""  # left as drafted: keeps following the data
    assert narrative.history.count() == 1
    assert narrative.history.first().history_user == owner
    page = client.get(detail(sample_assessment)).content.decode()
    assert "Số: 05/BC-SNV" in page
    assert "Bình Phước, ngày 05 tháng 3 năm 2024" in page
    assert "KT. GIÁM ĐỐC" in page and "PHÓ GIÁM ĐỐC" in page and "Nguyễn Văn A" in page
    assert "nhận xét của Sở Nội vụ" in page
    # the figures are still computed: the narrative's "100%" and "1/63" change nothing
    assert "Chỉ số đạt 81,30% (<em>giảm 3,12 điểm phần trăm so với năm 2022</em>)" in page
    assert "đứng thứ 46/63" in page


def test_invalid_number_is_refused_in_vietnamese(client, owner, sample_assessment):
    client.force_login(owner)
    response = client.post(edit(sample_assessment), {"document_number": "15/BC", "issue_date": "31/02/2024"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số văn bản chỉ gồm chữ số" in page
    assert "Ngày không hợp lệ" in page
    assert not ReportNarrative.objects.exists()


def test_user_markup_in_narrative_is_text(client, owner, sample_assessment):
    save_narrative(sample_assessment, owner, {"assessment_text": '<img src="http://example.com/x.png"> ổn'})
    client.force_login(owner)
    page = client.get(detail(sample_assessment)).content.decode()
    assert "&lt;img src=&quot;http://example.com/x.png&quot;&gt; ổn" in page
    assert '<img src="http' not in page
