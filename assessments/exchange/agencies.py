"""The agencies a framework table names for its criteria, when an import creates the
framework: a "Cơ quan chủ trì" column names the lead (cơ quan chủ trì); a "Cơ quan tham mưu"
(or "Cơ quan phối hợp") column names the agencies answering for the criterion. Where a table
names several agencies without saying which leads, the first named leads."""

from __future__ import annotations

import re

from assessments.models import Agency, Criterion, CriterionAgency, Subject

from .tables import fold

SEPARATORS = re.compile(r"[;,\n]+")

# By criterion code, the agencies named for it, each with whether it leads.
AgencyLinks = dict[str, list[tuple[Agency, bool]]]


def agency_names(text: str) -> list[str]:
    """ "Sở Tài chính; Sở Kế hoạch và Đầu tư" → the two names ("và" belongs to names)."""
    return [name.strip() for name in SEPARATORS.split(text or "") if name.strip()]


def plan_agency_links(by_code: dict, subject: Subject, outcome, label: str) -> AgencyLinks:
    """(agency, is_lead) per criterion code, in the order named, the lead first; an unknown
    name is an error naming the row. Reads only."""
    rows = {code: row for code, row in by_code.items() if row.lead_agency or row.agencies}
    if not rows:
        return {}
    province = subject.province or subject
    known: dict[str, Agency] = {}
    for agency in Agency.objects.filter(province=province).order_by("pk"):
        for name in (agency.name, agency.short_name):
            if name:
                known.setdefault(fold(name), agency)
    links: AgencyLinks = {}
    for code, row in rows.items():
        named = agency_names(row.lead_agency)[:1] + agency_names(row.agencies)
        found: list[Agency] = []
        for name in named:
            match = known.get(fold(name))
            if match is None:
                outcome.error(f"không có cơ quan “{name}” của {province.name}", row.row, code, label)
            elif match not in found:
                found.append(match)
        if found:
            links[code] = [(agency, index == 0) for index, agency in enumerate(found)]
    return links


def write_agency_links(links: AgencyLinks, criteria: dict[str, Criterion]) -> None:
    CriterionAgency.objects.bulk_create(
        CriterionAgency(criterion=criteria[code], agency=agency, is_lead=is_lead)
        for code, pairs in links.items()
        for agency, is_lead in pairs
    )
