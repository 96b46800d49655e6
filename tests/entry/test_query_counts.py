"""The entry, progress and appraisal pages issue as many queries for the 2023 tree as for
a tree three times its size, and for a tree of 400 leaves as for one of 100."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import scoring
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


def big_tree(province, agency, leaves, year):
    """A framework of `leaves` leaves under fields and sub-fields of ten (one leaf in ten with
    figures), all answered for by `agency`; an open assessment; every leaf scored."""
    framework = Framework.objects.create(year=year, name=f"{leaves} tiêu chí thành phần")

    def criterion(code, parent=None, **extra):
        return Criterion(
            framework=framework,
            parent=parent,
            code=code,
            name=f"Tiêu chí {code}",
            level=code.count(".") + 1,
            sort_key=sort_key_for(code),
            max_score=Decimal("0.1") * (10 ** (2 - code.count("."))),
            **extra,
        )

    ratio = scoring.parse_notation("tỷ lệ")
    fields = Criterion.objects.bulk_create(criterion(str(f)) for f in range(1, leaves // 100 + 1))
    subs = Criterion.objects.bulk_create(criterion(f"{f.code}.{s}", f) for f in fields for s in range(1, 11))
    made = []
    for s in subs:
        for n in range(1, 11):
            leaf = criterion(f"{s.code}.{n}", s)
            if n == 10:
                ratio.apply_to(leaf)
            made.append(leaf)
    made = Criterion.objects.bulk_create(made)
    CriterionAgency.objects.bulk_create(
        CriterionAgency(criterion=f, agency=agency, is_lead=True) for f in fields
    )
    assessment = Assessment.objects.create(
        subject=province,
        framework=framework,
        phase=Assessment.Phase.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.now() + datetime.timedelta(days=5),
    )
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=c,
            self_score=Decimal("0.05"),
            self_figures="1/2" if c.rule_kind != "none" else "",
            explanation="Đã thực hiện",
        )
        for c in made
    )
    return assessment


@pytest.mark.django_db
def test_entry_and_appraisal_pages_issue_as_many_queries_for_400_leaves_as_for_100(client, small):
    """A department that answers for a whole tree (issue 14 §3): its entry page, and the
    council's appraisal page, cost the same queries at 100 and at 400 leaves, and list them all."""
    province, agency = small["assessment"].subject, small["agency"]
    sizes = {leaves: big_tree(province, agency, leaves, 2040 + leaves // 100) for leaves in (100, 400)}
    counts: dict[str, list[int]] = {"entry": [], "appraisal": []}
    for leaves, assessment in sizes.items():
        client.force_login(small["users"]["editor"])
        url = reverse("assessments:entry", args=[assessment.pk, agency.pk])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.content.decode().count('class="score-input') == leaves
        counts["entry"].append(len(captured))
        Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.APPRAISAL)
        client.force_login(small["users"]["appraiser"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("assessments:appraisal", args=[assessment.pk]))
        assert response.content.decode().count('class="score-input"') == leaves
        counts["appraisal"].append(len(captured))
    assert counts["entry"][0] == counts["entry"][1], counts
    assert counts["appraisal"][0] == counts["appraisal"][1], counts
