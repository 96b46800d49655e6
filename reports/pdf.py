"""The report as PDF, by WeasyPrint, fetching nothing but the project's own static files."""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .document import Report
from .html import CHART_URL, document_html

# WeasyPrint resolves relative URLs against this origin, which exists nowhere: the fetcher
# answers for it, serving the project's static files and the report's own charts only.
BASE_URL = "https://parindex.invalid/"
STATIC_PREFIX = BASE_URL + settings.STATIC_URL.lstrip("/")


class FetchRefused(ValueError):
    """A URL outside the project's static files: never fetched."""


def static_path(url: str) -> Path:
    """The file behind an allowed URL, or FetchRefused."""
    if not url.startswith(STATIC_PREFIX):
        raise FetchRefused(f"Không tải tài nguyên ngoài thư mục tĩnh: {url}")
    relative = url[len(STATIC_PREFIX) :].split("?", 1)[0].split("#", 1)[0]
    if not relative or ".." in relative.split("/") or relative.startswith("/") or "\\" in relative:
        raise FetchRefused(f"Đường dẫn không hợp lệ: {url}")
    found = finders.find(relative)
    if not found:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise FetchRefused(f"Không có tệp tĩnh: {relative}")
    return Path(found)


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's static files (fonts) and the report's charts; refuses file:,
        http:, data: and every other URL, whatever the document names."""

        def __init__(self, documents: dict[str, bytes] | None = None, **kwargs):
            super().__init__(allowed_protocols=["https"], allow_redirects=False, **kwargs)
            self.documents = documents or {}
            self.fetched: list[str] = []

        def fetch(self, url, headers=None):
            if url in self.documents:
                body, mime = self.documents[url], "image/svg+xml"
            else:
                path = static_path(url)
                body = path.read_bytes()
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.fetched.append(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    return StaticOnlyFetcher


def url_fetcher(documents: dict[str, bytes] | None = None):
    return _fetcher_class()(documents)


@lru_cache(maxsize=1)
def report_css() -> str:
    path = finders.find("css/report.css")
    if not path:
        raise FileNotFoundError("static/css/report.css")
    return Path(path).read_text(encoding="utf-8")


def print_html(report: Report, charts: str = "link") -> str:
    """The standalone HTML WeasyPrint lays out. charts="inline" embeds the SVG (for the
    HTML file that render_report writes); "link" lets the fetcher serve them."""
    return render_to_string(
        "reports/print.html",
        {
            "title": report.document_title,
            "css": mark_safe(report_css()),
            "document": document_html(report, charts=charts),
        },
    )


def chart_documents(report: Report) -> dict[str, bytes]:
    return {
        BASE_URL + CHART_URL.format(key=block.key): block.svg_markup.encode("utf-8")
        for block in report.all_blocks()
        if block.kind == "chart"
    }


def html_to_pdf(html: str, documents: dict[str, bytes] | None = None) -> bytes:
    from weasyprint import HTML

    fetcher = url_fetcher(documents)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def render_pdf(report: Report) -> bytes:
    return html_to_pdf(print_html(report), chart_documents(report))
