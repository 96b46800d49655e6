"""Compose the BC-SNV report once, from the scoring module and the stored narrative."""

from __future__ import annotations

from decimal import Decimal

from assessments.decimals import format_change, format_index, format_score
from assessments.exchange.annex_rows import TOTAL_LABEL, annex_rows
from assessments.models import ScoringMethod

from . import charts
from .document import (
    Annex,
    Block,
    Cell,
    Column,
    DocumentHeader,
    Heading,
    Paragraph,
    Report,
    Row,
    Run,
    Signature,
    Table,
    paragraphs_from_text,
    rich_runs,
)
from .drafts import effective
from .facts import (
    FieldFacts,
    ReportFacts,
    gather,
    lower_first,
    previous_figures_note,
    reaches,
    sentence_case,
)

LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"]
DOC_SYMBOL = "BC-SNV"
BLANK = " " + "\u00a0" * 6  # room to write the number or date by hand, kept by every renderer


def padded_count(n: int) -> str:
    """Administrative style: counts under ten take a leading zero (06 lĩnh vực)."""
    return f"{n:02d}"


def join_vi(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def change_phrase(change: Decimal | None, previous_year: int) -> str:
    if change is None:
        return ""
    if change > 0:
        return f"tăng {format_index(change)} điểm phần trăm so với năm {previous_year}"
    if change < 0:
        return f"giảm {format_index(-change)} điểm phần trăm so với năm {previous_year}"
    return f"không đổi so với năm {previous_year}"


def rank_change_phrase(change: int | None, previous_year: int) -> str:
    if change is None:
        return ""
    if change > 0:
        return f"tăng {change} bậc so với năm {previous_year}"
    if change < 0:
        return f"giảm {-change} bậc so với năm {previous_year}"
    return f"giữ nguyên thứ hạng so với năm {previous_year}"


def rank_change_short(change: int | None) -> str:
    if change is None:
        return ""
    return f"+{change}" if change > 0 else (f"−{-change}" if change < 0 else "0")


def body(*parts, style: str = "body") -> Paragraph:
    """A paragraph from strings (plain) and Runs."""
    runs = [p if isinstance(p, Run) else Run(p) for p in parts if p]
    return Paragraph(runs, style=style)


def number_text(narrative: dict) -> str:
    number = narrative["document_number"].strip()
    if number.isdigit() and len(number) == 1:
        number = "0" + number
    return f"{number}/{DOC_SYMBOL}" if number else f"{BLANK}/{DOC_SYMBOL}"


def date_text(narrative: dict, year: int) -> str:
    place = narrative["place"]
    day = narrative["issue_date"]
    if day is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm {year + 1}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def build_report(assessment, narrative=None) -> Report:
    facts = gather(assessment, narrative)
    return compose(facts)


def compose(facts: ReportFacts) -> Report:
    text = effective(facts)
    subject = facts.subject
    year = facts.year
    agency_name = facts.issuing_agency.name if facts.issuing_agency else "Sở Nội vụ"
    province = facts.province or subject
    header = DocumentHeader(
        parent_body=f"UBND {province.title.upper()}",
        issuing_body=agency_name.upper(),
        number=f"Số: {number_text(text)}",
        place_date=date_text(text, year),
    )
    blocks: list[Block] = []
    blocks += intro(facts)
    blocks += section_framework(facts)
    blocks += section_results(facts, text)
    blocks += section_assessment(facts, text)
    blocks += section_proposals(facts, text)
    recipients = [line.strip().lstrip("-–").strip().rstrip(";.") for line in text["recipients"].splitlines()]
    signature = Signature(
        authority=text["signer_authority"].upper(),
        title=text["signer_title"].upper(),
        name=text["signer_name"],
        recipients=[r for r in recipients if r],
    )
    annex_ref = annex_reference(text, year, agency_name)
    report = Report(
        header=header,
        doc_type="BÁO CÁO",
        title_lines=[
            "Kết quả Chỉ số cải cách hành chính (PAR INDEX)",
            f"năm {year} {subject.title}",
        ],
        blocks=blocks,
        signature=signature,
        annexes=[annex_criteria(facts, annex_ref), annex_fields(facts, annex_ref)],
        subject_name=subject.name,
        year=year,
    )
    return report


def annex_reference(text: dict, year: int, agency_name: str) -> str:
    number = number_text(text)
    day = text["issue_date"]
    when = day.strftime("%d/%m/%Y") if day else f"{BLANK}/{BLANK}/{year + 1}"
    return f"(Kèm theo Báo cáo số {number} ngày {when} của {agency_name})"


# --- opening and section I ----------------------------------------------------------------------


def intro(facts: ReportFacts) -> list[Block]:
    year = facts.year
    return [
        body(
            f"Căn cứ kết quả công bố Chỉ số cải cách hành chính năm {year} của các bộ, cơ quan ngang bộ, "
            "Ủy ban nhân dân (UBND) các tỉnh, thành phố trực thuộc Trung ương của Ban Chỉ đạo Cải cách "
            "hành chính của Chính phủ."
        ),
        body(
            f"Sở Nội vụ báo cáo kết quả Chỉ số cải cách hành chính (PAR INDEX) năm {year} của "
            f"{facts.subject.title}, như sau:"
        ),
    ]


def section_framework(facts: ReportFacts) -> list[Block]:
    result = facts.result
    framework = result.framework
    fields = result.fields
    levels = [n.level for n in result.nodes()]
    per_field = []
    for f in fields:
        criteria = sum(1 for n in f.walk() if n.level == 2)
        subs = sum(1 for n in f.walk() if n.level == 3)
        per_field.append(f"{lower_first(_name(f))}: {criteria} tiêu chí và {subs} tiêu chí thành phần")
    survey_points = sum(
        (leaf.max for leaf in result.leaves() if leaf.method != ScoringMethod.SELF_ASSESSED), Decimal(0)
    )
    out: list[Block] = [Heading("I. KHÁI QUÁT CHUNG VỀ BỘ CHỈ SỐ PAR INDEX", 1)]
    if framework.legal_basis:
        out.append(body(f"Bộ tiêu chí xác định Chỉ số được ban hành theo {framework.legal_basis}."))
    out.append(
        body(
            f"Theo đó, {lower_first(framework.name)} năm {framework.year} được cấu trúc thành "
            f"{len(fields)} lĩnh vực, {levels.count(2)} tiêu chí, {levels.count(3)} tiêu chí thành phần, "
            f"cụ thể: {'; '.join(per_field)}."
        )
    )
    out.append(
        body(
            f"Thang điểm đánh giá là {format_score(result.max)}, trong đó điểm đánh giá thông qua điều tra "
            f"xã hội học là {format_score(survey_points)}/{format_score(result.max)} điểm."
        )
    )
    return out


def _name(node) -> str:
    return sentence_case(node.name)


# --- section II ---------------------------------------------------------------------------------


def section_results(facts: ReportFacts, text: dict) -> list[Block]:
    year, previous_year = facts.year, facts.previous_year
    result = facts.result
    parts = result.parts
    unit = facts.ranked_unit
    out: list[Block] = [
        Heading(f"II. KẾT QUẢ CHỈ SỐ PAR INDEX NĂM {year} CỦA {facts.subject.title.upper()}", 1)
    ]
    self_assessed, people_survey, leader_survey = (
        parts["self_assessed"],
        parts["people_survey"],
        parts["leader_survey"],
    )
    sentence = (
        f"Điểm cải cách hành chính năm {year} của {facts.subject.title} đạt "
        f"{format_index(result.appraised)}/{format_score(result.applicable_max)} điểm (trong đó: "
        f"{format_index(self_assessed.score)}/{format_score(self_assessed.max)} điểm tự đánh giá qua "
        f"thẩm định, {format_index(people_survey.score)}/{format_score(people_survey.max)} điểm kết quả "
        f"SIPAS và {format_index(leader_survey.score)}/{format_score(leader_survey.max)} điểm khảo sát "
        "đối tượng lãnh đạo, quản lý), "
        f"Chỉ số đạt {format_index(result.index)}%"
    )
    change = change_phrase(facts.total.change, previous_year)
    if change:
        sentence += f" ({change})"
    if facts.total.rank is not None:
        sentence += f", đứng thứ {facts.total.rank}/{facts.ranked_count or '…'} {unit}"
        rc = rank_change_phrase(facts.total.rank_change, previous_year)
        if rc:
            sentence += f" ({rc})"
    region = region_sentence(facts)
    if region:
        sentence += f" và {region}"
    sentence += "."
    out.append(body(sentence))
    total_gap = next((g for g in facts.gaps if g.field_code == ""), None)
    if total_gap:
        out.append(gap_note(total_gap))

    up, down, same = facts.fields_in("up"), facts.fields_in("down"), facts.fields_in("same")
    n = len(facts.fields)
    if up or down or same:
        summary = [
            f"{padded_count(len(up))}/{n} lĩnh vực thứ hạng tăng",
            f"{padded_count(len(down))}/{n} lĩnh vực thứ hạng giảm",
        ]
        if same:
            summary.append(f"{padded_count(len(same))}/{n} lĩnh vực giữ nguyên thứ hạng")
        out.append(body(f"Trong đó: {join_vi(summary)} so với năm {previous_year}."))
    out += chart_blocks(facts)

    groups = []
    if up or down or same:
        groups = [
            (f"Các lĩnh vực có thứ hạng tăng ({padded_count(len(up))} lĩnh vực)", up),
            (f"Các lĩnh vực có thứ hạng giảm ({padded_count(len(down))} lĩnh vực)", down),
            (f"Các lĩnh vực giữ nguyên thứ hạng ({padded_count(len(same))} lĩnh vực)", same),
        ]
        rest = facts.fields_in("unknown")
        if rest:
            groups.append(
                (f"Các lĩnh vực chưa có thứ hạng so sánh ({padded_count(len(rest))} lĩnh vực)", rest)
            )
    else:
        groups = [("Kết quả từng lĩnh vực", facts.fields)]
    number = 0
    for title, members in groups:
        if not members:
            continue
        number += 1
        out.append(Heading(f"{number}. {title}", 2))
        for i, f in enumerate(members):
            out += field_blocks(facts, f, LETTERS[i % len(LETTERS)], text)
    return out


def region_sentence(facts: ReportFacts) -> str:
    """ "đứng thứ 02/6 trong khu vực Đông Nam Bộ (sau tỉnh Bà Rịa - Vũng Tàu)", when
    scoring.region_rank knows the region's national results."""
    region = facts.region
    if region is None:
        return ""
    text = f"đứng thứ {padded_count(region.rank)}/{region.count} trong khu vực {region.region}"
    ahead = [subject.title for subject in region.ahead]
    if ahead:
        text += f" (sau {join_vi(ahead)})"
    return text


def gap_note(gap) -> Paragraph:
    where = f"lĩnh vực {gap.field_code}" if gap.field_code else "Chỉ số chung"
    return body(
        Run(
            f"Ghi chú: {where} tính từ điểm thẩm định đạt {format_index(gap.computed)}%, kết quả công bố "
            f"ghi {format_index(gap.published)}% (chênh {format_index(abs(gap.difference))} điểm phần "
            "trăm); báo cáo sử dụng số liệu tính từ điểm thẩm định.",
            italic=True,
        ),
        style="note",
    )


def field_blocks(facts: ReportFacts, f: FieldFacts, letter: str, text: dict) -> list[Block]:
    previous_year = facts.previous_year
    node = f.node
    agencies = [a.name for a in node.responsible]
    heading_runs = [Run(f"{letter}) Lĩnh vực {lower_first(f.name)} ")]
    if agencies:
        heading_runs.append(Run(f"(lĩnh vực {join_vi(agencies)} tham mưu)", italic=True))
    out: list[Block] = [Heading(f"{letter}) Lĩnh vực {lower_first(f.name)}", 3, runs=heading_runs)]
    sentence = (
        f"Đạt {format_index(node.appraised)}/{format_score(node.applicable_max)} điểm, "
        f"Chỉ số đạt {format_index(node.index)}%"
    )
    parts = [Run(sentence)]
    change = change_phrase(f.comparison.change, previous_year)
    if change:
        parts.append(Run(" ("))
        parts.append(Run(change, italic=True))
        parts.append(Run(")"))
    if f.comparison.rank is not None:
        parts.append(Run(f", đứng thứ {f.comparison.rank}/{f.ranked_count or '…'} {facts.ranked_unit}"))
        rc = rank_change_phrase(f.comparison.rank_change, previous_year)
        if rc:
            parts.append(Run(" ("))
            parts.append(Run(rc, italic=True))
            parts.append(Run(")"))
    parts.append(Run("."))
    out.append(Paragraph(parts))
    if f.gap:
        out.append(gap_note(f.gap))
    out += paragraphs_from_text(text[f"field_{f.code}"])
    if f.below_max:
        out.append(
            body(
                f"Các tiêu chí, tiêu chí thành phần tự đánh giá chưa đạt điểm tối đa qua thẩm định "
                f"({padded_count(len(f.below_max))}), cụ thể:"
            )
        )
        for leaf in f.below_max:
            out.append(
                body(
                    f"{leaf.label} {leaf.name.rstrip('.')} đạt "
                    f"{format_score(leaf.appraised)}/{format_score(leaf.max)} điểm.",
                    style="bullet",
                )
            )
            if leaf.comment.strip():
                out.append(Paragraph([Run("Lý do: "), *rich_runs(leaf.comment.strip())], style="reason"))
    return out


def chart_blocks(facts: ReportFacts) -> list[Block]:
    rows = []
    for f in facts.fields:
        rows.append(
            charts.FieldPoint(
                code=f.code,
                name=f.name,
                index=f.index,
                previous_index=f.comparison.previous_index,
                rank=f.comparison.rank,
                previous_rank=f.comparison.previous_rank,
            )
        )
    ranked = facts.ranked_count or max((p.rank or 0 for p in rows), default=0)
    out: list[Block] = []
    if any(p.index is not None or p.previous_index is not None for p in rows):
        # An open year with nothing appraised yet and no last year has no index to draw.
        out.append(charts.index_chart(tuple(rows), facts.year))
    if any(p.rank for p in rows):
        out.append(charts.rank_chart(tuple(rows), facts.year, ranked))
    if out:
        out += previous_note(facts)
    return out


def previous_note(facts: ReportFacts) -> list[Block]:
    """Which of last year's figures the text, the charts and the annex compare with."""
    note = previous_figures_note(facts)
    return [body(Run(f"Ghi chú: {note}", italic=True), style="note")] if note else []


# --- sections III and IV ------------------------------------------------------------------------


def section_assessment(facts: ReportFacts, text: dict) -> list[Block]:
    result = facts.result
    n = len(facts.fields)
    previous_year = facts.previous_year
    out: list[Block] = [Heading("III. ĐÁNH GIÁ CHUNG", 1)]
    high = [f for f in facts.fields if reaches(f.index, 90)]
    items = [
        f"Chỉ số năm {facts.year} đạt {format_index(result.index)}%"
        + (
            f", đứng thứ {facts.total.rank}/{facts.ranked_count or '…'} {facts.ranked_unit}"
            if facts.total.rank
            else ""
        )
    ]
    items.append(
        f"có {padded_count(len(high))}/{n} lĩnh vực có Chỉ số đạt từ 90% trở lên"
        + (f" ({'; '.join(lower_first(f.name) for f in high)})" if high else "")
    )
    up, down = facts.fields_in("up"), facts.fields_in("down")
    if up or down or facts.fields_in("same"):
        items.append(
            f"{padded_count(len(up))}/{n} lĩnh vực có thứ hạng tăng so với năm {previous_year}"
            + (
                " ("
                + "; ".join(f"{lower_first(f.name)} tăng {f.comparison.rank_change} bậc" for f in up)
                + ")"
                if up
                else ""
            )
        )
        items.append(
            f"{padded_count(len(down))}/{n} lĩnh vực có thứ hạng giảm"
            + (
                " ("
                + "; ".join(
                    f"{lower_first(f.name)} giảm {-(f.comparison.rank_change or 0)} bậc" for f in down
                )
                + ")"
                if down
                else ""
            )
        )
    at_max, below, zero = result.at_max_criteria, result.below_max_criteria, result.zero_criteria
    items.append(
        f"{padded_count(len(at_max))} tiêu chí, tiêu chí thành phần tự đánh giá đạt điểm tối đa; "
        f"{padded_count(len(below))} tiêu chí, tiêu chí thành phần chưa đạt điểm tối đa, trong đó "
        f"{padded_count(len(zero))} bị chấm 0 điểm"
    )
    parts = result.parts
    people_survey, leader_survey = parts["people_survey"], parts["leader_survey"]
    # The share of the points is not the survey's own index (the published SIPAS index is
    # another figure, computed by the survey): it is said as what it is.
    if people_survey.max:
        items.append(
            "điểm kết quả khảo sát sự hài lòng của người dân, tổ chức (SIPAS) đạt "
            f"{format_index(people_survey.score)}/{format_score(people_survey.max)} điểm, "
            f"bằng {format_index(people_survey.index)}% số điểm tối đa"
        )
    if leader_survey.max:
        items.append(
            "điểm khảo sát đối tượng lãnh đạo, quản lý đạt "
            f"{format_index(leader_survey.score)}/{format_score(leader_survey.max)} điểm, "
            f"bằng {format_index(leader_survey.index)}% số điểm tối đa"
        )
    out.append(body("Kết quả chung: " + "; ".join(items) + "."))
    out += paragraphs_from_text(text["assessment_text"])
    return out


def section_proposals(facts: ReportFacts, text: dict) -> list[Block]:
    out: list[Block] = [Heading("IV. ĐỀ XUẤT GIẢI PHÁP NÂNG CAO CHỈ SỐ", 1)]
    out += paragraphs_from_text(text["proposals_text"])
    by_agency: dict[str, list] = {}
    for leaf in facts.result.below_max_criteria:
        for agency in leaf.responsible or []:
            by_agency.setdefault(agency.name, []).append(leaf)
    if by_agency:
        out.append(
            body(
                "Các tiêu chí, tiêu chí thành phần chưa đạt điểm tối đa theo cơ quan tham mưu, đề nghị "
                "từng cơ quan rà soát, đề ra giải pháp khắc phục:"
            )
        )
        for i, (name, leaves) in enumerate(by_agency.items()):
            out.append(Heading(f"{LETTERS[i % len(LETTERS)]}) {name}", 3))
            for leaf in leaves:
                out.append(
                    body(
                        f"{leaf.label} {leaf.name.rstrip('.')}: đạt {format_score(leaf.appraised)}/"
                        f"{format_score(leaf.max)} điểm.",
                        style="bullet",
                    )
                )
    return out


# --- annexes ------------------------------------------------------------------------------------


ANNEX_LAYOUT = {  # column key: (width %, alignment)
    "code": (7, "center"),
    "name": (33, "left"),
    "max": (9, "right"),
    "self_score": (9, "right"),
    "appraised": (9, "right"),
    "rechecked": (9, "right"),
    "not_applicable": (8, "center"),
    "comment": (33, "left"),
}


def _annex_cell(line, key: str, align: str) -> Cell:
    if key == "comment":
        return Cell(rich_runs(line.comment))
    if key == "not_applicable":
        text = line.mark
    elif key in ("code", "name"):
        text = getattr(line, key)
    else:
        text = format_score(getattr(line, key))
    return Cell([Run(text, bold=line.bold)], align)


def annex_criteria(facts: ReportFacts, reference: str) -> Annex:
    """The rows of assessments.exchange.annex_rows, as the Excel export shows them."""
    table = annex_rows(facts.result)
    keys = [column.key for column in table.columns(every=False)]
    extra = sum(ANNEX_LAYOUT[key][0] for key in keys) - 100
    widths = {key: ANNEX_LAYOUT[key][0] for key in keys}
    widths["name"] -= extra - extra // 2
    widths["comment"] -= extra // 2
    columns = [
        Column(column.label, widths[column.key], ANNEX_LAYOUT[column.key][1])
        for column in table.columns(every=False)
    ]
    rows = [
        Row(
            cells=[_annex_cell(line, key, ANNEX_LAYOUT[key][1]) for key in keys],
            bold=line.bold,
            level=line.level,
        )
        for line in table.lines
    ]
    total = table.total
    total_text = {"code": "", "name": TOTAL_LABEL, "not_applicable": "", "comment": total.note}

    def total_cell(key: str) -> Cell:
        text = total_text[key] if key in total_text else format_score(getattr(total, key))
        return Cell([Run(text, bold=True)] if text else [], ANNEX_LAYOUT[key][1])

    rows.append(Row(cells=[total_cell(key) for key in keys], bold=True))
    table_block = Table(columns, rows, css_class="annex-criteria")
    return Annex(
        label="Phụ lục I",
        title=f"KẾT QUẢ ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {facts.year} CỦA {facts.subject.title.upper()}",
        subtitle=reference,
        blocks=[table_block],
    )


def annex_fields(facts: ReportFacts, reference: str) -> Annex:
    year, previous_year = facts.year, facts.previous_year
    has_prev = facts.has_previous
    columns = [
        Column("STT", 7, "center"),
        Column("Lĩnh vực", 37 if has_prev else 53),
        Column(f"Chỉ số {year} (%)", 11, "right"),
        Column(f"Thứ hạng {year}", 9, "center"),
    ]
    if has_prev:
        columns += [
            Column(f"Chỉ số {previous_year} (%)", 11, "right"),
            Column(f"Thứ hạng {previous_year}", 9, "center"),
            Column("Tăng/giảm (điểm %)", 8, "right"),
            Column("Tăng/giảm thứ hạng", 8, "center"),
        ]
    rows = []

    def row(code, name, index, comparison, bold=False):
        cells = [
            Cell([Run(code, bold=bold)], "center"),
            Cell([Run(name, bold=bold)]),
            Cell([Run(format_index(index), bold=bold)], "right"),
            Cell([Run(str(comparison.rank or ""), bold=bold)], "center"),
        ]
        if has_prev:
            cells += [
                Cell([Run(format_index(comparison.previous_index), bold=bold)], "right"),
                Cell([Run(str(comparison.previous_rank or ""), bold=bold)], "center"),
                Cell([Run(format_change(comparison.change), bold=bold)], "right"),
                Cell([Run(rank_change_short(comparison.rank_change), bold=bold)], "center"),
            ]
        return Row(cells, bold=bold)

    for f in facts.fields:
        rows.append(row(f.code, f.name, f.index, f.comparison))
    rows.append(row("", "Chỉ số chung", facts.result.index, facts.total, bold=True))
    blocks: list[Block] = [Table(columns, rows, css_class="annex-fields")]
    for gap in facts.gaps:
        blocks.append(gap_note(gap))
    if has_prev:
        blocks += previous_note(facts)
    return Annex(
        label="Phụ lục II",
        title=f"KẾT QUẢ CHỈ SỐ TỪNG LĨNH VỰC NĂM {year}" + (f" VÀ NĂM {previous_year}" if has_prev else ""),
        subtitle=reference,
        blocks=blocks,
    )
