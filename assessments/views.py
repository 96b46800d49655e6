from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import scoring
from .decimals import format_index, format_score
from .models import Assessment


@login_required
def home(request):
    rows = []
    assessments = Assessment.objects.select_related("subject", "framework").order_by(
        "-framework__year", "subject__name"
    )
    for assessment in assessments:
        result = scoring.compute(assessment)
        rows.append(
            {
                "assessment": assessment,
                "appraised": format_score(result.appraised),
                "max": format_score(result.applicable_max),
                "index": format_index(result.index),
                "links": [],
            }
        )
    return render(request, "assessments/home.html", {"rows": rows})
