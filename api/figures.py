"""An assessment's figures for the API, read from assessments.scoring (nothing added up here):
totals, parts, fields, grade, computed rank in its block, and the year's published results.
A fixed number of queries for a whole page of assessments."""

from __future__ import annotations

from collections import defaultdict

from assessments import scoring
from assessments.models import Assessment, PublishedResult
from assessments.scoring.trends import computed_ranks


def results_for(assessments: list[Assessment]) -> dict[int, dict]:
    if not assessments:
        return {}
    peers = list(
        Assessment.objects.filter(framework_id__in={a.framework_id for a in assessments}).select_related(
            "subject", "framework"
        )
    )
    results = scoring.compute_many(peers)
    ranks = computed_ranks(results, peers)
    published: dict[tuple[int, int], list[PublishedResult]] = defaultdict(list)
    for row in PublishedResult.objects.filter(
        subject_id__in={a.subject_id for a in assessments}, year__in={a.framework.year for a in assessments}
    ).order_by("field_code"):
        published[(row.subject_id, row.year)].append(row)
    found = {}
    for assessment in assessments:
        result = results[assessment.pk]
        own_ranks = ranks.get(assessment.pk, {})
        total_rank, total_count = own_ranks.get("", (None, None))
        found[assessment.pk] = {
            "max": result.applicable_max,
            "self_score": result.self_score,
            "appraised": result.appraised,
            "index": result.index,
            "grade": result.grade,
            "rank": total_rank,
            "ranked_count": total_count,
            "parts": {
                key: {"score": part.score, "max": part.max, "index": part.index}
                for key, part in result.parts.items()
            },
            "fields": [
                {
                    "code": node.code,
                    "name": node.name,
                    "max": node.applicable_max,
                    "self_score": node.self_score,
                    "appraised": node.appraised,
                    "index": node.index,
                    "rank": own_ranks.get(node.code, (None, None))[0],
                    "ranked_count": own_ranks.get(node.code, (None, None))[1],
                }
                for node in result.fields
            ],
            "published": published.get((assessment.subject_id, assessment.framework.year), []),
        }
    return found
