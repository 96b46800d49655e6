"""Shared criteria: field 8 answers to Sở Tài chính and Sở Kế hoạch và Đầu tư. Sở Tài chính
leads (cơ quan chủ trì): it scores and submits 8.2; Sở KH&ĐT contributes (cơ quan phối hợp):
it sees 8.2 with the lead's score, adds a remark (kept with its history, shown to the lead
and Sở Nội vụ) and evidence, and cannot change the score. A submitted answer changes only
through a return."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from assessments import scoring, services
from assessments.models import Agency, CriterionAgency, CriterionRemark, Role, Score

from .conftest import fill_all


@pytest.fixture
def shared(open_assessment, agencies, make_user):
    result = scoring.compute(open_assessment)
    node = result.by_code["8.2"]
    return {
        "assessment": open_assessment,
        "node": node,
        "cid": node.criterion.pk,
        "stc": agencies["STC"],
        "skhdt": agencies["SKHĐT"],
        "stc_user": make_user("tc", Role.DEPARTMENT_EDITOR, agencies["STC"]),
        "skhdt_user": make_user("khdt", Role.DEPARTMENT_EDITOR, agencies["SKHĐT"]),
        "owner": make_user("snv", Role.PROCESS_OWNER, agencies["SNV"]),
    }


def _save(world, agency, user, value):
    cid = world["cid"]
    score = Score.objects.filter(assessment=world["assessment"], criterion_id=cid).first()
    return services.save_part(
        user=user,
        assessment=world["assessment"],
        agency=agency,
        rows={cid: services.RowInput(score.version if score else 0, {"self_score": Decimal(value)})},
    )


@pytest.mark.django_db
def test_the_lead_is_inherited_from_the_nearest_ancestor(shared):
    node = shared["node"]
    assert {a.pk for a in node.responsible} == {shared["stc"].pk, shared["skhdt"].pk}
    assert node.lead == shared["stc"]
    assert [a.pk for a in node.contributors] == [shared["skhdt"].pk]
    result = scoring.compute(shared["assessment"])
    assert "8.2" in {n.code for n in scoring.lead_leaves(result, shared["stc"].pk)}
    assert "8.2" not in {n.code for n in scoring.lead_leaves(result, shared["skhdt"].pk)}
    assert "6.1.1" in {n.code for n in scoring.lead_leaves(result, shared["skhdt"].pk)}  # its own link


@pytest.mark.django_db
def test_a_contributing_agency_cannot_write_the_score(shared, client):
    _save(shared, shared["stc"], shared["stc_user"], "0.9")
    with pytest.raises(services.DomainError, match="Sở Tài chính là cơ quan chủ trì"):
        _save(shared, shared["skhdt"], shared["skhdt_user"], "0.7")
    client.force_login(shared["skhdt_user"])
    url = reverse("assessments:entry", args=[shared["assessment"].pk, shared["skhdt"].pk])
    html = client.get(url).content.decode()
    cid = shared["cid"]
    assert f'name="self_score_{cid}"' not in html  # read-only, with the lead's score
    assert "Sở Tài chính (cơ quan chủ trì) chấm điểm" in html and "0,9" in html
    assert f'form="rm-{cid}"' in html  # the remark box
    client.post(url, {f"version_{cid}": "1", f"self_score_{cid}": "0,7", "action": "save"})
    assert Score.objects.get(criterion_id=cid).self_score == Decimal("0.9")


@pytest.mark.django_db
def test_a_contributors_remark_is_kept_with_history_and_shown_to_the_lead(shared, client):
    cid = shared["cid"]
    client.force_login(shared["skhdt_user"])
    url = reverse("assessments:contributor_remark", args=[shared["assessment"].pk, shared["skhdt"].pk, cid])
    assert client.post(url, {"remark": "Số liệu vốn đầu tư công đã gửi STC ngày 5/3"}).status_code == 302
    client.post(url, {"remark": "Số liệu vốn đầu tư công đã gửi STC ngày 6/3"})
    remark = CriterionRemark.objects.get(criterion_id=cid, agency=shared["skhdt"])
    assert remark.history.count() == 2
    assert remark.history.first().change_source == "form"
    assert not Score.objects.filter(criterion_id=cid).exists()  # the score is untouched
    for user, agency in ((shared["stc_user"], shared["stc"]), (shared["owner"], shared["stc"])):
        client.force_login(user)
        html = client.get(
            reverse("assessments:entry", args=[shared["assessment"].pk, agency.pk])
        ).content.decode()
        assert "gửi STC ngày 6/3" in html and "Sở Kế hoạch và Đầu tư" in html
    # The lead has no remark of its own to write on its criterion.
    client.force_login(shared["stc_user"])
    url = reverse("assessments:contributor_remark", args=[shared["assessment"].pk, shared["stc"].pk, cid])
    client.post(url, {"remark": "x"})
    assert not CriterionRemark.objects.filter(agency=shared["stc"]).exists()


@pytest.mark.django_db
def test_a_submitted_answer_is_never_written_over(shared):
    assessment = shared["assessment"]
    fill_all(assessment, shared["stc"], shared["stc_user"], "0.5")
    services.submit_part(user=shared["stc_user"], assessment=assessment, agency=shared["stc"])
    # The contributor can no longer add to the submitted answer.
    with pytest.raises(services.DomainError, match="đã gửi"):
        services.save_remark(
            user=shared["skhdt_user"],
            assessment=assessment,
            agency=shared["skhdt"],
            criterion=shared["node"].criterion,
            text="Bổ sung",
        )
    # Even if the lead changes after the answer was sent, the sent answer stands.
    CriterionAgency.objects.filter(criterion__code="8", criterion__framework=assessment.framework).update(
        is_lead=False
    )
    CriterionAgency.objects.filter(
        criterion__code="8", criterion__framework=assessment.framework, agency=shared["skhdt"]
    ).update(is_lead=True)
    with pytest.raises(services.DomainError, match=r"8\.2 \(Sở Tài chính đã gửi\)"):
        _save(shared, shared["skhdt"], shared["skhdt_user"], "0.1")
    assert Score.objects.get(criterion_id=shared["cid"]).self_score == Decimal("0.5")
    services.return_part(user=shared["owner"], assessment=assessment, agency=shared["stc"], comment="Sửa lại")
    _save(shared, shared["skhdt"], shared["skhdt_user"], "0.1")  # through a return only
    assert Score.objects.get(criterion_id=shared["cid"]).self_score == Decimal("0.1")


@pytest.mark.django_db
def test_progress_counts_each_shared_criterion_once_for_its_lead(shared, client):
    client.force_login(shared["owner"])
    rows = {
        r.agency.short_name: r
        for r in services.agency_progress(
            shared["assessment"],
            "self_assessment",
            scoring.compute(shared["assessment"]),
            services.deadlines_for(shared["assessment"], "self_assessment"),
            shared["assessment"].self_assessment_deadline,
        )
    }
    result = scoring.compute(shared["assessment"])
    led = [n for n in scoring.lead_leaves(result, shared["skhdt"].pk) if not n.is_survey]
    assert rows["SKHĐT"].total == len(led)
    assert all(not n.code.startswith("8.") for n in led)


@pytest.mark.django_db
def test_migration_makes_the_first_linked_agency_lead(shared):
    framework = shared["assessment"].framework
    CriterionAgency.objects.filter(criterion__framework=framework).update(is_lead=False)
    migration = importlib.import_module("assessments.migrations.0005_lead_agency")
    migration.set_first_linked_as_lead(apps, None)
    field8 = CriterionAgency.objects.filter(criterion__framework=framework, criterion__code="8")
    first = field8.order_by("id").first()
    assert list(field8.filter(is_lead=True)) == [first]
    # A criterion with one agency needs no flag: its only agency leads.
    single = CriterionAgency.objects.get(criterion__framework=framework, criterion__code="2")
    assert not single.is_lead
    assert scoring.compute(shared["assessment"]).by_code["2.1"].lead == single.agency


@pytest.mark.django_db
def test_reference_data_names_sở_tài_chính_lead_of_field_8(shared):
    links = CriterionAgency.objects.filter(criterion__code="8", criterion__framework__year=2023)
    assert {link.agency.short_name for link in links.filter(is_lead=True)} == {"STC"}
    assert Agency.objects.get(pk=shared["stc"].pk).criterion_links.filter(is_lead=True).exists()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db
def test_a_contributor_adds_evidence_until_the_lead_submits(shared, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import Evidence

    assessment, cid = shared["assessment"], shared["cid"]
    client.force_login(shared["skhdt_user"])
    url = reverse("assessments:evidence_upload", args=[assessment.pk, shared["skhdt"].pk, cid])
    client.post(url, {"file": SimpleUploadedFile("von-dau-tu.pdf", PDF, content_type="application/pdf")})
    assert Evidence.objects.filter(criterion_id=cid).count() == 1
    fill_all(assessment, shared["stc"], shared["stc_user"], "0.5")
    services.submit_part(user=shared["stc_user"], assessment=assessment, agency=shared["stc"])
    client.post(url, {"file": SimpleUploadedFile("them.pdf", PDF, content_type="application/pdf")})
    assert Evidence.objects.filter(criterion_id=cid).count() == 1


@pytest.mark.django_db
def test_admin_allows_one_lead_per_province(shared):
    from django.forms import inlineformset_factory

    from assessments.admin import LeadPerProvinceFormSet
    from assessments.models import Criterion

    criterion = Criterion.objects.create(
        framework=shared["assessment"].framework, code="9", name="Thử", max_score=Decimal("1")
    )
    FormSet = inlineformset_factory(
        Criterion, CriterionAgency, formset=LeadPerProvinceFormSet, fields=["agency", "is_lead"], extra=0
    )

    def post(stc_lead, skhdt_lead):
        data = {"agency_links-TOTAL_FORMS": "2", "agency_links-INITIAL_FORMS": "0"}
        for index, (agency, lead) in enumerate(((shared["stc"], stc_lead), (shared["skhdt"], skhdt_lead))):
            data[f"agency_links-{index}-agency"] = str(agency.pk)
            if lead:
                data[f"agency_links-{index}-is_lead"] = "on"
        return FormSet(data, instance=criterion)

    refused = post(True, True)
    assert not refused.is_valid()
    assert "chỉ có một cơ quan chủ trì" in str(refused.non_form_errors())
    assert post(True, False).is_valid()


@pytest.mark.django_db
def test_the_criterion_history_shows_the_remarks(shared, client):
    for text in ("Đã gửi số liệu", "Đã gửi số liệu quý IV"):
        services.save_remark(
            user=shared["skhdt_user"],
            assessment=shared["assessment"],
            agency=shared["skhdt"],
            criterion=shared["node"].criterion,
            text=text,
        )
    client.force_login(shared["owner"])
    url = reverse("assessments:criterion_history", args=[shared["assessment"].pk, shared["cid"]])
    html = client.get(url).content.decode()
    assert "Ý kiến phối hợp (Sở Kế hoạch và Đầu tư)" in html
    assert 'Đã gửi số liệu</span> → <span class="new">Đã gửi số liệu quý IV' in html
