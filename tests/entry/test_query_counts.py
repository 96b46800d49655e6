"""The entry, progress and appraisal pages issue as many queries for the 2023 tree as for
a tree three times its size."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Criterion, CriterionAgency, Framework, Score, Subject, sort_key_for

from .conftest import make_open_assessment


def tripled_assessment(sample, year=2030):
    """The 2023 tree three times over (fields 1–8, 9–16, 17–24), same agencies, scored."""
    source = sample.framework
    framework = Framework.objects.create(year=year, subject_kind=source.subject_kind, name="Gấp ba")
    originals = list(source.criteria.prefetch_related("agency_links").order_by("sort_key"))
    fields = len([c for c in originals if c.level == 1])
    created = {}
    links = []
    for level in sorted({c.level for c in originals}):
        batch = []
        for copy in range(3):
            for original in (c for c in originals if c.level == level):
                head, _, rest = original.code.partition(".")
                code = str(int(head) + copy * fields) + (f".{rest}" if rest else "")
                criterion = Criterion(
                    framework=framework,
                    parent=created.get(code.rpartition(".")[0]),
                    code=code,
                    name=original.name,
                    max_score=original.max_score,
                    method=original.method,
                    level=level,
                    sort_key=sort_key_for(code),
                )
                batch.append((criterion, list(original.agency_links.all())))
        Criterion.objects.bulk_create([c for c, _ in batch])
        for criterion, agency_links in batch:
            created[criterion.code] = criterion
            links.extend(
                CriterionAgency(criterion_id=criterion.pk, agency_id=link.agency_id, is_lead=link.is_lead)
                for link in agency_links
            )
    CriterionAgency.objects.bulk_create(links)
    subject = Subject.objects.get(pk=sample.subject_id)
    assessment = Assessment.objects.create(
        subject=subject,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=5),
    )
    return assessment, len(created)


def _score_all(assessment):
    leaves = assessment.framework.criteria.filter(children__isnull=True)
    Score.objects.bulk_create(
        [
            Score(assessment=assessment, criterion=c, self_score=Decimal(0), appraised_score=Decimal(0))
            for c in leaves
        ]
    )


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_pages_do_not_issue_more_queries_for_a_bigger_tree(client, sample_assessment, users, stp, agencies):
    small = make_open_assessment(sample_assessment)
    big, big_size = tripled_assessment(sample_assessment)
    assert big_size == 3 * small.framework.criteria.count()
    _score_all(small)
    _score_all(big)
    measured = {}
    for role, name, extra in [
        ("editor", "entry", [stp.pk]),
        ("process_owner", "entry", [stp.pk]),
        # An agency that contributes to criteria another leads (field 8): remarks and
        # contributions cost the same whatever the tree.
        ("process_owner", "entry", [agencies["SKHĐT"].pk]),
        ("process_owner", "progress", []),
        ("appraiser", "appraisal", []),
    ]:
        client.force_login(users[role])
        counts = [count(client, reverse(f"assessments:{name}", args=[a.pk, *extra])) for a in (small, big)]
        measured[(role, name)] = counts
        assert counts[0] == counts[1], (role, name, counts)
    Assessment.objects.filter(pk__in=[small.pk, big.pk]).update(phase=Assessment.Phase.APPRAISAL)
    client.force_login(users["appraiser"])
    counts = [count(client, reverse("assessments:appraisal", args=[a.pk])) for a in (small, big)]
    assert counts[0] == counts[1]
    print("queries per page (2023 tree, 3× tree):", measured)
