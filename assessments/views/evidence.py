"""Evidence files (tài liệu kiểm chứng): upload, private download, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from .. import permissions, scoring, services
from ..forms import EvidenceForm
from ..models import Criterion, Evidence
from ..services import DomainError
from ..services.evidence import file_type_of, served_name
from .common import protected, row_tag

SHOWN_INLINE = (Evidence.Kind.PDF, Evidence.Kind.IMAGE)


@protected("POST")
def evidence_upload(request, pk, agency_pk, criterion_pk):
    assessment, agency, role_can_write = permissions.scope_agency_part(request.user, pk, agency_pk)
    permissions.require_write(role_can_write)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, framework_id=assessment.framework_id)
    form = EvidenceForm(request.POST, request.FILES)
    at_row = row_tag(criterion.pk)  # shown beside the criterion's row, where the page lands
    if not form.is_valid():
        messages.error(
            request, f"{criterion.code}: " + " ".join(form.errors.get("file", [])), extra_tags=at_row
        )
    else:
        try:
            item = services.add_evidence(
                user=request.user,
                assessment=assessment,
                agency=agency,
                criterion=criterion,
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            messages.error(request, f"{criterion.code}: {exc.message}", extra_tags=at_row)
        else:
            messages.success(
                request, f"{criterion.code}: đã tải lên “{item.original_name}”.", extra_tags=at_row
            )
    return redirect(reverse("assessments:entry", args=[assessment.pk, agency.pk]) + f"#tc-{criterion.pk}")


def _scope_evidence(user, evidence_pk) -> Evidence:
    """The evidence if the user may see its criterion, else 404."""
    evidence = get_object_or_404(Evidence.objects.select_related("assessment", "criterion"), pk=evidence_pk)
    assessment = permissions.scope_assessment(user, evidence.assessment_id)
    result = scoring.compute(assessment)
    node = result.by_code.get(evidence.criterion.code)
    responsible = [a.pk for a in node.responsible] if node else []
    if not permissions.can_download_evidence(user, evidence, responsible):
        raise Http404("Không tìm thấy tài liệu.")
    return evidence


@protected("GET")
def evidence_download(request, evidence_pk):
    evidence = _scope_evidence(request.user, evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp không còn trên máy chủ.") from exc
    # Name and type from the detected type, also for files stored before names were fixed.
    file_type = file_type_of(evidence.extension)
    # ?xem=1 (the appraisal page's links, opened in a new tab): a PDF or a picture is shown
    # in the browser; anything else is still downloaded.
    inline = request.GET.get("xem") == "1" and file_type.kind in SHOWN_INLINE
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=served_name(evidence.original_name, file_type.extension),
        content_type=file_type.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@protected("POST")
def evidence_delete(request, evidence_pk):
    evidence = _scope_evidence(request.user, evidence_pk)
    agency = evidence.agency
    if agency is None:
        raise PermissionDenied("Tài liệu không gắn với cơ quan nào.")
    _assessment, agency, role_can_write = permissions.scope_agency_part(
        request.user, evidence.assessment_id, agency.pk
    )
    permissions.require_write(role_can_write)
    at_row = row_tag(evidence.criterion_id)
    try:
        services.delete_evidence(user=request.user, evidence=evidence, agency=agency)
    except DomainError as exc:
        messages.error(request, exc.message, extra_tags=at_row)
    else:
        messages.success(request, f"Đã xóa “{evidence.original_name}”.", extra_tags=at_row)
    return redirect(
        reverse("assessments:entry", args=[evidence.assessment_id, agency.pk])
        + f"#tc-{evidence.criterion_id}"
    )
