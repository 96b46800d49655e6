"""Documents of a province's own index, in the ND 30/2020 layout the annual report uses:
the announcement (Quyết định công bố Chỉ số CCHC năm Y của các sở, ban, ngành và UBND cấp xã)
with one ranking annex per block, and each unit's result sheet (its points, the criteria where
it lost points with the team's remarks). Built as reports.document.Report from
assessments.scoring.ranking, rendered by reports.pdf and reports.docx.
"""

from __future__ import annotations

from decimal import Decimal

from assessments import scoring
from assessments.decimals import format_change, format_index, format_score
from assessments.exchange.ranking_export import HEADER as ANNEX_HEADER
from assessments.exchange.ranking_export import UNRANKED_NOTE, annex_title, unit_cells
from assessments.models import Section, Subject
from assessments.scoring import ranking

from .compose import BLANK, body
from .document import (
    Annex,
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
)

ANNEX_WIDTHS = [7, 36, 11, 11, 11, 10, 14]
ANNEX_ALIGN = ["center", "left", "right", "right", "right", "center", "center"]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def _place(province: Subject) -> str:
    return province.name


def _date_line(province: Subject, year: int) -> str:
    return f"{_place(province)}, ngày{BLANK}tháng{BLANK}năm {year + 1}"


def _blocks_phrase(blocks: list[ranking.Block]) -> str:
    names = {"department": "các sở, ban, ngành", "commune": "UBND cấp xã", "district": "UBND cấp huyện"}
    return " và ".join(names.get(b.kind, b.kind_label.lower()) for b in blocks)


def _grade_summary(block: ranking.Block) -> str:
    counts = [f"{label} {n:02d} đơn vị" for label, n in block.grade_counts() if n]
    return "; ".join(counts)


def _block_summary(block: ranking.Block) -> list[Paragraph]:
    ranked = block.ranked
    if not ranked:
        return [
            body(f"- Khối {block.kind_label.lower()}: chưa có đơn vị nào có điểm thẩm định.", style="bullet")
        ]
    mean = sum((u.exact_index or Decimal(0) for u in ranked), Decimal(0)) / len(ranked)
    best, worst = ranked[0], ranked[-1]
    text = (
        f"Khối {block.kind_label.lower()}: {len(ranked):02d} đơn vị, chỉ số bình quân {format_index(mean)}%; "
        f"cao nhất {best.subject.name} ({format_index(best.index)}%), "
        f"thấp nhất {worst.subject.name} ({format_index(worst.index)}%)"
    )
    grades = _grade_summary(block)
    return [Paragraph([Run(text + (f"; xếp loại: {grades}." if grades else "."))], style="bullet")]


def annex_table(block: ranking.Block) -> Table:
    columns = [
        Column(label, width, align)
        for label, width, align in zip(ANNEX_HEADER, ANNEX_WIDTHS, ANNEX_ALIGN, strict=True)
    ]
    rows = [
        Row(
            [
                Cell([Run(text)], align)
                for text, align in zip(unit_cells(position, unit), ANNEX_ALIGN, strict=True)
            ]
        )
        for position, unit in enumerate(block.ranked, start=1)
    ]
    return Table(columns, rows, css_class="annex-ranking")


def annex_blocks(block: ranking.Block) -> list:
    """The ranked units' table; the units without appraised points named below it."""
    found: list = [annex_table(block)]
    if block.unranked:
        names = ", ".join(u.subject.name for u in block.unranked)
        found.append(Paragraph([Run(UNRANKED_NOTE.format(names=names), italic=True)], style="note"))
    return found


def build_announcement(province: Subject, year: int) -> Report:
    """The province's decision announcing the year's index of every block it has a framework
    for. RankingError (Vietnamese) when it has none."""
    kinds = ranking.block_kinds(province, year)
    if not kinds:
        raise ranking.RankingError(
            f"{province.title.capitalize()} chưa có bộ tiêu chí các đơn vị năm {year}."
        )
    blocks = [ranking.rank_block(province, year, kind, compare_previous=False) for kind in kinds]
    phrase = _blocks_phrase(blocks)
    authority = f"ỦY BAN NHÂN DÂN {province.title.upper()}"
    header = DocumentHeader(
        parent_body="ỦY BAN NHÂN DÂN",
        issuing_body=province.title.upper(),
        number=f"Số: {BLANK}/QĐ-UBND",
        place_date=_date_line(province, year),
    )
    grounds = ["Căn cứ Luật Tổ chức chính quyền địa phương;"]
    for block in blocks:
        basis = (block.framework.legal_basis or "").strip().rstrip(".;")
        grounds.append(f"Căn cứ {basis or block.framework.name};")
    grounds.append("Theo đề nghị của Giám đốc Sở Nội vụ.")
    blocks_out: list = [Paragraph([Run(authority, bold=True)], style="center")]
    blocks_out += [Paragraph([Run(line, italic=True)]) for line in grounds]
    blocks_out.append(Paragraph([Run("QUYẾT ĐỊNH:", bold=True)], style="center"))
    annex_labels = ", ".join(f"Phụ lục {ROMAN[i]}" for i in range(len(blocks)))
    blocks_out.append(
        Paragraph(
            [
                Run("Điều 1. ", bold=True),
                Run(
                    f"Công bố Chỉ số cải cách hành chính năm {year} của {phrase} {province.title} "
                    f"({annex_labels} kèm theo), cụ thể:"
                ),
            ]
        )
    )
    for block in blocks:
        blocks_out += _block_summary(block)
    blocks_out.append(
        Paragraph(
            [
                Run("Điều 2. ", bold=True),
                Run(
                    "Giao Sở Nội vụ công khai kết quả trên Cổng thông tin điện tử của tỉnh; các đơn vị "
                    "căn cứ kết quả, phân tích những tiêu chí bị trừ điểm và đề ra giải pháp khắc phục "
                    f"trong năm {year + 1}."
                ),
            ]
        )
    )
    blocks_out.append(
        Paragraph(
            [
                Run("Điều 3. ", bold=True),
                Run(
                    "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc "
                    f"Sở Nội vụ, Thủ trưởng {phrase} và các cơ quan, đơn vị có liên quan chịu trách "
                    "nhiệm thi hành Quyết định này./."
                ),
            ]
        )
    )
    reference = (
        f"(Kèm theo Quyết định số{BLANK}/QĐ-UBND ngày{BLANK}/{BLANK}/{year + 1} của UBND {province.title})"
    )
    annexes = [
        Annex(
            label=f"Phụ lục {ROMAN[i]}",
            title=annex_title(block),
            subtitle=reference,
            blocks=annex_blocks(block),
        )
        for i, block in enumerate(blocks)
    ]
    return Report(
        header=header,
        doc_type="QUYẾT ĐỊNH",
        title_lines=[f"Công bố Chỉ số cải cách hành chính năm {year}", f"của {phrase} {province.title}"],
        blocks=blocks_out,
        signature=Signature(
            authority="TM. ỦY BAN NHÂN DÂN",
            title="CHỦ TỊCH",
            name="",
            recipients=[
                "Như Điều 3",
                "Bộ Nội vụ",
                "TT. Tỉnh ủy, TT. HĐND tỉnh",
                "CT, các PCT UBND tỉnh",
                "Cổng thông tin điện tử tỉnh",
                "Lưu: VT, SNV",
            ],
        ),
        annexes=annexes,
        subject_name=province.name,
        year=year,
        title=f"Quyết định công bố Chỉ số CCHC năm {year} – {province.title}",
    )


# --- one unit's result sheet ----------------------------------------------------------------


def lost_rows(result: scoring.Result) -> list[Row]:
    """The criteria where the unit lost points (appraised below the maximum, within the scale)
    and the deductions it received, with the team's remarks."""
    rows = []
    for leaf in result.leaves():
        section = leaf.criterion.section
        if section == Section.MAIN and scoring.lost_points(leaf):
            lost = leaf.max - (leaf.appraised or 0)
        elif section == Section.DEDUCTION and leaf.appraised:
            lost = leaf.appraised
        else:
            continue
        remark = ""
        if leaf.score is not None:
            remark = (leaf.score.recheck_comment or leaf.score.appraisal_comment or "").strip()
        rows.append(
            Row(
                [
                    Cell([Run(leaf.code)], "center"),
                    Cell([Run(leaf.name)]),
                    Cell([Run(format_score(leaf.max))], "right"),
                    Cell([Run(format_score(leaf.appraised))], "right"),
                    Cell([Run(format_score(lost))], "right"),
                    Cell([Run(remark)]),
                ]
            )
        )
    return rows


def build_unit_sheet(assessment) -> Report:
    """The result sheet of one unit: its points against its block's ranking."""
    subject = assessment.subject
    province = subject.province or assessment.framework.owner
    year = assessment.year
    block = ranking.rank_block(province, year, assessment.framework.subject_kind)
    unit = next(u for u in block.units if u.assessment.pk == assessment.pk)
    result = unit.result
    header = DocumentHeader(
        parent_body=f"UBND {province.title.upper()}",
        issuing_body="SỞ NỘI VỤ",
        number=f"Số: {BLANK}/TB-SNV",
        place_date=_date_line(province, year),
    )
    out: list = [
        body(
            f"Căn cứ {assessment.framework.name}, Sở Nội vụ thông báo kết quả thẩm định Chỉ số cải cách "
            f"hành chính năm {year} của {subject.name} như sau:"
        ),
        Heading("I. Kết quả chung", 1),
    ]
    if unit.points is None:
        out.append(body("Đơn vị chưa có điểm thẩm định: chưa xếp hạng."))
    else:
        sections = []
        if unit.bonus:
            sections.append(f"điểm thưởng {format_score(unit.bonus)}")
        if unit.deduction:
            sections.append(f"điểm trừ {format_score(unit.deduction)}")
        detail = f" (trong đó {', '.join(sections)})" if sections else ""
        out.append(
            body(
                f"Điểm đạt: {format_score(unit.points)}/{format_score(unit.max)} điểm{detail}; "
                f"Chỉ số: {format_index(unit.index)}%; xếp hạng {unit.rank}/{len(block.ranked)} "
                f"khối {block.kind_label.lower()}" + (f"; xếp loại {unit.grade}." if unit.grade else ".")
            )
        )
    if unit.previous is not None and unit.change is not None:
        note = f" ({unit.previous.note})" if unit.previous.note else ""
        out.append(
            body(
                f"So với năm {year - 1}{note}: chỉ số {format_index(unit.previous.index)}%, "
                f"thay đổi {format_change(unit.change)} điểm phần trăm."
            )
        )
    field_rows = [
        Row(
            [
                Cell([Run(node.code)], "center"),
                Cell([Run(node.name)]),
                Cell([Run(format_score(node.applicable_max))], "right"),
                Cell([Run(format_score(node.appraised))], "right"),
                Cell(
                    [Run(format_index(node.index) if node.criterion.section == Section.MAIN else "")], "right"
                ),
            ]
        )
        for node in result.fields
    ]
    field_rows.append(
        Row(
            [
                Cell([]),
                Cell([Run("TỔNG ĐIỂM", bold=True)]),
                Cell([Run(format_score(result.applicable_max), bold=True)], "right"),
                Cell([Run(format_score(result.appraised), bold=True)], "right"),
                Cell([Run(format_index(result.index), bold=True)], "right"),
            ],
            bold=True,
        )
    )
    out.append(
        Table(
            [
                Column("STT", 8, "center"),
                Column("Lĩnh vực", 52),
                Column("Điểm tối đa", 13, "right"),
                Column("Điểm đạt", 13, "right"),
                Column("Chỉ số (%)", 14, "right"),
            ],
            field_rows,
            css_class="unit-fields",
        )
    )
    out.append(Heading("II. Các tiêu chí bị trừ điểm", 1))
    lost = lost_rows(result)
    if lost:
        out.append(
            Table(
                [
                    Column("Mã", 8, "center"),
                    Column("Tiêu chí", 34),
                    Column("Điểm tối đa", 10, "right"),
                    Column("Điểm đạt", 10, "right"),
                    Column("Điểm bị trừ", 10, "right"),
                    Column("Ý kiến của đoàn thẩm định", 28),
                ],
                lost,
                css_class="unit-lost",
            )
        )
    else:
        out.append(body("Đơn vị đạt điểm tối đa ở mọi tiêu chí được thẩm định."))
    out.append(
        body(
            f"Đề nghị {subject.name} rà soát các tiêu chí bị trừ điểm, đề ra giải pháp khắc phục trong năm "
            f"{year + 1}./."
        )
    )
    return Report(
        header=header,
        doc_type="THÔNG BÁO",
        title_lines=[f"Kết quả Chỉ số cải cách hành chính năm {year}", f"của {subject.name}"],
        blocks=out,
        signature=Signature(
            authority="KT. GIÁM ĐỐC",
            title="PHÓ GIÁM ĐỐC",
            name="",
            recipients=[subject.name, "Lưu: VT, CCHC"],
        ),
        annexes=[],
        subject_name=subject.name,
        year=year,
        title=f"Kết quả Chỉ số CCHC năm {year} – {subject.name}",
    )
