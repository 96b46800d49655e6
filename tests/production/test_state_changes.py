"""Every page that changes data is a POST with a CSRF token: no URL of the project accepts a
POST without the token, and opening every URL with GET changes nothing."""

import json

import pytest
from django.core import serializers
from django.test import Client
from django.urls import get_resolver, reverse

from assessments.management.commands.backup_data import backed_up_models
from assessments.models import Agency, Score

# GET may write these: sessions, login records, the rendered-report and chart-drawing caches.
MAY_CHANGE_ON_GET = {
    "sessions.session",
    "reports.renderedreport",
    "reports.chartdrawing",
    "axes.accesslog",
    "axes.accessattempt",
}


def project_urls():
    """(name, parameter names) of every named URL outside the Django admin."""
    resolver = get_resolver()
    found = []
    for namespace, sub in [("", resolver)] + [
        (f"{ns}:", sub) for ns, (_prefix, sub) in resolver.namespace_dict.items() if ns != "admin"
    ]:
        for name in sub.reverse_dict:
            if isinstance(name, str):
                found.append((namespace + name, sub.reverse_dict.getlist(name)[0][0][0][1]))
    return sorted(found)


def url_for(name, params, sample, fmt="pdf"):
    score = Score.objects.filter(assessment=sample).select_related("criterion").first()
    agency = Agency.objects.filter(criteria__framework=sample.framework).first()
    values = {
        "pk": sample.pk,
        "agency_pk": agency.pk,
        "criterion_pk": score.criterion_id,
        "evidence_pk": 999999,
        "fmt": fmt,
    }
    return reverse(name, kwargs={p: values.get(p, 1) for p in params})


def everything():
    rows = []
    for model in backed_up_models("json"):
        if model._meta.auto_created or model._meta.label_lower in MAY_CHANGE_ON_GET:
            continue
        data = serializers.serialize("python", model._base_manager.order_by("pk"))
        rows += [json.dumps(item, sort_keys=True, default=str) for item in data]
    return rows


@pytest.mark.django_db
def test_no_url_accepts_a_post_without_csrf_token(sample_assessment, django_user_model):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_superuser("quantri"))
    urls = [url_for(name, params, sample_assessment) for name, params in project_urls()]
    assert len(urls) >= 10
    before = Score.objects.filter(assessment=sample_assessment).count()
    for url in urls:
        response = client.post(url, {"comment": "x", "reason": "x"})
        assert response.status_code in (403, 405), (url, response.status_code)
    assert Score.objects.filter(assessment=sample_assessment).count() == before


@pytest.mark.django_db
def test_opening_every_url_with_get_changes_nothing(sample_assessment, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("quantri"))
    before = everything()
    for name, params in project_urls():
        if "fmt" in params:  # report files: rendering is slow and only fills the cache
            continue
        response = client.get(url_for(name, params, sample_assessment))
        assert response.status_code < 500, (name, response.status_code)
    assert everything() == before
