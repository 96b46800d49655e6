"""The figures a report states, read from assessments.scoring (never added up here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from assessments import scoring
from assessments.decimals import round_index
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
    previous: dict[str, PublishedResult]
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
    previous = scoring.published_results(subject, assessment.year - 1)
    gaps = {g.field_code: g for g in scoring.published_gaps(result, published)}
    below = result.below_max_criteria
    fields = []
    for node in result.fields:
        pub, prev = published.get(node.code), previous.get(node.code)
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
            )
        )
    total_pub, total_prev = published.get(""), previous.get("")
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
        previous=previous,
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
