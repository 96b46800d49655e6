"""The appraisal page's criterion rows, written in Python: with 400 rows of five boxes each,
the template language's per-variable lookups and includes cost more than a second, these
f-strings a few hundredths. Every value is escaped here (assessments.widgets.escape); the
template prints the result as it is. The headings stay in the template."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ..widgets import NOT_APPLICABLE_BADGE, errors_html, escape, guidance_html, linebreaksbr, with_id

INLINE = ("pdf", "image")  # evidence kinds the browser shows (views.evidence.SHOWN_INLINE)


@dataclass(frozen=True)
class RowContext:
    """What every row of one page shares: the phase, the URLs (reversed once), the labels."""

    recheck: bool
    evidence_url: str  # with "0" for the evidence id
    history_url: str  # with "0" for the criterion id
    previous_label: str

    @classmethod
    def of(cls, assessment, recheck: bool, previous_year: int | None) -> RowContext:
        return cls(
            recheck=recheck,
            evidence_url=reverse("assessments:evidence_download", args=[0]),
            history_url=reverse("assessments:criterion_history", args=[assessment.pk, 0]),
            previous_label=f"Năm {previous_year}" if previous_year else "Năm trước",
        )

    url = staticmethod(with_id)


def _errors(box: dict) -> str:
    return errors_html(box["id"], box["errors"])


def _value(box: dict) -> str:
    return f' value="{escape(box["value"])}"' if box["value"] not in ("", None) else ""


def _invalid(box: dict) -> str:
    return ' aria-invalid="true"' if box["errors"] else ""


def leaf_row(row: dict, ctx: RowContext) -> SafeString:
    node = row["node"]
    score = node.score
    cid = node.criterion.pk
    phase_word = "phúc tra" if ctx.recheck else "thẩm định"
    classes = ["leaf"]
    if not node.applicable:
        classes.append("not-applicable")
    inputs = row.get("inputs")
    if inputs and inputs["score"]["errors"]:
        classes.append("has-error")
    if row.get("changed"):
        classes.append("changed-row")
    guidance = node.criterion.guidance
    lead = escape(node.lead.name) if node.lead else "chưa giao"
    parts = [
        f'<tr class="{" ".join(classes)}" id="tc-{cid}">',
        f'<td class="code" data-label="Mã">{escape(node.code)}</td>',
        f'<td class="crit" data-label="Tiêu chí"><div class="crit-name">{escape(node.name)}</div>'
        f'<p class="muted small lead-agency">Chủ trì: {lead}</p>' + guidance_html(guidance) + "</td>",
        f'<td class="num" data-label="Tối đa">{row["max"]}</td>',
        f'<td class="num previous" data-label="{ctx.previous_label}">{row["previous"] or "—"}</td>',
        _self_cell(row, ctx),
    ]
    if ctx.recheck:
        parts.append(f'<td class="num" data-label="Thẩm định">{row["appraised"] or "—"}</td>')
        parts.append(
            '<td class="comment" data-label="Giải trình">'
            f"{linebreaksbr(score.response if score else '')}</td>"
        )
    parts.append(f'<td class="score-cell" data-label="Điểm {phase_word}">{_score_cell(row, ctx)}</td>')
    parts.append(f'<td class="comment" data-label="Ý kiến {phase_word}">{_comment_cell(row, ctx)}</td>')
    take = ""
    if row.get("editable") and node.self_score is not None:
        take = (
            f'<button type="submit" form="take-self" name="take_criterion" value="{cid}" '
            'class="small-button" '
            f'title="Lấy điểm tự đánh giá {row["self_score"]} làm điểm {phase_word} của {escape(node.code)} '
            f'và lưu ngay">Lấy điểm TĐG</button>'
        )
    parts.append(
        f'<td class="actions no-print"><div class="row-actions">{take}'
        f'<a href="{ctx.url(ctx.history_url, cid)}">Lịch sử</a></div></td></tr>'
    )
    return mark_safe("".join(parts))


def _self_cell(row: dict, ctx: RowContext) -> str:
    score = row["node"].score
    html = (
        '<td class="self" data-label="Cơ quan tự đánh giá">'
        f'<strong class="self-score">{row["self_score"] or "—"}</strong>'
    )
    if row["self_figures"]:
        html += f' <span class="figures">từ số liệu {escape(row["self_figures"])}</span>'
    if score is not None and score.explanation:
        html += f'<div class="explanation small">{linebreaksbr(score.explanation)}</div>'
    if row["evidence"]:
        links = "".join(
            f'<li><a href="{ctx.url(ctx.evidence_url, ev.pk)}{"?xem=1" if ev.kind in INLINE else ""}" '
            'target="_blank" rel="noopener">'
            f"{escape(ev.original_name)}</a></li>"
            for ev in row["evidence"]
        )
        html += f'<ul class="evidence-list small">{links}</ul>'
    return html + "</td>"


def _score_cell(row: dict, ctx: RowContext) -> str:
    node, score = row["node"], row["node"].score
    if not node.applicable:
        return NOT_APPLICABLE_BADGE
    inputs = row.get("inputs")
    if not inputs:
        if ctx.recheck:
            return row["rechecked"] or "—"
        html = f"<strong>{row['appraised'] or '—'}</strong>"
        if score is not None and score.appraised_figures:
            html += f' <span class="figures">từ số liệu {escape(score.appraised_figures)}</span>'
        if score is not None and score.appraised_override_reason:
            html += f'<div class="small">Lý do: {escape(score.appraised_override_reason)}</div>'
        return html
    cid = node.criterion.pk
    box, html = (
        inputs["score"],
        f'<input type="hidden" name="version_{cid}" value="{escape(inputs["version"])}">',
    )
    figures = inputs.get("figures")
    if figures:
        labels = f" ({escape(row['figure_labels'])})" if row.get("figure_labels") else ""
        html += (
            f'<label class="small" for="{figures["id"]}">Số liệu{labels}</label>'
            f'<input type="text" name="{figures["name"]}" id="{figures["id"]}"{_value(figures)} '
            'class="figures-input" '
            f'size="9" autocomplete="off" data-rule="{escape(row["rule_json"])}" data-score-box="{box["id"]}"'
            f"{_invalid(figures)}>"
            f'<span class="figure-note small" data-figure-note-for="{box["id"]}" aria-live="polite"></span>'
            + _errors(figures)
        )
    label_class = "small" if figures else "sr-only"
    html += (
        f'<label class="{label_class}" for="{box["id"]}">Điểm {escape(node.code)}</label>'
        f'<input type="text" name="{box["name"]}" id="{box["id"]}"{_value(box)} class="score-input" '
        f'inputmode="decimal" autocomplete="off" size="8" data-field="{escape(row["field"].code)}" '
        f'data-counted="{inputs["counted"]}" data-empty="{inputs["empty"]}" data-max="{inputs["max"]}"'
        f"{_invalid(box)}>"
    )
    printed = escape(box["value"] or "—") + (
        f" ({escape(figures['value'])})" if figures and figures["value"] else ""
    )
    html += f'<span class="print-value">{printed}</span>' + _errors(box)
    reason = inputs.get("reason")
    if reason:
        html += (
            f'<label class="small" for="{reason["id"]}">Lý do giữ điểm khác số liệu</label>'
            f'<textarea name="{reason["name"]}" id="{reason["id"]}" rows="1" class="reason-input">'
            f"{escape(reason['value'])}</textarea>"
        )
        if reason["value"]:
            html += f'<div class="print-value small">Lý do: {escape(reason["value"])}</div>'
        html += _errors(reason)
    return html


def _comment_cell(row: dict, ctx: RowContext) -> str:
    score = row["node"].score
    inputs = row.get("inputs")
    if not inputs:
        text = (score.recheck_comment if ctx.recheck else score.appraisal_comment) if score else ""
        return linebreaksbr(text)
    box = inputs["comment"]
    code = escape(row["node"].code)
    return (
        f'<label class="sr-only" for="{box["id"]}">Ý kiến {code}</label>'
        f'<textarea name="{box["name"]}" id="{box["id"]}" rows="2">{escape(box["value"])}</textarea>'
        f'<div class="print-value">{linebreaksbr(box["value"])}</div>' + _errors(box)
    )
