"""A province's frameworks as data its office maintains: one write path for a criteria tree,
whether it comes from a table (exchange.frameworks, import_framework) or from the edit page.

A tree is written whole: every criterion (code, name, max, method, section, rule, guidance,
"may not apply"), checked together — parents equal the sums of their children (a bonus or
deduction section counts at most its cap), the main fields total 100 points (survey
criteria included) — then written as the difference with what is stored, with history. A
framework takes no change once an assessment on it has opened (phase past "Chuẩn bị"):
it is frozen. A refusal raises DomainError (or leaves errors in the outcome) and writes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from .. import scoring
from ..decimals import ZERO, format_score
from ..exchange.problems import CHANGED, NEW, UNCHANGED, ImportOutcome, RowChange
from ..models import (
    Assessment,
    ChangeSource,
    Criterion,
    CriterionAgency,
    Framework,
    GradeBand,
    RuleKind,
    Score,
    ScoringMethod,
    Section,
    Subject,
    sort_key_for,
)
from .errors import DomainError
from .history import stamp

MAIN_TOTAL = Decimal(100)
CRITERION_FIELDS = [
    ("name", "tên"),
    ("max_score", "điểm chuẩn"),
    ("method", "cách chấm"),
    ("section", "phần"),
    ("rule_kind", "cách tính điểm"),
    ("rule_parameters", "tham số cách tính điểm"),
    ("figure_labels", "tên số liệu"),
    ("guidance", "hướng dẫn chấm điểm"),
    ("may_not_apply", "có thể không áp dụng"),
]


@dataclass
class CriterionDraft:
    """One criterion as a table row or the edit page gives it."""

    code: str
    name: str
    max_score: Decimal | None
    method: str = ""  # "" inherits the parent's (self-assessed at the top)
    section: str = ""  # "" inherits the field's; a field titled "Điểm thưởng…" is a bonus
    guidance: str = ""
    rule: str = ""  # the notation of docs/scoring-rules.md
    may_not_apply: bool = False
    row: int | None = None  # where the table or the form has it, for messages
    agencies: list | None = None  # [(Agency, is_lead)], None: keep what is stored


@dataclass
class GradeDraft:
    label: str
    min_index: Decimal


@dataclass
class FrameworkPlan:
    framework: Framework
    criteria: dict[str, Criterion]  # by code: stored ones updated in memory, new ones unsaved
    changed: set[str] = field(default_factory=set)  # codes to save
    removed: list[Criterion] = field(default_factory=list)
    agencies: dict[str, list] = field(default_factory=dict)  # code -> [(Agency, is_lead)] to set
    grades: list[GradeDraft] | None = None  # None: keep the stored bands
    framework_changed: bool = False

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.framework.pk is None
            or self.framework_changed
            or self.changed
            or self.removed
            or self.agencies
            or self.grades is not None
        )


# --- frozen -------------------------------------------------------------------------------


def opened_assessments_of(framework):
    """The assessments on a framework (or an OuterRef to one) that have opened."""
    return Assessment.objects.filter(framework=framework).exclude(phase=Assessment.Phase.PREPARATION)


def opened_assessments(framework: Framework):
    return opened_assessments_of(framework)


def frozen_reason(framework: Framework) -> str:
    """Why the framework may no longer change ("" while no assessment on it has opened)."""
    if framework.pk is None:
        return ""
    opened = opened_assessments(framework).select_related("subject").order_by("pk").first()
    if opened is None:
        return ""
    return (
        f"Bộ tiêu chí “{framework.name}” năm {framework.year} đã dùng cho đợt đánh giá đang mở "
        f"({opened.subject.name}, giai đoạn {opened.get_phase_display()}): không sửa được nữa. "
        "Muốn đổi tiêu chí, hãy sao chép sang bộ tiêu chí mới."
    )


# --- checking a tree ----------------------------------------------------------------------


def _inherit(drafts: dict[str, CriterionDraft], outcome: ImportOutcome, label: str) -> None:
    """Sections come from the field (level 1); a leaf's method from its nearest ancestor."""
    from ..exchange.framework_table import section_by_title

    for code in sorted(drafts, key=sort_key_for):
        draft = drafts[code]
        parent = drafts.get(code.rpartition(".")[0])
        if parent is None:
            draft.section = draft.section or section_by_title(draft.name) or Section.MAIN
            draft.method = draft.method or ScoringMethod.SELF_ASSESSED
            continue
        if draft.section and draft.section != parent.section:
            outcome.error(
                f"phần “{Section(draft.section).label}” khác phần của tiêu chí cha {parent.code} "
                f"(“{Section(parent.section).label}”): phần đặt ở lĩnh vực",
                draft.row,
                code,
                label,
            )
        draft.section = parent.section
        draft.method = draft.method or parent.method


def _criterion(draft: CriterionDraft, framework: Framework, outcome: ImportOutcome, label: str) -> Criterion:
    criterion = Criterion(
        framework=framework,
        code=draft.code,
        name=draft.name,
        max_score=draft.max_score if draft.max_score is not None else ZERO,
        method=draft.method,
        section=draft.section,
        guidance=draft.guidance,
        may_not_apply=draft.may_not_apply,
        level=draft.code.count(".") + 1,
        sort_key=sort_key_for(draft.code),
    )
    notation = draft.rule
    is_section_field = criterion.level == 1 and draft.section in (Section.BONUS, Section.DEDUCTION)
    if is_section_field and not notation and draft.max_score is not None:
        notation = f"tối đa {format_score(draft.max_score)}"  # a section's Điểm chuẩn is its cap
    try:
        rule = scoring.parse_notation(notation)
        rule.check(criterion.max_score)
    except scoring.RuleError as exc:
        outcome.error(str(exc), draft.row, draft.code, label)
        return criterion
    if rule.kind == RuleKind.CAP and not is_section_field:
        outcome.error(
            f"cách tính điểm “{notation}” (giới hạn tổng) chỉ dùng cho lĩnh vực điểm thưởng hoặc điểm trừ",
            draft.row,
            draft.code,
            label,
        )
    elif is_section_field and rule.kind != RuleKind.CAP:
        outcome.error(
            f"lĩnh vực {Section(draft.section).label.lower()} chỉ có cách tính điểm “tối đa N” "
            "(giới hạn của phần)",
            draft.row,
            draft.code,
            label,
        )
    rule.apply_to(criterion)
    return criterion


def build_criteria(
    drafts: list[CriterionDraft], framework: Framework, outcome: ImportOutcome, label: str = ""
) -> dict[str, Criterion]:
    """Unsaved criteria from the drafts, every problem of the tree in the outcome (by row and
    code): duplicates, orphans, rules, sections, sums, the main total of 100."""
    by_code: dict[str, CriterionDraft] = {}
    for draft in drafts:
        first = by_code.get(draft.code)
        if first is not None:
            where = f"dòng {first.row}" if first.row is not None else "một dòng khác"
            outcome.error(f"mã tiêu chí trùng với {where}", draft.row, draft.code, label)
            continue
        by_code[draft.code] = draft
    for code, draft in by_code.items():
        parent = code.rpartition(".")[0]
        if parent and parent not in by_code:
            outcome.error(f"không có tiêu chí cha {parent}", draft.row, code, label)
    if not by_code:
        outcome.error("Bộ tiêu chí không có tiêu chí nào.", sheet=label)
        return {}
    _inherit(by_code, outcome, label)
    criteria = {code: _criterion(draft, framework, outcome, label) for code, draft in by_code.items()}
    if not outcome.errors:
        _check_sums(criteria, by_code, outcome, label)
    return criteria


def _check_sums(criteria: dict[str, Criterion], drafts, outcome: ImportOutcome, label: str) -> None:
    """Each parent's stated max against its children's stated maxima (capped for a section),
    so that one wrong figure is reported once, on its own row; then the main fields' total."""
    children: dict[str, list[Criterion]] = {}
    for code, criterion in criteria.items():
        parent = code.rpartition(".")[0]
        if parent:
            children.setdefault(parent, []).append(criterion)
    for code, criterion in sorted(criteria.items(), key=lambda item: item[1].sort_key):
        kids = children.get(code)
        if not kids:
            continue
        total = sum((kid.max_score for kid in kids), ZERO)
        capped = criterion.rule_kind == RuleKind.CAP
        expected = criterion.rule.capped(total) if capped else total
        if criterion.max_score != expected:
            after_cap = f", giới hạn còn {format_score(expected)}" if capped and expected != total else ""
            outcome.error(
                f"điểm chuẩn {format_score(criterion.max_score)} khác tổng điểm chuẩn các tiêu chí con "
                f"({format_score(total)}{after_cap})",
                drafts[code].row,
                code,
                label,
            )
    fields = [c for c in criteria.values() if c.level == 1 and c.section == Section.MAIN]
    total = sum((f.max_score for f in fields), ZERO)
    if total == MAIN_TOTAL:
        return
    main_codes = {f.code for f in fields}
    survey = sum(
        (
            c.max_score
            for code, c in criteria.items()
            if code not in children
            and code.partition(".")[0] in main_codes
            and c.method != ScoringMethod.SELF_ASSESSED
        ),
        ZERO,
    )
    hint = (
        ""
        if survey
        else " Nếu phần còn lại chấm qua điều tra xã hội học, hãy thêm các tiêu chí đó với Cách chấm "
        "“điều tra”."
    )
    parts = f"tự đánh giá {format_score(total - survey)}, điều tra xã hội học {format_score(survey)}"
    outcome.error(
        f"Tổng điểm chuẩn các lĩnh vực chính là {format_score(total)}, cần {format_score(MAIN_TOTAL)} "
        f"({parts}).{hint}",
        sheet=label,
    )


# --- planning against what is stored ------------------------------------------------------


def _value(criterion: Criterion, name: str):
    value = getattr(criterion, name)
    return value if value is not None else ""


def plan_tree(
    framework: Framework,
    built: dict[str, Criterion],
    drafts: list[CriterionDraft],
    outcome: ImportOutcome,
    *,
    grades: list[GradeDraft] | None = None,
    label: str = "",
) -> FrameworkPlan:
    """What writing the built criteria into the framework changes, row by row (outcome.changes);
    reads only. Removing a criterion that holds scores is refused."""
    stored = {c.code: c for c in framework.criteria.prefetch_related("agency_links")} if framework.pk else {}
    plan = FrameworkPlan(framework=framework, criteria={})
    rows = {d.code: d for d in drafts}
    for code in sorted(built, key=sort_key_for):
        new = built[code]
        row = rows[code].row or 0
        old = stored.get(code)
        if old is None:
            plan.criteria[code] = new
            plan.changed.add(code)
            outcome.changes.append(
                RowChange(row, code, NEW, label=new.name, fields=[("điểm chuẩn", None, new.max_score)])
            )
            agencies = rows[code].agencies
            if agencies:
                plan.agencies[code] = agencies
            continue
        fields = [
            (title, _value(old, name), _value(new, name))
            for name, title in CRITERION_FIELDS
            if _value(old, name) != _value(new, name)
        ]
        for name, _title in CRITERION_FIELDS:
            setattr(old, name, getattr(new, name))
        plan.criteria[code] = old
        agencies = rows[code].agencies
        if agencies is not None:
            before = sorted((link.agency_id, link.is_lead) for link in old.agency_links.all())
            after = sorted((agency.pk, is_lead) for agency, is_lead in agencies)
            if before != after:
                plan.agencies[code] = agencies
                fields.append(("cơ quan", ", ".join(str(a) for a, _ in agencies) or "(trống)", ""))
        if fields:
            plan.changed.add(code)
        outcome.changes.append(
            RowChange(row, code, CHANGED if fields else UNCHANGED, label=new.name, fields=fields)
        )
    plan.removed = [c for code, c in stored.items() if code not in built]
    if plan.removed:
        scored = set(
            Score.objects.filter(criterion__in=plan.removed)
            .values_list("criterion__code", flat=True)
            .distinct()
        )
        for criterion in plan.removed:
            if criterion.code in scored:
                outcome.error(
                    f"Tiêu chí {criterion.code} ({criterion.name}) đã có điểm của đơn vị: không xóa được.",
                    code=criterion.code,
                    sheet=label,
                )
            else:
                outcome.actions.append(f"Xóa tiêu chí {criterion.code} ({criterion.name}).")
    if grades is not None:
        bands: list[tuple[str, Decimal]] = (
            sorted((b.label, b.min_index) for b in framework.grade_bands.all()) if framework.pk else []
        )
        if bands != sorted((g.label, g.min_index) for g in grades):
            plan.grades = grades
            shown = "; ".join(f"{g.label} từ {format_score(g.min_index)}%" for g in grades)
            outcome.actions.append(f"Đặt các mức xếp loại: {shown}.")
    return plan


def check_not_frozen(plan: FrameworkPlan, outcome: ImportOutcome) -> None:
    if plan.changes_anything:
        reason = frozen_reason(plan.framework)
        if reason:
            outcome.error(reason)


# --- writing ------------------------------------------------------------------------------


def write_plan(plan: FrameworkPlan, *, user=None, source: str = ChangeSource.FORM) -> Framework:
    """Write a checked plan, in the caller's transaction, with history."""
    framework = plan.framework
    if framework.pk is None or plan.framework_changed:
        stamp(framework, user=user, source=source)
        framework.save()
    for criterion in sorted(plan.removed, key=lambda c: c.sort_key, reverse=True):
        stamp(criterion, user=user, source=source)
        criterion.delete()
    saved: dict[str, Criterion] = {}
    for code in sorted(plan.criteria, key=sort_key_for):
        criterion = plan.criteria[code]
        criterion.framework = framework
        parent = saved.get(code.rpartition(".")[0])
        if code in plan.changed or criterion.pk is None or criterion.parent_id != getattr(parent, "pk", None):
            criterion.parent = parent
            stamp(criterion, user=user, source=source)
            criterion.save()
        saved[code] = criterion
    for code, agencies in plan.agencies.items():
        CriterionAgency.objects.filter(criterion=saved[code]).delete()
        CriterionAgency.objects.bulk_create(
            CriterionAgency(criterion=saved[code], agency=agency, is_lead=is_lead)
            for agency, is_lead in agencies
        )
    if plan.grades is not None:
        framework.grade_bands.all().delete()
        GradeBand.objects.bulk_create(
            GradeBand(framework=framework, label=g.label, min_index=g.min_index) for g in plan.grades
        )
    return framework


def save_tree(
    *,
    user,
    framework: Framework,
    drafts: list[CriterionDraft],
    grades: list[GradeDraft] | None = None,
    source: str = ChangeSource.FORM,
) -> ImportOutcome:
    """Check and write a whole criteria tree for a framework that is not frozen: all or
    nothing; the outcome lists every problem, or the rows changed."""
    outcome = ImportOutcome()
    with transaction.atomic():
        if framework.pk is not None:
            framework = Framework.objects.select_for_update().get(pk=framework.pk)
        reason = frozen_reason(framework)
        if reason:
            raise DomainError(reason)
        built = build_criteria(drafts, framework, outcome)
        if outcome.errors:
            return outcome
        plan = plan_tree(framework, built, drafts, outcome, grades=grades)
        if outcome.errors:
            return outcome
        write_plan(plan, user=user, source=source)
        outcome.written = True
    return outcome


def drafts_of(framework: Framework) -> list[CriterionDraft]:
    """The stored tree as drafts (the edit page's starting point)."""
    return [
        CriterionDraft(
            code=c.code,
            name=c.name,
            max_score=c.max_score,
            method=c.method,
            section=c.section,
            guidance=c.guidance,
            rule=c.rule_notation,
            may_not_apply=c.may_not_apply,
        )
        for c in framework.criteria.order_by("sort_key")
    ]


def copy_to_year(*, user, source: Framework, year: int, name: str = "") -> Framework:
    """Last year's framework copied to a new year (services.setup.copy_framework), refused
    where the province already has a framework of that kind for that year."""
    from .setup import copy_framework

    owner = source.owner
    if owner is None:
        raise DomainError("Chỉ sao chép được bộ tiêu chí do tỉnh ban hành.")
    if Framework.objects.filter(
        year=year, subject_kind=source.subject_kind, owner_id=source.owner_id
    ).exists():
        raise DomainError(
            f"{owner.name} đã có bộ tiêu chí {source.get_subject_kind_display().lower()} năm {year}."
        )
    with transaction.atomic():
        copy = copy_framework(source, year, name=name or source.name.replace(str(source.year), str(year)))
        copy.decision = ""
        copy.legal_basis = ""
        stamp(copy, user=user, source=ChangeSource.FORM)
        copy.save()
        GradeBand.objects.bulk_create(
            GradeBand(framework=copy, label=b.label, min_index=b.min_index) for b in source.grade_bands.all()
        )
    return copy


def frameworks_of(province: Subject):
    return Framework.objects.filter(owner=province).order_by("-year", "subject_kind")
