"""A small scored world for the appraisal page: the workflow fixtures' tree, scored by the
department, with a ratio rule on 1.1, evidence, a remark and last year's assessment."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, Criterion, Framework, RuleKind, Score

D = Decimal
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scored_world(small, *, phase=Assessment.Phase.APPRAISAL):
    a, c, stp = small["assessment"], small["criteria"], small["agency"]
    Criterion.objects.filter(pk=c["1.1"].pk).update(
        rule_kind=RuleKind.RATIO, figure_labels="số nhiệm vụ hoàn thành / tổng số nhiệm vụ"
    )
    Criterion.objects.filter(pk=c["1.2"].pk).update(name="Công tác thẩm định văn bản quy phạm")
    editor = small["users"]["editor"]
    services.save_part(
        user=editor,
        assessment=a,
        agency=stp,
        rows={
            c["1.1"].pk: services.RowInput(
                0, {"self_figures": "40/41", "explanation": "Hoàn thành 40 nhiệm vụ"}
            ),
            c["1.2"].pk: services.RowInput(0, {"self_score": D("2"), "explanation": "Đủ hồ sơ"}),
        },
    )
    services.save_part(
        user=small["users"]["other_editor"],
        assessment=a,
        agency=small["other"],
        rows={c["2.1"].pk: services.RowInput(0, {"self_score": D("2.5"), "explanation": ""})},
    )
    services.add_evidence(
        user=editor,
        assessment=a,
        agency=stp,
        criterion=c["1.1"],
        upload=SimpleUploadedFile("ke-hoach-2031.pdf", PDF_BYTES),
    )
    Assessment.objects.filter(pk=a.pk).update(phase=phase)
    a.refresh_from_db()
    return a


def last_year(small, scores: dict[str, str]):
    """The same subject's assessment of the year before, with appraised scores by code."""
    a = small["assessment"]
    framework = Framework.objects.create(year=a.framework.year - 1, name="Bộ tiêu chí năm trước")
    made = {}
    for criterion in a.framework.criteria.order_by("sort_key"):
        made[criterion.code] = Criterion.objects.create(
            framework=framework,
            parent=made.get(criterion.code.rpartition(".")[0]),
            code=criterion.code,
            name=criterion.name,
            max_score=criterion.max_score,
            method=criterion.method,
        )
    before = Assessment.objects.create(
        subject=a.subject,
        framework=framework,
        phase=Assessment.Phase.PUBLISHED,
        self_assessment_deadline=timezone.now() - datetime.timedelta(days=300),
    )
    for code, value in scores.items():
        Score.objects.create(assessment=before, criterion=made[code], appraised_score=D(value))
    return before
