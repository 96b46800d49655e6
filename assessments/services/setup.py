"""Opening a new year: copy last year's criteria tree (with the agencies that answer for
each criterion) into a new framework and open an assessment on it."""

from __future__ import annotations

from django.db import transaction

from .. import scoring
from ..models import Assessment, ChangeSource, Criterion, CriterionAgency, Framework, Subject


@transaction.atomic
def copy_framework(source: Framework, year: int, *, name: str | None = None) -> Framework:
    """A copy of `source` for `year` (idempotent: an existing framework is returned)."""
    framework, created = Framework.objects.get_or_create(
        year=year,
        subject_kind=source.subject_kind,
        owner=source.owner,
        defaults={"name": name or source.name, "legal_basis": source.legal_basis},
    )
    if not created and framework.criteria.exists():
        return framework
    copies: dict[str, Criterion] = {}
    originals = list(source.criteria.prefetch_related(scoring.agency_links()).order_by("sort_key"))
    for original in originals:
        parent_code = original.code.rpartition(".")[0]
        copy = Criterion(
            framework=framework,
            parent=copies.get(parent_code),
            code=original.code,
            name=original.name,
            max_score=original.max_score,
            method=original.method,
            guidance=original.guidance,
            may_not_apply=original.may_not_apply,
            rule_kind=original.rule_kind,
            section=original.section,
            rule_parameters=original.rule_parameters,
            figure_labels=original.figure_labels,
        )
        copy.save()
        copies[original.code] = copy
    CriterionAgency.objects.bulk_create(
        CriterionAgency(criterion=copies[original.code], agency=link.agency, is_lead=link.is_lead)
        for original in originals
        for link in original.agency_links.all()
    )
    return framework


@transaction.atomic
def open_assessment(subject: Subject, framework: Framework, *, user=None, **fields) -> Assessment:
    assessment, created = Assessment.objects.get_or_create(
        subject=subject, framework=framework, defaults={"phase": Assessment.Phase.SELF_ASSESSMENT, **fields}
    )
    if created:
        assessment._change_source = ChangeSource.SYSTEM
    return assessment
