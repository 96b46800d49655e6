"""A file sent for download: one response for every download of the project (the pages' and
the admin's)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse


def attachment(content: bytes, content_type: str, filename: str, display_name: str = "") -> HttpResponse:
    """A download: `filename` (ASCII) for every browser and, where there is one, its
    Vietnamese name as RFC 6266/5987's filename* (UTF-8), which browsers prefer. The file
    holds the account's data: not kept by any cache."""
    response = HttpResponse(content, content_type=content_type)
    disposition = f'attachment; filename="{filename}"'
    if display_name and display_name != filename:
        disposition += f"; filename*=UTF-8''{quote(display_name, safe='')}"
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
