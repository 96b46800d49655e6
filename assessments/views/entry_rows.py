"""The entry page's criterion rows, written in Python, as the appraisal page's are
(views/appraisal_rows.py): with a tree of 400 criteria the template language's per-variable
lookups, includes and `{% url %}` tags per row cost more than the rest of the page together
(docs/performance.md, "Bigger trees"). The boxes are the form's own bound fields
(assessments.widgets write their tags), so the values typed, the errors and the attributes are
the form's. Every other value is escaped here; the template prints the result as it is. The
headings stay in the template. The markup, whitespace included, is what the template's row
and its includes wrote before (docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from ..services.evidence import EXTENSION_ALIASES, FILE_TYPES
from ..widgets import NOT_APPLICABLE_BADGE, errors_html, escape, guidance_html, linebreaksbr, with_id

# The file picker offers what the upload accepts (services.evidence detects the type itself).
ACCEPT = ",".join(
    f".{name}" for extension in FILE_TYPES for name in sorted(EXTENSION_ALIASES.get(extension, {extension}))
)


@dataclass(frozen=True)
class EntryRowContext:
    """What every row of one page shares: the agency, the columns shown, the URLs (reversed
    once, with 0 for the id of the row's criterion or evidence), the CSRF field."""

    agency_id: int
    agency_name: str
    show_council: bool
    can_set_applicability: bool
    history_url: str
    evidence_url: str
    evidence_delete_url: str
    upload_url: str
    applicability_url: str
    remark_url: str
    csrf_input: str

    @classmethod
    def of(cls, request, assessment, agency, *, show_council: bool, can_set_applicability: bool):
        part = [assessment.pk, agency.pk, 0]
        return cls(
            agency_id=agency.pk,
            agency_name=escape(agency.name),
            show_council=show_council,
            can_set_applicability=can_set_applicability,
            history_url=reverse("assessments:criterion_history", args=[assessment.pk, 0]),
            evidence_url=reverse("assessments:evidence_download", args=[0]),
            evidence_delete_url=reverse("assessments:evidence_delete", args=[0]),
            upload_url=reverse("assessments:evidence_upload", args=part),
            applicability_url=reverse("assessments:set_applicability", args=part),
            remark_url=reverse("assessments:contributor_remark", args=part),
            # as {% csrf_token %} writes it: one token for the whole page
            csrf_input=(
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
            ),
        )

    url = staticmethod(with_id)


def _or_dash(text: str) -> str:
    return escape(text) if text else "—"


def _errors(bound) -> str:
    """As includes/field_errors.html: one paragraph per error, beside the box."""
    errors = bound.errors
    if not errors:
        return "\n"
    return errors_html(bound.auto_id, errors) + "\n"


def leaf_row(row: dict, ctx: EntryRowContext) -> SafeString:
    node = row["node"]
    cid = node.criterion.pk
    code = escape(node.code)
    inputs = row.get("inputs") or {}
    classes = "leaf"
    if row.get("editable"):
        classes += " editable"
    if not node.applicable:
        classes += " not-applicable"
    if any(key in inputs and inputs[key].errors for key in ("self_score", "self_figures", "response")):
        classes += " has-error"
    history = ctx.url(ctx.history_url, cid)
    parts = [
        f'<tr class="{classes}" id="tc-{cid}" data-code="{code}">\n',
        f'      <td class="code">{code}</td>\n      ',
        _criterion_cell(row, ctx),
        f'\n      <td class="num" data-label="Điểm tối đa">{escape(row["max"])}</td>\n',
        _council_cells(row, ctx, code) if ctx.show_council else _self_cells(row, ctx, code),
        _evidence_cell(row, ctx, code),
        f'      <td class="actions"><a href="{history}" title="Lịch sử thay đổi">Lịch sử</a>\n'
        f"        {_applicability(row, code) if ctx.can_set_applicability else ''}</td>\n    </tr>\n",
    ]
    return mark_safe("".join(parts))


def _criterion_cell(row: dict, ctx: EntryRowContext) -> str:
    """The criterion: its name, badges, scoring rule, guidance, and (from the explanation
    phase on) the council's remarks."""
    node = row["node"]
    criterion, score = node.criterion, node.score
    html = f'<td class="crit" data-label="Tiêu chí">\n  <div class="crit-name">{escape(node.name)}</div>\n  '
    if row.get("contributing"):
        html += '<span class="badge">Phối hợp</span>'
    html += "\n  "
    if node.is_survey:
        html += f'<span class="badge">{escape(criterion.get_method_display())}</span>'
    html += "\n  \n"
    method = criterion.rule_description
    if method and not node.is_survey:
        html += f'<p class="method small"><strong>Cách tính điểm:</strong> {escape(method)}</p>'
    html += "\n"
    html += guidance_html(criterion.guidance)
    html += "\n"
    if ctx.show_council and score is not None and score.appraisal_comment:
        html += (
            '<div class="council-remark"><strong>Ý kiến hội đồng thẩm định:</strong> '
            f"{linebreaksbr(score.appraisal_comment)}</div>"
        )
    html += "\n"
    if ctx.show_council and score is not None and score.recheck_comment:
        html += (
            '<div class="council-remark"><strong>Ý kiến phúc tra:</strong> '
            f"{linebreaksbr(score.recheck_comment)}</div>"
        )
    return html + "\n\n\n</td>"


def _figures_note(node) -> str:
    figures = node.score.self_figures if node.score is not None else ""
    return f'<div class="small muted">số liệu {escape(figures)}</div>' if figures else ""


def _council_cells(row: dict, ctx: EntryRowContext, code: str) -> str:
    """From the explanation phase on: the self score, the council's score, the answer."""
    node = row["node"]
    score = node.score
    own = _or_dash(row["self_score"]) + _figures_note(node) if node.applicable else NOT_APPLICABLE_BADGE
    html = (
        f'        <td class="num" data-label="Tự đánh giá">{own}</td>\n'
        f'        <td class="num" data-label="Thẩm định">{_or_dash(row["final"])}</td>\n'
        '        <td class="answer" data-label="Giải trình của cơ quan">'
    )
    if row.get("editable"):
        inputs = row["inputs"]
        response = inputs["response"]
        html += (
            f'{inputs["version"]}<label class="sr-only" for="{response.auto_id}">Giải trình {code}</label>'
            f"{response}{_errors(response)}"
        )
    else:
        html += linebreaksbr(score.response if score is not None else "") or "—"
    return html + _remarks(row, ctx) + "</td>\n      \n"


def _self_cells(row: dict, ctx: EntryRowContext, code: str) -> str:
    """Self-assessment and appraisal phases: the score (or figures) and the explanation."""
    node = row["node"]
    score = node.score
    html = '        <td class="num score-cell" data-label="Điểm tự đánh giá">\n          '
    if not node.applicable:
        html += NOT_APPLICABLE_BADGE + "\n          "
    elif node.is_survey:
        html += '<span class="muted" title="Điểm do điều tra xã hội học">—</span>\n          '
    elif row.get("editable"):
        inputs = row["inputs"]
        box = inputs["self_score"]
        html += str(inputs["version"])
        figures = inputs.get("self_figures")
        if figures is not None:
            html += (
                f"{figures}{_errors(figures)}"
                f'<label class="small computed-label" for="{box.auto_id}">Điểm tính từ số liệu</label>'
            )
        else:
            html += f'<label class="sr-only" for="{box.auto_id}">Điểm tự đánh giá {code}</label>'
        html += f"{box}{_errors(box)}\n          "
    else:
        html += _or_dash(row["self_score"]) + _figures_note(node)
    html += '\n        </td>\n        <td data-label="Giải trình">'
    if row.get("editable"):
        explanation = row["inputs"]["explanation"]
        html += (
            f'<label class="sr-only" for="{explanation.auto_id}">Giải trình {code}</label>'
            f"{explanation}{_errors(explanation)}"
        )
    else:
        html += linebreaksbr(score.explanation if score is not None else "")
    return html + _remarks(row, ctx) + "</td>\n      \n"


def _remarks(row: dict, ctx: EntryRowContext) -> str:
    """A contributing agency's note and remark box, and the remarks of the agencies that
    contribute."""
    node = row["node"]
    cid = node.criterion.pk
    html = ""
    if row.get("contributing"):
        lead = escape(node.lead.name) if node.lead is not None else ""
        html += (
            f'<p class="muted small contributing-note">Cơ quan phối hợp: {lead} (cơ quan chủ trì) chấm điểm '
            "tiêu chí này.</p>\n"
        )
        if row.get("can_contribute"):
            html += (
                f'<label class="small" for="remark-{cid}">Ý kiến phối hợp của {ctx.agency_name}</label>'
                f'<textarea id="remark-{cid}" name="remark" form="rm-{cid}" rows="2" maxlength="2000">'
                f"{escape(row.get('own_remark', ''))}</textarea>"
                f'<button type="submit" form="rm-{cid}" class="small-button">Lưu ý kiến</button>'
            )
        html += "\n"
    html += "\n"
    for remark in row.get("remarks", ()):
        if row.get("can_contribute") and remark.agency_id == ctx.agency_id:
            continue
        when = date_format(localtime(remark.updated_at), "H:i d/m/Y") if remark.updated_at else ""
        html += (
            f'<div class="remark small"><strong>{escape(remark.agency.name)}</strong> (phối hợp, {when}): '
            f"{linebreaksbr(remark.text)}</div>"
        )
    return html + "\n"


def _evidence_cell(row: dict, ctx: EntryRowContext, code: str) -> str:
    node = row["node"]
    cid = node.criterion.pk
    editable = row.get("editable")
    html = '      <td class="evidence" data-label="Tài liệu kiểm chứng">\n        '
    for item in row.get("evidence", ()):
        name = escape(item.original_name)
        html += (
            f'\n          <div class="file"><a href="{ctx.url(ctx.evidence_url, item.pk)}">{name}</a> '
            f'<span class="muted small">{filesizeformat(item.size)}</span>\n          '
        )
        if editable:
            html += (
                f'<button type="submit" form="evdel-{item.pk}" class="link danger-link" '
                f'data-confirm="Xóa tài liệu “{name}”?">Xóa</button>'
            )
        html += "</div>\n        "
    html += "\n        "
    if (editable or row.get("can_contribute")) and not node.is_survey:
        html += (
            '\n          <div class="upload"><label class="file-pick"><input type="file" name="file" '
            f'form="ev-{cid}" aria-label="Chọn tài liệu cho {code}" accept="{ACCEPT}">'
            "<span data-file-label>Chọn tệp…</span></label>"
            f'<button type="submit" form="ev-{cid}" class="small-button" '
            'data-needs-file="Chọn một tệp trước khi bấm “Tải lên”.">Tải lên</button></div>\n'
            '          <p class="field-error upload-error" data-upload-error hidden></p>\n        '
        )
    html += "\n        "
    for message in row.get("messages", ()):
        html += f'<p class="row-message {escape(message.tags)}" role="status">{escape(message)}</p>'
    return html + "\n      </td>\n"


def _applicability(row: dict, code: str) -> str:
    """Sở Nội vụ marks the criterion not applicable, or applicable again, with a reason."""
    cid = row["node"].criterion.pk
    applicable = row["node"].applicable
    return (
        '\n<details class="applicability">\n'
        f"  <summary>{'Không áp dụng…' if applicable else 'Áp dụng lại…'}</summary>\n"
        f'  <label for="ap-reason-{cid}">Lý do {"không áp dụng" if applicable else "áp dụng lại"} {code} '
        "(bắt buộc)</label>\n"
        f'  <textarea id="ap-reason-{cid}" name="reason" form="ap-{cid}" rows="2" maxlength="2000" required>'
        "</textarea>\n"
        f'  <button type="submit" form="ap-{cid}" class="small-button">'
        f"{'Đánh dấu không áp dụng' if applicable else 'Áp dụng lại'}</button>\n"
        "</details>\n"
    )


def row_forms(rows: list[dict], ctx: EntryRowContext) -> SafeString:
    """The small forms the rows' buttons submit (form="…"), after the page's form: marking a
    criterion (not) applicable, a contributing agency's remark, uploading and deleting
    evidence."""
    csrf = ctx.csrf_input
    html = []
    if ctx.can_set_applicability:
        for row in rows:
            node = row["node"]
            if node.is_leaf:
                cid = node.criterion.pk
                html.append(
                    f'\n<form method="post" id="ap-{cid}" action="{ctx.url(ctx.applicability_url, cid)}" '
                    f'class="hidden-form">{csrf}<input type="hidden" name="applicable" '
                    f'value="{0 if node.applicable else 1}"></form>\n'
                )
    for row in rows:
        cid = row["node"].criterion.pk
        upload = (
            f'<form method="post" enctype="multipart/form-data" id="ev-{cid}" '
            f'action="{ctx.url(ctx.upload_url, cid)}" class="hidden-form">{csrf}</form>\n'
        )
        if row.get("can_contribute"):
            html.append(
                f'\n<form method="post" id="rm-{cid}" action="{ctx.url(ctx.remark_url, cid)}" '
                f'class="hidden-form">{csrf}</form>\n' + upload
            )
        if row.get("editable"):
            html.append("\n" + upload)
            html.extend(
                f'<form method="post" id="evdel-{item.pk}" '
                f'action="{ctx.url(ctx.evidence_delete_url, item.pk)}" class="hidden-form">{csrf}</form>'
                for item in row["evidence"]
            )
            html.append("\n")
    return mark_safe("".join(html))
