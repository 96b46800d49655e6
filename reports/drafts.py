"""Generated drafts of the narrative blocks, so that a report is complete without typing.

A field's draft reads as an officer writes it: what was done well (the criteria at their
maximum), how the index moved against last year and by how much (last year's figure by the
one rule of scoring.previous_year, and which criteria gained or lost points when last year's
assessment is known), and the points still lost this year with the agencies that answer for
them, leading into the generated list of those criteria with the council's reasons. Every
sentence is built from the facts, so none contradicts another: a field whose index rose is
never given a "cause" for a fall. A draft is recomputed until the officer edits it (text equal
to the draft is not stored).
"""

from __future__ import annotations

from decimal import Decimal

from assessments.decimals import format_index, format_score

from .facts import FieldFacts, ReportFacts

DEFAULT_SIGNER_TITLE = "GIÁM ĐỐC"
LISTED = 8  # criteria named in a sentence before "…"


def _codes(nodes, limit: int = LISTED) -> str:
    names = [n.label for n in nodes[:limit]]
    return ", ".join(names) + (", …" if len(nodes) > limit else "")


def _count(n: int) -> str:
    return f"{n:02d}"


def _lost(node) -> Decimal:
    """The points a leaf lost at appraisal (its max less its final score)."""
    return node.max - (node.appraised or Decimal(0))


def _points(value: Decimal) -> str:
    return f"{format_score(value)} điểm"


def done_well_sentence(facts: ReportFacts, f: FieldFacts) -> str:
    """The self-assessed criteria at their maximum, and the survey points of the field."""
    leaves = [n for n in facts.result.at_max_criteria if n.code.split(".")[0] == f.code]
    total = len(leaves) + len(f.below_max)
    sentences = []
    if total and not f.below_max:
        sentences.append(
            f"Năm {facts.year}, tất cả {_count(total)} tiêu chí, tiêu chí thành phần tự đánh giá của "
            "lĩnh vực đều đạt điểm tối đa qua thẩm định."
        )
    elif leaves:
        sentences.append(
            f"Năm {facts.year}, {_count(len(leaves))}/{_count(total)} tiêu chí, tiêu chí thành phần tự "
            f"đánh giá của lĩnh vực đạt điểm tối đa qua thẩm định ({_codes(leaves)})."
        )
    surveys = [n for n in f.node.leaves() if n.is_survey and n.applicable and n.appraised is not None]
    if surveys:
        score = sum((n.appraised or Decimal(0) for n in surveys), Decimal(0))
        top = sum((n.max for n in surveys), Decimal(0))
        sentences.append(f"Điểm điều tra xã hội học của lĩnh vực đạt {format_score(score)}/{_points(top)}.")
    return " ".join(sentences)


def point_changes(facts: ReportFacts, f: FieldFacts) -> tuple[list, list]:
    """(gains, losses) against last year's assessment, as (node, change) for the leaves
    scored both years on the same maximum, biggest first; empty when last year is unknown."""
    gains, losses = [], []
    for node in f.node.leaves():
        before = facts.last_year.leaf(node.code)
        if before is None or not node.applicable or not before.applicable:
            continue
        if node.appraised is None or before.appraised is None or node.max != before.max:
            continue
        change = node.appraised - before.appraised
        if change > 0:
            gains.append((node, change))
        elif change < 0:
            losses.append((node, -change))
    key = lambda item: (-item[1], item[0].code)  # noqa: E731
    return sorted(gains, key=key), sorted(losses, key=key)


def _changes(items, word: str) -> str:
    shown = [f"{n.label} ({word} {_points(change)})" for n, change in items[:LISTED]]
    return ", ".join(shown) + (", …" if len(items) > LISTED else "")


def movement_sentences(facts: ReportFacts, f: FieldFacts) -> list[str]:
    """How the index and the rank moved against last year, and which criteria moved them."""
    change, rank_change, previous = f.comparison.change, f.comparison.rank_change, f.previous
    if change is None or previous is None:
        return []
    year = facts.previous_year
    basis = "kết quả công bố" if previous.is_published else "tính từ điểm thẩm định"
    before, now = format_index(previous.index), format_index(f.index)
    if change > 0:
        sentence = (
            f"So với năm {year}, Chỉ số của lĩnh vực tăng {format_index(change)} điểm phần trăm "
            f"(từ {before}% theo {basis} lên {now}%)"
        )
    elif change < 0:
        sentence = (
            f"So với năm {year}, Chỉ số của lĩnh vực giảm {format_index(-change)} điểm phần trăm "
            f"(từ {before}% theo {basis} xuống {now}%)"
        )
    else:
        sentence = f"So với năm {year}, Chỉ số của lĩnh vực không đổi ({now}%)"
    if rank_change is not None:
        rose = change >= 0
        if rank_change > 0:
            sentence += f"{' và' if rose else ', tuy nhiên'} thứ hạng tăng {rank_change} bậc"
        elif rank_change < 0:
            sentence += f"{', tuy nhiên' if rose else ' và'} thứ hạng giảm {-rank_change} bậc"
        else:
            sentence += ", thứ hạng giữ nguyên"
    out = [sentence + "."]
    gains, losses = point_changes(facts, f)
    if change > 0 and gains:
        text = f"Điểm tăng so với năm {year} ở {_changes(gains, 'tăng')}"
        if losses:
            text += f"; giảm ở {_changes(losses, 'giảm')}"
        out.append(text + ".")
    elif change < 0 and losses:
        text = f"Chỉ số giảm do điểm giảm so với năm {year} ở {_changes(losses, 'giảm')}"
        if gains:
            text += f"; điểm tăng ở {_changes(gains, 'tăng')} chưa bù được phần giảm"
        out.append(text + ".")
    elif change < 0 and gains:
        out.append(f"Điểm tăng so với năm {year} ở {_changes(gains, 'tăng')}.")
    if change != 0 and not gains and not losses and facts.last_year.result is not None:
        out.append(f"Điểm của các tiêu chí, tiêu chí thành phần không đổi so với năm {year}.")
        if previous.differs_from_computed:
            out[-1] = out[-1][:-1] + (
                f"; mức chênh là do kết quả công bố năm {year} ({before}%) khác Chỉ số tính từ "
                f"điểm thẩm định năm {year} ({format_index(previous.computed_index)}%)."
            )
    return out


def lost_points_sentence(facts: ReportFacts, f: FieldFacts) -> str:
    """The points still lost this year, by criterion, and the agencies answering for them;
    leads into the generated list of those criteria with the council's reasons."""
    if not f.below_max:
        return ""
    lost = sum((_lost(n) for n in f.below_max), Decimal(0))
    items = [f"{n.label} bị trừ {_points(_lost(n))}" for n in f.below_max[:LISTED]]
    listed = "; ".join(items) + ("; …" if len(f.below_max) > LISTED else "")
    by_agency: dict[str, list] = {}
    for node in f.below_max:
        for agency in node.responsible:
            by_agency.setdefault(agency.name, []).append(node)
    agencies = "; ".join(f"{name} ({_codes(nodes)})" for name, nodes in by_agency.items())
    count = _count(len(f.below_max))
    change = f.comparison.change
    if change is not None and change < 0:
        opening = f"Năm {facts.year}, lĩnh vực bị trừ tổng cộng {_points(lost)} ở {count}"
    else:
        opening = f"Tuy nhiên, lĩnh vực vẫn còn bị trừ tổng cộng {_points(lost)} ở {count}"
    sentence = (
        f"{opening} tiêu chí, tiêu chí thành phần tự đánh giá chưa đạt điểm tối đa qua thẩm định ({listed})"
    )
    if agencies:
        sentence += f", thuộc phần việc do {agencies} tham mưu"
    return (
        sentence + "; lý do theo ý kiến của hội đồng thẩm định nêu dưới đây. Cơ quan tham mưu cần phân "
        "tích, đề ra giải pháp khắc phục để nâng Chỉ số năm sau."
    )


def field_draft(facts: ReportFacts, f: FieldFacts) -> str:
    sentences = [done_well_sentence(facts, f), *movement_sentences(facts, f), lost_points_sentence(facts, f)]
    if not f.below_max and (f.comparison.change is None or f.comparison.change >= 0):
        sentences.append("Cơ quan tham mưu cần tiếp tục phát huy kết quả đạt được.")
    return " ".join(s for s in sentences if s)


def assessment_draft(facts: ReportFacts) -> str:
    return (
        "Trong năm qua, công tác cải cách hành chính được các cấp, các ngành, các địa phương quan tâm "
        "triển khai thực hiện toàn diện trên các lĩnh vực: cải cách thể chế; cải cách thủ tục hành chính; "
        "cải cách tổ chức bộ máy; cải cách chế độ công vụ; cải cách tài chính công; xây dựng và phát triển "
        "Chính quyền điện tử, Chính quyền số. Trách nhiệm của người đứng đầu trong thực hiện nhiệm vụ cải "
        "cách hành chính được tăng cường; kết quả thực hiện nhiệm vụ cải cách hành chính được gắn với công "
        "tác thi đua, khen thưởng.\n"
        "Bên cạnh những kết quả đạt được, vẫn còn một số tồn tại, hạn chế thể hiện ở các tiêu chí, tiêu "
        "chí thành phần chưa đạt điểm tối đa nêu tại Mục II, cần được phân tích nguyên nhân và khắc phục."
    )


def proposals_draft(facts: ReportFacts) -> str:
    next_year = facts.year + 1
    return (
        f"Để nâng cao Chỉ số cải cách hành chính năm {next_year} và những năm tiếp theo, Sở Nội vụ kiến "
        "nghị UBND tỉnh chỉ đạo Thủ trưởng các cơ quan, đơn vị, địa phương tập trung thực hiện các nội "
        "dung sau:\n"
        "- Tiếp tục tăng cường sự lãnh đạo, chỉ đạo, đề cao vai trò, trách nhiệm của người đứng đầu "
        "trong triển khai thực hiện công tác cải cách hành chính; gắn kết quả thực hiện cải cách hành "
        "chính với công tác thi đua, khen thưởng và đánh giá cán bộ, công chức hằng năm.\n"
        "- Bố trí đủ nguồn lực để thực hiện các nhiệm vụ cải cách hành chính; nghiên cứu, nhân rộng các "
        "mô hình cải cách mới có hiệu quả.\n"
        "- Tăng cường tuyên truyền về cải cách hành chính và kết quả Chỉ số đến cán bộ, công chức, viên "
        "chức và người dân.\n"
        "- Căn cứ kết quả phân tích tại Báo cáo này, các cơ quan tham mưu rà soát những tiêu chí, tiêu chí "
        "thành phần chưa đạt điểm tối đa (liệt kê dưới đây), phân tích nguyên nhân và triển khai giải pháp "
        f"khắc phục để cải thiện Chỉ số năm {next_year}."
    )


def recipients_draft(facts: ReportFacts) -> str:
    lines = [
        "Bộ Nội vụ (b/c)",
        "TT. Tỉnh ủy, TT. HĐND tỉnh (b/c)",
        "Chủ tịch, các PCT UBND tỉnh (b/c)",
    ]
    seen = []
    for f in facts.fields:
        for agency in f.node.responsible:
            if agency.name not in seen and not agency.is_process_owner:
                seen.append(agency.name)
    lines.extend(seen)
    lines.append("Lưu: VT, CCHC")
    return "\n".join(lines)


def drafts_for(facts: ReportFacts) -> dict:
    """Every narrative block's generated draft, by form field name."""
    out = {
        "document_number": "",
        # Where Sở Nội vụ signs: its province, also on a department's or a commune's report.
        "place": (facts.province or facts.subject).name,
        "signer_authority": "",
        "signer_title": DEFAULT_SIGNER_TITLE,
        "signer_name": "",
        "recipients": recipients_draft(facts),
        "assessment_text": assessment_draft(facts),
        "proposals_text": proposals_draft(facts),
    }
    for f in facts.fields:
        out[f"field_{f.code}"] = field_draft(facts, f)
    return out


def effective(facts: ReportFacts) -> dict:
    """The narrative as the report prints it: the stored text, or the draft where none is stored."""
    n = facts.narrative
    drafts = drafts_for(facts)
    out = {}
    for key in ("document_number", "place", "signer_authority", "signer_title", "signer_name"):
        out[key] = getattr(n, key) or drafts[key]
    for key in ("recipients", "assessment_text", "proposals_text"):
        out[key] = getattr(n, key).strip() or drafts[key]
    texts = n.field_texts or {}
    for f in facts.fields:
        out[f"field_{f.code}"] = (texts.get(f.code) or "").strip() or drafts[f"field_{f.code}"]
    out["issue_date"] = n.issue_date
    return out
