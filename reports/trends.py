"""The trends page of a subject: indices and ranks for every year stored, as charts and a
table, and the criteria gained and lost since the year before (assessments.scoring.trends)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from assessments import permissions
from assessments.decimals import format_index, format_score
from assessments.scoring import trends

from .trend_charts import trend_charts


def _cell(figure) -> dict:
    if figure is None:
        return {"index": "", "rank": ""}
    rank = ""
    if figure.rank is not None:
        rank = f"{figure.rank}/{figure.ranked_count}" if figure.ranked_count else str(figure.rank)
    return {"index": format_index(figure.index), "rank": rank}


def _signed(value) -> str:
    if value is None:
        return ""
    text = format_score(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")


def table_rows(trend: trends.Trend) -> list[dict]:
    rows = []
    for row in trend.rows:
        shown = row.shown
        other = row.computed if row.published is not None else None
        rows.append(
            {
                "year": row.year,
                "subject": row.subject,
                "is_predecessor": row.is_predecessor,
                "source": shown.source,
                "source_label": shown.source_label,
                "total": _cell(shown.total),
                "ranked_count": shown.total.ranked_count or "",
                "fields": [_cell(row.field(code)) for code in trend.field_codes],
                "computed_total": format_index(other.total.index) if other else "",
            }
        )
    return rows


def change_rows(changes) -> list[dict]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "score": format_score(c.score),
            "previous_score": format_score(c.previous_score),
            "max": format_score(c.max),
            "change": _signed(c.change),
            "remark": c.remark,
            "previous_remark": c.previous_remark,
        }
        for c in changes
    ]


@login_required
@require_http_methods(["GET", "HEAD"])
def subject_trends(request, subject_pk: int):
    subject = permissions.scope_trends(request.user, subject_pk)
    asked = request.GET.get("nam", "")
    trend = trends.subject_trend(subject, year=int(asked) if asked.isdigit() else None)
    criteria = trend.criteria
    context = {
        "subject": subject,
        "trend": trend,
        "fields": [(code, trend.field_names[code]) for code in trend.field_codes],
        "rows": table_rows(trend),
        "charts": [{"title": c["title"], "svg": mark_safe(c["svg"])} for c in trend_charts(trend)],
        "criteria": criteria,
        "gained": change_rows(criteria.gained) if criteria else [],
        "lost": change_rows(criteria.lost) if criteria else [],
        "total_gained": _signed(criteria.total_gained) if criteria else "",
        "total_lost": _signed(criteria.total_lost) if criteria else "",
    }
    return render(request, "reports/trends.html", context)
