"""The demo province's own index: a block of eight departments of Bình Phước scored on a
framework of the province's own for 2024 (six fields, 17 leaves, a bonus section capped at 3,
a deduction section capped at 5, grade bands), each department's assessment taken through the
same services as the browser (save and submit, phase, appraisal), and last year's results so
that the ranking shows a change. Scores are generated, deterministically, from each unit's
position: nothing is typed per figure.

Demo only (load_demo_accounts); idempotent: what exists is kept, an assessment that already
has scores is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import scoring, services
from .decimals import round_score
from .models import (
    Agency,
    Assessment,
    ChangeSource,
    Criterion,
    CriterionAgency,
    Framework,
    GradeBand,
    Section,
    Subject,
    SubjectKind,
)
from .services.rows import RowInput, apply_rows

DEMO_BLOCK_YEAR = 2024
UNIT_CODE_PREFIX = "BP-S"

# code, name, short name; who has a department editor account (its username)
DEMO_UNITS = [
    ("01", "Sở Tư pháp", "STP"),
    ("02", "Sở Tài chính", "STC"),
    ("03", "Sở Kế hoạch và Đầu tư", "SKHĐT"),
    ("04", "Sở Xây dựng", "SXD"),
    ("05", "Sở Y tế", "SYT"),
    ("06", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("07", "Sở Công Thương", "SCT"),
    ("08", "Sở Giao thông vận tải", "SGTVT"),
]
# How far each unit gets in the demo, by code: appraised (ranked), submitted, or still entering.
APPRAISED = ["01", "02", "03", "06", "07", "08"]
SUBMITTED = ["05"]
EDITOR_UNITS = {"04": "cb-sxd", "05": "cb-syt"}  # one still entering, one submitted

# code, name, max, section, notation (caps)
DEMO_FRAMEWORK = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "15", Section.MAIN, ""),
    ("1.1", "Kế hoạch cải cách hành chính năm", "4", Section.MAIN, ""),
    ("1.1.1", "Ban hành kế hoạch đúng thời hạn", "2", Section.MAIN, ""),
    ("1.1.2", "Mức độ hoàn thành kế hoạch", "2", Section.MAIN, ""),
    ("1.2", "Báo cáo cải cách hành chính định kỳ", "3", Section.MAIN, ""),
    ("1.3", "Kiểm tra cải cách hành chính tại đơn vị", "4", Section.MAIN, ""),
    ("1.4", "Tuyên truyền cải cách hành chính", "4", Section.MAIN, ""),
    ("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", "15", Section.MAIN, ""),
    ("2.1", "Tham mưu ban hành văn bản quy phạm pháp luật đúng kế hoạch", "5", Section.MAIN, ""),
    ("2.2", "Rà soát, hệ thống hóa văn bản", "5", Section.MAIN, ""),
    ("2.3", "Theo dõi thi hành pháp luật", "5", Section.MAIN, ""),
    ("3", "Cải cách thủ tục hành chính", "25", Section.MAIN, ""),
    ("3.1", "Công bố, công khai thủ tục hành chính", "8", Section.MAIN, ""),
    ("3.2", "Giải quyết hồ sơ đúng hạn", "9", Section.MAIN, ""),
    ("3.3", "Tiếp nhận, xử lý phản ánh, kiến nghị", "8", Section.MAIN, ""),
    ("4", "Cải cách tổ chức bộ máy", "15", Section.MAIN, ""),
    ("4.1", "Sắp xếp tổ chức bên trong", "8", Section.MAIN, ""),
    ("4.2", "Thực hiện biên chế được giao", "7", Section.MAIN, ""),
    ("5", "Xây dựng đội ngũ công chức, viên chức", "15", Section.MAIN, ""),
    ("5.1", "Vị trí việc làm", "8", Section.MAIN, ""),
    ("5.2", "Đào tạo, bồi dưỡng", "7", Section.MAIN, ""),
    ("6", "Chuyển đổi số", "15", Section.MAIN, ""),
    ("6.1", "Hồ sơ xử lý trên môi trường mạng", "8", Section.MAIN, ""),
    ("6.2", "Dịch vụ công trực tuyến toàn trình", "7", Section.MAIN, ""),
    ("7", "Điểm thưởng", "3", Section.BONUS, "tối đa 3"),
    ("7.1", "Sáng kiến cải cách hành chính được công nhận", "2", Section.BONUS, ""),
    ("7.2", "Mô hình mới được nhân rộng", "2", Section.BONUS, ""),
    ("8", "Điểm trừ", "5", Section.DEDUCTION, "tối đa 5"),
    ("8.1", "Để xảy ra sai phạm trong giải quyết thủ tục hành chính", "5", Section.DEDUCTION, ""),
]
DEMO_BANDS = [("Xuất sắc", "90"), ("Tốt", "80"), ("Khá", "65"), ("Trung bình", "50"), ("Yếu", "0")]
REMARK = "Chưa đủ tài liệu kiểm chứng cho phần điểm bị trừ."


@dataclass
class DemoBlock:
    framework: Framework
    units: list[Subject]
    agencies: dict[str, Agency]  # by unit code


def unit_code(code: str) -> str:
    return f"{UNIT_CODE_PREFIX}{code}"


def demo_score(position: int, leaf: int, maximum: Decimal, year: int) -> Decimal:
    """A varied, reproducible score: each unit loses a share of its own (0 to 30 %), each
    criterion a little more or less (0 to 9 %)."""
    loss = Decimal(position % 6) * Decimal("0.06") + Decimal((leaf * 3 + position + year) % 4) * Decimal(
        "0.03"
    )
    return round_score(maximum * max(Decimal("0.3"), 1 - loss))


def bonus_score(position: int, leaf: int, maximum: Decimal) -> Decimal:
    return maximum if (position + leaf) % 3 == 0 else Decimal(0)


def deduction_score(position: int) -> Decimal:
    return Decimal(1) if position == 2 else Decimal(0)


def demo_framework(province: Subject, year: int, kind: str = SubjectKind.DEPARTMENT) -> Framework:
    """The demo block's framework (also used by bench/ranking.py for a block of communes)."""
    block_name = "các sở, ban, ngành" if kind == SubjectKind.DEPARTMENT else "UBND cấp xã"
    framework, created = Framework.objects.get_or_create(
        year=year,
        subject_kind=kind,
        owner=province,
        defaults={
            "name": f"Bộ Chỉ số CCHC {block_name} tỉnh {province.name} năm {year}",
            "legal_basis": f"Quyết định ban hành Bộ Chỉ số CCHC {block_name} năm {year} (minh họa).",
        },
    )
    if not created and framework.criteria.exists():
        return framework
    made: dict[str, Criterion] = {}
    for code, name, maximum, section, notation in DEMO_FRAMEWORK:
        criterion = Criterion(
            framework=framework,
            parent=made.get(code.rpartition(".")[0]),
            code=code,
            name=name,
            max_score=Decimal(maximum),
            section=section,
        )
        scoring.parse_notation(notation).apply_to(criterion)
        criterion.save()
        made[code] = criterion
    for label, minimum in DEMO_BANDS:
        GradeBand.objects.get_or_create(
            framework=framework, label=label, defaults={"min_index": Decimal(minimum)}
        )
    return framework


def demo_units(province: Subject) -> tuple[list[Subject], dict[str, Agency]]:
    units, agencies = [], {}
    for code, name, short_name in DEMO_UNITS:
        unit, _ = Subject.objects.get_or_create(
            kind=SubjectKind.DEPARTMENT, code=unit_code(code), defaults={"name": name, "parent": province}
        )
        units.append(unit)
        # The unit's own staff answer for its criteria through an agency of the unit's name
        # (scoring.answers_for_unit); an agency of that name may already exist.
        agency = Agency.objects.filter(province=province, name=name).first()
        if agency is None:
            agency = Agency.objects.create(province=province, name=name, short_name=short_name)
        agencies[code] = agency
    return units, agencies


def link_agencies(framework: Framework, agencies: list[Agency]) -> None:
    """Every unit's agency answers for every criterion of the block's framework."""
    existing = set(
        CriterionAgency.objects.filter(criterion__framework=framework).values_list(
            "criterion_id", "agency_id"
        )
    )
    CriterionAgency.objects.bulk_create(
        CriterionAgency(criterion_id=criterion_id, agency=agency)
        for criterion_id in Criterion.objects.filter(framework=framework).values_list("pk", flat=True)
        for agency in agencies
        if (criterion_id, agency.pk) not in existing
    )


def _self_rows(result, position: int, year: int) -> dict[int, RowInput]:
    rows = {}
    for number, leaf in enumerate(result.leaves()):
        section = leaf.criterion.section
        if section == Section.BONUS:
            value = bonus_score(position, number, leaf.max)
        elif section == Section.DEDUCTION:
            value = deduction_score(position)
        else:
            value = min(leaf.max, demo_score(position, number, leaf.max, year) + leaf.max / 10)
        rows[leaf.criterion.pk] = RowInput(version=0, values={"self_score": round_score(value)})
    return rows


def _appraisal_rows(result, position: int, year: int) -> dict[int, RowInput]:
    rows = {}
    for number, leaf in enumerate(result.leaves()):
        section = leaf.criterion.section
        if section == Section.BONUS:
            value = bonus_score(position, number, leaf.max)
        elif section == Section.DEDUCTION:
            value = deduction_score(position)
        else:
            value = demo_score(position, number, leaf.max, year)
        lost = section == Section.MAIN and value < leaf.max
        version = leaf.score.version if leaf.score is not None else 0
        rows[leaf.criterion.pk] = RowInput(
            version=version, values={"appraised_score": value, "appraisal_comment": REMARK if lost else ""}
        )
    return rows


def _deadline(days: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))


def take_through_cycle(
    assessment: Assessment, agency: Agency, position: int, *, user, editor, stage: str
) -> None:
    """Self-assessment (saved, and submitted unless `stage` is "entering"), then for "appraised"
    the council's appraisal — through the services the pages call."""
    result = scoring.compute(assessment)
    rows = _self_rows(result, position, assessment.year)
    if stage == "entering":
        partial = dict(list(rows.items())[: len(rows) // 2])
        services.save_part(user=editor or user, assessment=assessment, agency=agency, rows=partial)
        return
    services.submit_part(user=editor or user, assessment=assessment, agency=agency, rows=rows)
    if stage != "appraised":
        return
    services.set_phase(user=user, assessment=assessment, phase=Assessment.Phase.APPRAISAL)
    result = scoring.compute(assessment)
    services.save_appraisal(
        user=user, assessment=assessment, rows=_appraisal_rows(result, position, assessment.year)
    )


def previous_year_results(province: Subject, framework: Framework, units: list[Subject], user) -> None:
    """Last year's appraised results of the block (published), for the year-on-year change."""
    previous = services.copy_framework(
        framework,
        framework.year - 1,
        name=framework.name.replace(str(framework.year), str(framework.year - 1)),
    )
    for label, minimum in DEMO_BANDS:
        GradeBand.objects.get_or_create(
            framework=previous, label=label, defaults={"min_index": Decimal(minimum)}
        )
    for position, unit in enumerate(units):
        assessment = services.open_assessment(unit, previous, phase=Assessment.Phase.PUBLISHED)
        if assessment.scores.exists():
            continue
        result = scoring.compute(assessment)
        rows = {}
        for key, row in _appraisal_rows(result, position + 3, previous.year).items():
            row.values["self_score"] = row.values["appraised_score"]
            rows[key] = row
        with transaction.atomic():
            apply_rows(user=user, assessment=assessment, rows=rows, source=ChangeSource.SYSTEM)


@transaction.atomic
def load_demo_block(province: Subject, *, user, editors: dict[str, object] | None = None) -> DemoBlock:
    """The block, its framework, one assessment per unit taken as far as the demo says, and
    last year's results. `editors`: department editor accounts by unit code."""
    editors = editors or {}
    framework = demo_framework(province, DEMO_BLOCK_YEAR)
    units, agencies = demo_units(province)
    link_agencies(framework, list(agencies.values()))
    previous_year_results(province, framework, units, user)
    for position, (unit, (code, _name, _short)) in enumerate(zip(units, DEMO_UNITS, strict=True)):
        assessment = services.open_assessment(
            unit, framework, phase=Assessment.Phase.SELF_ASSESSMENT, self_assessment_deadline=_deadline(10)
        )
        if assessment.scores.exists():
            continue
        stage = "appraised" if code in APPRAISED else "submitted" if code in SUBMITTED else "entering"
        take_through_cycle(
            assessment, agencies[code], position, user=user, editor=editors.get(code), stage=stage
        )
    return DemoBlock(framework, units, agencies)
