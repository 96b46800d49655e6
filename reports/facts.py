"""The figures a report states, read from assessments.scoring (never added up here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from assessments import scoring
from assessments.decimals import format_index, round_index
from assessments.models import Agency, Assessment, PublishedResult, SubjectKind
from assessments.permissions import province_of

from .models import ReportNarrative

ACRONYMS = {
    "CCHC",
    "TTHC",
    "QPPL",
    "VBQPPL",
    "KT-XH",
    "SIPAS",
    "PAR",
    "INDEX",
    "UBND",
    "HĐND",
    "NSNN",
    "SNCL",
}


def sentence_case(name: str) -> str:
    """ "CẢI CÁCH THỦ TỤC HÀNH CHÍNH" -> "Cải cách thủ tục hành chính", keeping acronyms."""
    if name != name.upper():
        return name
    words = []
    for i, word in enumerate(name.split(" ")):
        bare = word.strip(",.;:()")
        if bare in ACRONYMS:
            words.append(word)
        else:
            low = word.lower()
            words.append(low[:1].upper() + low[1:] if i == 0 else low)
    return " ".join(words)


def lower_first(text: str) -> str:
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if first.strip(",.;:()") in ACRONYMS:
        return text
    return text[:1].lower() + text[1:]


@dataclass
class FieldFacts:
    node: scoring.Node
    name: str
    comparison: scoring.Comparison
    ranked_count: int | None
    published: PublishedResult | None
    gap: scoring.PublishedGap | None
    below_max: list[scoring.Node] = field(default_factory=list)
    previous: scoring.PreviousFigure | None = None

    @property
    def code(self) -> str:
        return self.node.code

    @property
    def index(self) -> Decimal | None:
        return self.node.index

    @property
    def rank_group(self) -> str:
        change = self.comparison.rank_change
        if change is None:
            return "unknown"
        return "up" if change > 0 else ("down" if change < 0 else "same")


@dataclass
class ReportFacts:
    assessment: Assessment
    result: scoring.Result
    published: dict[str, PublishedResult]
    last_year: scoring.PreviousYear
    narrative: ReportNarrative
    issuing_agency: Agency | None
    fields: list[FieldFacts]
    total: scoring.Comparison
    ranked_count: int | None
    gaps: list[scoring.PublishedGap]
    region: scoring.RegionRank | None = None

    @property
    def year(self) -> int:
        return self.assessment.year

    @property
    def previous_year(self) -> int:
        return self.assessment.year - 1

    @property
    def subject(self):
        return self.assessment.subject

    @property
    def province(self):
        """The province the assessment belongs to (the subject itself for a province)."""
        return province_of(self.assessment)

    @property
    def has_previous(self) -> bool:
        return self.total.previous_index is not None or any(
            f.comparison.previous_index is not None for f in self.fields
        )

    @property
    def ranked_unit(self) -> str:
        return "tỉnh, thành phố" if self.subject.kind == SubjectKind.PROVINCE else "đơn vị"

    def fields_in(self, group: str) -> list[FieldFacts]:
        return [f for f in self.fields if f.rank_group == group]


def narrative_for(assessment: Assessment) -> ReportNarrative:
    narrative = ReportNarrative.objects.filter(assessment=assessment).first()
    return narrative or ReportNarrative(assessment=assessment)


def issuing_agency_for(assessment: Assessment) -> Agency | None:
    province = province_of(assessment)
    if province is None:
        return None
    return (
        Agency.objects.filter(province=province, is_process_owner=True)
        .valid_in_year(assessment.year)
        .order_by("-valid_from")
        .first()
    )


def gather(assessment: Assessment, narrative: ReportNarrative | None = None) -> ReportFacts:
    """Everything the report states, in a fixed number of queries."""
    result = scoring.compute(assessment)
    subject = assessment.subject
    published = scoring.published_results(subject, assessment.year)
    last_year = scoring.previous_year(assessment)  # the one rule for last year's figures
    gaps = {g.field_code: g for g in scoring.published_gaps(result, published)}
    below = result.below_max_criteria
    fields = []
    for node in result.fields:
        pub, prev = published.get(node.code), last_year.get(node.code)
        comparison = scoring.compare(
            node.index,
            prev.index if prev else None,
            pub.rank if pub else None,
            prev.rank if prev else None,
        )
        fields.append(
            FieldFacts(
                node=node,
                name=sentence_case(node.name),
                comparison=comparison,
                ranked_count=pub.ranked_count if pub else None,
                published=pub,
                gap=gaps.get(node.code),
                below_max=[n for n in below if n.code.split(".")[0] == node.code],
                previous=prev,
            )
        )
    total_pub, total_prev = published.get(""), last_year.get("")
    total = scoring.compare(
        result.index,
        total_prev.index if total_prev else None,
        total_pub.rank if total_pub else None,
        total_prev.rank if total_prev else None,
    )
    return ReportFacts(
        assessment=assessment,
        result=result,
        published=published,
        last_year=last_year,
        narrative=narrative if narrative is not None else narrative_for(assessment),
        issuing_agency=issuing_agency_for(assessment),
        fields=fields,
        total=total,
        ranked_count=total_pub.ranked_count if total_pub else None,
        gaps=[gaps[k] for k in sorted(gaps)],
        region=scoring.region_rank(subject, assessment.year),
    )


def reaches(index: Decimal | None, threshold: int) -> bool:
    """Whether an index reaches a threshold as published (2 decimals): 89,996 % reaches 90 %."""
    return index is not None and round_index(index) >= threshold


def previous_figures_note(facts: ReportFacts) -> str:
    """Which figures of last year the report compares with (scoring.previous_year's rule),
    said beside the chart, the table and in the text; "" when there is none."""
    last = facts.last_year
    if not last.figures:
        return ""
    year = last.year
    published = sorted((f for f in last.figures.values() if f.is_published), key=lambda f: f.code)
    computed = sorted((f for f in last.figures.values() if not f.is_published), key=lambda f: f.code)
    if not computed:
        text = f"Số liệu năm {year} dùng để so sánh là kết quả do Bộ Nội vụ công bố."
    elif not published:
        text = (
            f"Số liệu năm {year} dùng để so sánh là Chỉ số tính từ điểm thẩm định năm {year} "
            "(chưa nhập kết quả công bố, nên không có thứ hạng năm trước)."
        )
    else:
        names = ", ".join(_where(f.code) for f in computed)
        text = (
            f"Số liệu năm {year} dùng để so sánh là kết quả do Bộ Nội vụ công bố; riêng {names} "
            f"chưa có kết quả công bố nên dùng Chỉ số tính từ điểm thẩm định năm {year}."
        )
    for f in published:
        if f.differs_from_computed:
            text += (
                f" Ở {_where(f.code)}, kết quả công bố năm {year} là {format_index(f.index)}%, "
                f"Chỉ số tính từ điểm thẩm định năm {year} là {format_index(f.computed_index)}%."
            )
    return text


def _where(code: str) -> str:
    return f"lĩnh vực {code}" if code else "Chỉ số chung"
