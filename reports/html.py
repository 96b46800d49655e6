"""The report as HTML: one markup for the browser page and for WeasyPrint.

Built in Python from the document structure (faster than a template loop over a 140-row
table); every text passes through escape(), so a comment holding markup shows as text.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .document import Annex, Report, Run, Table


def runs_html(runs: list[Run]) -> str:
    out = []
    for r in runs:
        text: str = escape(r.text)
        if r.italic:
            text = f"<em>{text}</em>"
        if r.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


CHART_URL = "charts/{key}.svg"


def block_html(block, charts: str = "inline", drawings: dict | None = None) -> str:
    """charts="inline" puts the SVG in the page (browser); "link" refers to it by URL, which
    the PDF's fetcher serves (WeasyPrint then draws it with its SVG renderer, without running
    the HTML cascade over every SVG element). `drawings` (the report page) gives the kept
    drawing of each chart (reports.drawings.for_page), so that the page draws nothing."""
    kind = block.kind
    if kind == "heading":
        inner = runs_html(block.runs) if block.runs else escape(block.text)
        return f'<h{block.level + 1} class="doc-h{block.level}">{inner}</h{block.level + 1}>'
    if kind == "paragraph":
        prefix = {"bullet": "- ", "subbullet": "+ "}.get(block.style, "")
        return f'<p class="doc-p {block.style}">{escape(prefix)}{runs_html(block.runs)}</p>'
    if kind == "table":
        return table_html(block)
    if kind == "chart":
        if drawings is not None:
            return page_chart_html(block, drawings[block.key])
        if charts == "link":
            drawing = (
                f'<img class="chart-img" src="{CHART_URL.format(key=block.key)}" alt="{escape(block.alt)}">'
            )
        else:
            drawing = block.svg_markup
        return figure_html(block, drawing)
    raise ValueError(f"Khối không rõ loại: {kind}")


def figure_html(block, drawing: str, attrs: str = "") -> str:
    return (
        f'<figure class="chart" role="img" aria-label="{escape(block.alt)}"{attrs}>'
        f"{drawing}<figcaption>{escape(block.title)}</figcaption></figure>"
    )


def page_chart_html(block, drawing) -> str:
    """A chart on the report page: its kept drawing, and while the drawing of the page's data is
    being made, a note saying which data the one shown is from (static/js/report-files.js swaps
    the new drawing in and removes the note)."""
    shown = drawing.svg or '<div class="chart-wait">Đang vẽ biểu đồ; biểu đồ sẽ tự hiện khi vẽ xong.</div>'
    attrs = f' data-chart="{escape(drawing.kind)}" data-key="{escape(drawing.key)}"'
    note = ""
    if not drawing.current:
        attrs += " data-waiting"
    if drawing.svg and not drawing.current:
        said = f"Biểu đồ đang hiển thị vẽ theo {drawing.as_of}; đang vẽ lại theo số liệu hiện tại."
        kind = escape(drawing.kind)
        note = f'<p class="chart-note" data-chart-note="{kind}" role="status">{escape(said)}</p>'
    return figure_html(block, shown, attrs) + note


def table_html(table: Table) -> str:
    cols = "".join(f'<col style="width:{c.width}%">' for c in table.columns)
    head = "".join(f'<th class="{c.align}">{escape(c.label)}</th>' for c in table.columns)
    body = []
    for row in table.rows:
        classes = []
        if row.level:
            classes.append(f"crit-level-{row.level}")
        if row.bold:
            classes.append("strong")
        cells = "".join(f'<td class="{cell.align}">{runs_html(cell.runs)}</td>' for cell in row.cells)
        body.append(f'<tr class="{" ".join(classes)}">{cells}</tr>')
    return (
        f'<table class="doc-table {table.css_class}"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def header_html(report: Report) -> str:
    h = report.header
    return (
        '<table class="doc-header"><tr>'
        f'<td class="issuer"><div class="parent">{escape(h.parent_body)}</div>'
        f'<div class="body">{escape(h.issuing_body)}</div><div class="rule short"></div>'
        f'<div class="number">{escape(h.number)}</div></td>'
        f'<td class="nation"><div class="nation-name">{escape(h.nation)}</div>'
        f'<div class="motto"><span>{escape(h.motto)}</span></div>'
        f'<div class="place-date">{escape(h.place_date)}</div></td>'
        "</tr></table>"
        f'<div class="doc-title"><div class="doc-type">{escape(report.doc_type)}</div>'
        + "".join(f'<div class="doc-subject">{escape(line)}</div>' for line in report.title_lines)
        + '<div class="rule short center"></div></div>'
    )


def signature_html(report: Report) -> str:
    s = report.signature
    recipients = []
    for i, name in enumerate(s.recipients):
        end = "." if i == len(s.recipients) - 1 else ";"
        recipients.append(f"<div>- {escape(name)}{end}</div>")
    signer = ""
    if s.authority:
        signer += f'<div class="authority">{escape(s.authority)}</div>'
    signer += f'<div class="title">{escape(s.title)}</div><div class="sign-space"></div>'
    signer += f'<div class="name">{escape(s.name)}</div>'
    return (
        '<table class="doc-signature"><tr>'
        f'<td class="recipients"><div class="label">Nơi nhận:</div>{"".join(recipients)}</td>'
        f'<td class="signer">{signer}</td></tr></table>'
    )


def annex_html(annex: Annex, charts: str = "inline", number: int = 1, drawings: dict | None = None) -> str:
    blocks = "".join(block_html(b, charts, drawings) for b in annex.blocks)
    return (
        f'<section class="annex annex-{number}"><div class="annex-label">{escape(annex.label)}</div>'
        f'<div class="annex-title">{escape(annex.title)}</div>'
        f'<div class="annex-subtitle">{escape(annex.subtitle)}</div>{blocks}</section>'
    )


def document_html(report: Report, charts: str = "inline", drawings: dict | None = None) -> str:
    """The whole document, as safe markup (without <html>/<head>)."""
    parts = ['<article class="report-doc">', header_html(report)]
    parts.extend(block_html(b, charts, drawings) for b in report.blocks)
    parts.append(signature_html(report))
    parts.append("</article>")
    parts.extend(annex_html(a, charts, i, drawings) for i, a in enumerate(report.annexes, start=1))
    return mark_safe("".join(parts))
