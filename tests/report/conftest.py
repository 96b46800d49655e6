"""Report fixtures: the reference data rendered once per module to HTML, PDF and .docx."""

import html as html_lib
import io
import re
import subprocess

import pytest
from django.db import transaction
from django_tasks import default_task_backend

from assessments.models import Agency, Profile, Role

from .queue import QUEUED_ONLY

# A comment that names a local file and a remote URL: shown as text, never fetched.
HOSTILE_COMMENT = '<img src="file:///etc/passwd"> xem http://example.com/x.png'


def squash(text: str) -> str:
    return " ".join(text.split())


def html_text(markup: str) -> str:
    markup = re.sub(r"<svg.*?</svg>", " ", markup, flags=re.DOTALL)
    markup = re.sub(r"</?(em|strong)>", "", markup)
    return squash(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)))


def pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return squash(done.stdout.decode("utf-8"))


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return squash(" ".join(parts))


def add_hostile_comment(assessment):
    from assessments.models import Score

    score = Score.objects.get(assessment=assessment, criterion__code="1.2")
    score.appraisal_comment = HOSTILE_COMMENT
    score.save()


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Render the reference report once, in a transaction rolled back afterwards."""
    from assessments.models import Assessment
    from assessments.reference_data import load_reference_data
    from reports import pdf as pdf_module
    from reports.compose import build_report
    from reports.docx import render_docx
    from reports.html import document_html

    fetched: list[str] = []
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()
        assessment = Assessment.objects.select_related("subject", "framework").get(
            subject__code="70", framework__year=2023
        )
        add_hostile_comment(assessment)
        from assessments import scoring

        result = scoring.compute(assessment)
        below = [(n.label, n.name, n.appraised, n.max, n.comment) for n in result.below_max_criteria]
        report = build_report(assessment)
        markup = str(document_html(report))
        fetcher = pdf_module.url_fetcher(pdf_module.chart_documents(report))
        from weasyprint import HTML

        pdf_bytes = HTML(
            string=pdf_module.print_html(report), base_url=pdf_module.BASE_URL, url_fetcher=fetcher
        ).write_pdf()
        fetched.extend(fetcher.fetched)
        docx_bytes = render_docx(report)
        transaction.set_rollback(True)
    return {
        "html": markup,
        "pdf": pdf_bytes,
        "docx": docx_bytes,
        "texts": {"html": html_text(markup), "pdf": pdf_text(pdf_bytes), "docx": docx_text(docx_bytes)},
        "below": below,
        "fetched": fetched,
    }


def make_user(django_user_model, username, role, agency=None, province=None):
    """An account of `province` (by default its agency's)."""
    user = django_user_model.objects.create_user(username=username, password="x-not-used-9!")
    province = province or (agency.province if agency is not None else None)
    Profile.objects.create(user=user, role=role, agency=agency, province=province)
    return user


@pytest.fixture
def owner(reference_data, django_user_model):
    return make_user(django_user_model, "alice", Role.PROCESS_OWNER, province=reference_data)


@pytest.fixture
def viewer(reference_data, django_user_model):
    return make_user(django_user_model, "bob", Role.VIEWER, province=reference_data)


@pytest.fixture
def editor(reference_data, django_user_model):
    agency = Agency.objects.get(name="Sở Tư pháp")
    return make_user(django_user_model, "charlie", Role.DEPARTMENT_EDITOR, agency)


@pytest.fixture(scope="module")
def _reference_module(django_db_setup, django_db_blocker):
    """Load the reference data once per module, inside a transaction rolled back at the end;
    each test runs in a savepoint within it (pytest-django's own per-test atomic)."""
    from assessments.reference_data import load_reference_data

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        load_reference_data()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def reference_data(_reference_module, db):
    """Overrides tests/conftest.py's fixture of the same name: same data, loaded once a module."""
    from assessments.models import Subject

    return Subject.objects.get(code="70", kind="province", valid_until__isnull=False)


@pytest.fixture
def queued_only(settings):
    """Tasks are queued and not run (as with a worker that has not come round yet)."""
    settings.TASKS = QUEUED_ONLY
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()
