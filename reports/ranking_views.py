"""The ranking page of a province's units (one block a year at a time), its Excel annex, the
announcement (Quyết định công bố) and each unit's result sheet; all read
assessments.scoring.ranking. Sorting and filters are query parameters: no script."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from assessments import permissions
from assessments.decimals import format_change, format_index, format_score
from assessments.downloads import attachment
from assessments.exchange.export import slug
from assessments.exchange.ranking_export import export_ranking
from assessments.models import Framework, SubjectKind
from assessments.scoring import ranking
from assessments.views.common import protected

from .announcement import build_announcement, build_unit_sheet
from .ranking_charts import ranking_charts

SORTS = {
    "hang": "Thứ hạng",
    "ten": "Tên đơn vị",
    "chi_so": "Chỉ số",
}


@dataclass
class RankingQuery:
    """What the page was asked for (?nam=2024&khoi=department&xep_loai=Tốt&sap_xep=ten), checked
    against what exists; a value that does not fit is replaced and said why."""

    year: int | None = None
    kind: str | None = None
    grade: str = ""
    sort: str = "hang"
    descending: bool = False
    years: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, province, params) -> RankingQuery:
        query = cls()
        query.years = province_years(province)
        asked_year = (params.get("nam") or "").strip()
        if asked_year:
            if asked_year.isdigit() and int(asked_year) in query.years:
                query.year = int(asked_year)
            else:
                query.problems.append(f"Không có bộ tiêu chí năm “{asked_year}”: hiện năm gần nhất.")
        if query.year is None and query.years:
            query.year = query.years[0]
        if query.year is not None:
            query.kinds = ranking.block_kinds(province, query.year)
        asked_kind = (params.get("khoi") or "").strip()
        if asked_kind:
            try:
                kind = ranking.parse_kind(asked_kind)
            except ranking.RankingError as exc:
                query.problems.append(str(exc))
            else:
                if kind in query.kinds:
                    query.kind = kind
                else:
                    label = ranking.kind_label(kind).lower()
                    query.problems.append(f"Năm {query.year} không có bộ tiêu chí khối {label}.")
        if query.kind is None and query.kinds:
            query.kind = query.kinds[0]
        query.grade = (params.get("xep_loai") or "").strip()
        sort = (params.get("sap_xep") or "hang").strip()
        query.descending = sort.startswith("-")
        sort = sort.lstrip("-")
        if sort not in SORTS:
            query.problems.append(f"Không sắp xếp được theo “{sort}”: sắp theo thứ hạng.")
            sort, query.descending = "hang", False
        query.sort = sort
        return query

    def params(self, **changes) -> str:
        values = {"nam": self.year, "khoi": self.kind, "xep_loai": self.grade, "sap_xep": self.sort_param}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    @property
    def sort_param(self) -> str:
        return ("-" if self.descending else "") + self.sort


def province_years(province) -> list[int]:
    """Years with a framework for the province's units (its own or the ministry's), newest first."""
    years = (
        Framework.objects.filter(subject_kind__in=[k.value for k in ranking.UNIT_KINDS])
        .filter(Q(owner=province) | Q(owner__isnull=True))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def _sorted_units(block: ranking.Block, query: RankingQuery) -> list[ranking.RankedUnit]:
    """By rank (the block's order), by name, or by index (highest first: the exact index, so
    the rank order); "-" reverses. The unranked stay last unless sorted by name."""
    units = [u for u in block.units if not query.grade or (u.grade or "") == query.grade]
    if query.sort == "ten":
        return sorted(
            units, key=lambda u: (u.subject.name.casefold(), u.subject.code), reverse=query.descending
        )
    ranked = [u for u in units if u.is_ranked]
    if query.descending:
        ranked.reverse()
    return ranked + [u for u in units if not u.is_ranked]


def signed_rank(change: int | None) -> str:
    if change is None:
        return ""
    if change == 0:
        return "="
    return f"↑{change}" if change > 0 else f"↓{-change}"


def unit_row(user, unit: ranking.RankedUnit) -> dict:
    assessment = unit.assessment
    links = [{"url": reverse("assessments:progress", args=[assessment.pk]), "label": "Tiến độ"}]
    if unit.is_ranked:
        links.insert(
            0, {"url": reverse("reports:unit_sheet", args=[assessment.pk, "pdf"]), "label": "Kết quả (PDF)"}
        )
    previous = unit.previous
    return {
        "unit": unit,
        "url": reverse("reports:detail", args=[assessment.pk]) if unit.is_ranked else links[-1]["url"],
        "links": links,
        "points": format_score(unit.points),
        "max": format_score(unit.max),
        "bonus": format_score(unit.bonus) if unit.bonus else "",
        "deduction": format_score(unit.deduction) if unit.deduction else "",
        "index": format_index(unit.index),
        "change": format_change(unit.change),
        "change_class": "up" if (unit.change or 0) > 0 else "down" if (unit.change or 0) < 0 else "",
        "previous_index": format_index(previous.index) if previous else "",
        "rank_change": signed_rank(unit.rank_change),
        "note": previous.note if previous else "",
    }


@protected("GET", "HEAD")
def ranking_page(request, province_pk: int):
    province = permissions.scope_unit_blocks(request.user, province_pk)
    query = RankingQuery.from_request(province, request.GET)
    context = {"province": province, "query": query, "sorts": SORTS}
    if query.year is not None and query.kind is not None:
        block = ranking.rank_block(province, query.year, query.kind)
        if query.grade and query.grade not in block.grade_labels:
            query.problems.append(f"Bộ tiêu chí không có xếp loại “{query.grade}”: hiện mọi xếp loại.")
            query.grade = ""
        units = _sorted_units(block, query)
        context |= {
            "ranking_block": block,
            "rows": [unit_row(request.user, u) for u in units],
            "charts": [c | {"svg": mark_safe(c["svg"])} for c in ranking_charts(block)],
            "grade_counts": block.grade_counts(),
            "sort_links": {
                key: query.params(sap_xep=("-" + key) if query.sort == key and not query.descending else key)
                for key in SORTS
            },
            "any_bonus": any(u.bonus for u in block.units) or any(u.deduction for u in block.units),
            "any_previous": any(u.previous for u in block.units),
        }
    return render(request, "reports/ranking.html", context)


def _block_or_404(request, province_pk: int):
    province = permissions.scope_unit_blocks(request.user, province_pk)
    query = RankingQuery.from_request(province, request.GET)
    if query.year is None or query.kind is None or query.problems:
        raise Http404(" ".join(query.problems) or "Chưa có bộ tiêu chí cho các đơn vị của tỉnh.")
    return province, query


@protected("GET", "HEAD")
def ranking_xlsx(request, province_pk: int):
    province, query = _block_or_404(request, province_pk)
    exported = export_ranking([ranking.rank_block(province, query.year, query.kind, compare_previous=False)])
    return attachment(exported.content, exported.content_type, exported.filename)


DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _document(report, fmt: str, filename: str) -> HttpResponse:
    if fmt == "pdf":
        from .pdf import render_pdf

        content = render_pdf(report)
    else:
        from .docx import render_docx

        content = render_docx(report)
    return attachment(content, DOCUMENT_TYPES[fmt], f"{filename}.{fmt}")


@protected("GET", "HEAD")
def announcement(request, province_pk: int, year: int, fmt: str):
    province = permissions.scope_unit_blocks(request.user, province_pk)
    if fmt not in DOCUMENT_TYPES:
        raise Http404("Định dạng không hỗ trợ.")
    try:
        report = build_announcement(province, year)
    except ranking.RankingError as exc:
        raise Http404(str(exc)) from exc
    return _document(report, fmt, f"quyet-dinh-cong-bo-chi-so-cchc-{year}-{slug(province.name)}")


@protected("GET", "HEAD")
def unit_sheet(request, pk: int, fmt: str):
    assessment, _can_edit = permissions.scope_report(request.user, pk)
    if fmt not in DOCUMENT_TYPES or assessment.subject.kind == SubjectKind.PROVINCE:
        raise Http404("Không có phiếu kết quả cho đối tượng này.")
    report = build_unit_sheet(assessment)
    return _document(report, fmt, f"ket-qua-chi-so-cchc-{assessment.year}-{slug(assessment.subject.name)}")
