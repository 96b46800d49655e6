"""Many assessments at once (list pages): a fixed number of queries for the whole list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..models import (
    Assessment,
    Criterion,
    GradeBand,
    Score,
)
from .tree import Result, agency_links, build_tree, province_ids_of, unit_name_of


def criteria_of_frameworks(
    framework_ids: Iterable[int], *, with_agencies: bool
) -> dict[int, list[Criterion]]:
    """The criteria of several frameworks by framework id: one query (two with agencies)."""
    framework_ids = set(framework_ids)
    found: dict[int, list[Criterion]] = {pk: [] for pk in framework_ids}
    if not framework_ids:
        return found
    criteria = Criterion.objects.filter(framework_id__in=framework_ids).order_by("framework_id", "sort_key")
    if with_agencies:
        criteria = criteria.prefetch_related(agency_links())
    for criterion in criteria:
        found[criterion.framework_id].append(criterion)
    return found


def compute_many(assessments: Iterable[Assessment], *, with_agencies: bool = False) -> dict[int, Result]:
    """Roll up many assessments at once (a list page), by assessment pk.

    A fixed number of queries whatever the number of assessments: the criteria of all their
    frameworks (1), the scores of all the assessments (1), the grade bands (1), and with
    with_agencies the criteria's agencies (1) and the subjects' provinces (one per level).
    Without it the results' nodes have no responsible agencies (totals, indices and parts
    are the same as compute's). The assessments should come with their framework.
    """
    assessments = list(assessments)
    if not assessments:
        return {}
    framework_ids = {a.framework_id for a in assessments}
    criteria = criteria_of_frameworks(framework_ids, with_agencies=with_agencies)
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    for score in Score.objects.filter(assessment__in=[a.pk for a in assessments]).order_by():
        scores[score.assessment_id][score.criterion_id] = score
    bands: dict[int, list[GradeBand]] = defaultdict(list)
    grade_bands = GradeBand.objects.filter(framework_id__in=framework_ids).order_by(
        "framework_id", "-min_index"
    )
    for band in grade_bands:
        bands[band.framework_id].append(band)
    provinces = province_ids_of({a.subject for a in assessments}) if with_agencies else {}
    results = {}
    for assessment in assessments:
        fields, by_code = build_tree(
            criteria[assessment.framework_id],
            scores[assessment.pk],
            inherit_agencies=with_agencies,
            # as permissions.province_of: the subject's province, else the framework's owner
            province_id=provinces.get(assessment.subject_id) or assessment.framework.owner_id,
            unit_name=unit_name_of(assessment.subject),
        )
        results[assessment.pk] = Result(
            framework=assessment.framework,
            fields=fields,
            by_code=by_code,
            assessment=assessment,
            grade_bands=bands[assessment.framework_id],
        )
    return results


def responsible_agency_ids(framework_ids: Iterable[int]) -> dict[int, set[int]]:
    """The agencies that lead (cơ quan chủ trì) at least one leaf of each framework, so have a
    part to submit (own or inherited from the nearest ancestor), by framework id: two queries
    for all the frameworks."""
    found = {}
    for framework_id, criteria in criteria_of_frameworks(framework_ids, with_agencies=True).items():
        fields, _ = build_tree(criteria)
        found[framework_id] = {a.pk for f in fields for leaf in f.leaves() for a in leaf.leads}
    return found
