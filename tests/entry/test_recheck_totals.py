"""Phúc tra: an empty re-check box means "keep the appraised score", so the field totals on
the page count the appraised score for it, on the server and in the live preview."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Score


@pytest.fixture
def recheck_page(client, small):
    assessment, criteria = small["assessment"], small["criteria"]
    Score.objects.create(assessment=assessment, criterion=criteria["1.1"], appraised_score=Decimal("0.5"))
    Score.objects.create(assessment=assessment, criterion=criteria["1.2"], appraised_score=Decimal("1.5"))
    Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.RECHECK)
    client.force_login(small["users"]["appraiser"])
    return client.get(reverse("assessments:appraisal", args=[assessment.pk])).content.decode(), small


def _input(html, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


@pytest.mark.django_db
def test_an_empty_recheck_box_counts_as_the_appraised_score(recheck_page):
    html, small = recheck_page
    first = _input(html, f"score_{small['criteria']['1.1'].pk}")
    second = _input(html, f"score_{small['criteria']['1.2'].pk}")
    assert 'value="' not in first  # the re-check box is empty
    assert 'data-empty="0.5000"' in first or 'data-empty="0.5"' in first
    assert 'data-empty="1.5000"' in second or 'data-empty="1.5"' in second
    # The server's field total counts the appraised scores, not 0.
    assert 'data-subtotal-value="1">2</output> / 4<' in html


@pytest.mark.django_db
def test_an_empty_appraisal_box_counts_as_nothing(client, small):
    assessment = small["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.APPRAISAL)
    client.force_login(small["users"]["appraiser"])
    html = client.get(reverse("assessments:appraisal", args=[assessment.pk])).content.decode()
    assert 'data-empty="0"' in _input(html, f"score_{small['criteria']['1.1'].pk}")
