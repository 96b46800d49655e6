"""An agency's part of an assessment as an Excel workbook (issue 13, story 9): for whoever
may open its entry page, in every phase, after the lock too."""

from __future__ import annotations

from .. import permissions
from ..downloads import attachment
from ..exchange.part_export import export_agency_part
from .common import protected


@protected("GET", "HEAD")
def entry_export(request, pk, agency_pk):
    assessment, agency, _can_write = permissions.scope_agency_part(request.user, pk, agency_pk)
    exported = export_agency_part(assessment, agency)
    return attachment(exported.content, exported.content_type, exported.filename, exported.display_name)
