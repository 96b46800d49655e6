"""Generated drafts of the narrative blocks, so that a report is complete without typing.

Drafts hold no figure: figures are stated by the generated sentences around them, so that a
narrative, once edited, can never contradict the data.
"""

from __future__ import annotations

from .facts import FieldFacts, ReportFacts

DEFAULT_SIGNER_TITLE = "GIÁM ĐỐC"


def field_draft(facts: ReportFacts, f: FieldFacts) -> str:
    previous_year = facts.previous_year
    index_change = f.comparison.change
    rank_change = f.comparison.rank_change
    sentences = []
    if index_change is not None and rank_change is not None:
        index_up, rank_up = index_change >= 0, rank_change >= 0
        if index_up and rank_up:
            sentences.append(f"Tại lĩnh vực này Chỉ số và thứ hạng đều tăng so với năm {previous_year}.")
        elif not index_up and rank_up:
            sentences.append(
                f"Tại lĩnh vực này Chỉ số giảm, tuy nhiên thứ hạng tăng so với năm {previous_year}."
            )
        elif index_up and not rank_up:
            sentences.append(
                f"Tại lĩnh vực này Chỉ số tăng, tuy nhiên thứ hạng giảm so với năm {previous_year}."
            )
        else:
            sentences.append(f"Tại lĩnh vực này Chỉ số và thứ hạng đều giảm so với năm {previous_year}.")
    elif index_change is not None:
        word = "tăng" if index_change >= 0 else "giảm"
        sentences.append(f"Tại lĩnh vực này Chỉ số {word} so với năm {previous_year}.")
    if f.below_max:
        sentences.append(
            "Nguyên nhân chủ yếu là vẫn còn tiêu chí, tiêu chí thành phần tự đánh giá chưa đạt điểm "
            "tối đa qua thẩm định (nêu dưới đây); cơ quan tham mưu cần phân tích nguyên nhân và đề ra "
            "giải pháp khắc phục."
        )
    else:
        sentences.append(
            "Tất cả các tiêu chí, tiêu chí thành phần tự đánh giá của lĩnh vực đều đạt điểm tối đa qua "
            "thẩm định; cơ quan tham mưu cần tiếp tục phát huy kết quả đạt được."
        )
    return " ".join(sentences)


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
        "place": facts.subject.name,
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
