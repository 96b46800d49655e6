"""import_framework: a block's framework from a criteria table (exchange.framework_table),
checked and written through services.frameworks, all or nothing. The framework is the
province's for that kind of unit and year: created if it does not exist; a re-import of an
identical table changes nothing; a different table is refused once an assessment on the
framework has opened."""

from __future__ import annotations

from django.db import transaction

from assessments.models import ChangeSource, Framework, Subject, SubjectKind
from assessments.services.frameworks import (
    CriterionDraft,
    GradeDraft,
    build_criteria,
    check_not_frozen,
    plan_tree,
    write_plan,
)

from .agencies import plan_agency_links
from .framework_table import FrameworkTable, read_framework_sheets
from .problems import ImportOutcome


def default_name(kind: str, year: int) -> str:
    return f"Bộ Chỉ số cải cách hành chính {SubjectKind(kind).label.lower()} năm {year}"


def _drafts(table: FrameworkTable, province: Subject, outcome: ImportOutcome) -> list[CriterionDraft]:
    has_agencies = bool({"lead_agency", "agencies"} & table.columns)
    by_code = {row.code: row for row in table.rows}
    links = plan_agency_links(by_code, province, outcome, table.sheet) if has_agencies else {}
    return [
        CriterionDraft(
            code=row.code,
            name=row.name,
            max_score=row.max,
            method=row.method,
            section=row.section,
            guidance=row.guidance,
            rule=row.rule,
            may_not_apply=row.may_not_apply,
            row=row.row,
            agencies=links.get(row.code, []) if has_agencies else None,
        )
        for row in table.rows
    ]


def import_framework_table(
    table: FrameworkTable | None,
    province: Subject,
    year: int,
    kind: str,
    *,
    name: str = "",
    decision: str = "",
    legal_basis: str = "",
    dry_run: bool = False,
    user=None,
    outcome: ImportOutcome | None = None,
) -> ImportOutcome:
    outcome = outcome if outcome is not None else ImportOutcome()
    outcome.dry_run = dry_run
    if province.kind != SubjectKind.PROVINCE:
        outcome.error(f"{province.name} không phải tỉnh, thành phố: bộ tiêu chí do tỉnh ban hành.")
        return outcome
    if kind == SubjectKind.PROVINCE:
        outcome.error("Bộ tiêu chí đánh giá tỉnh là của Bộ Nội vụ; chọn khối đơn vị của tỉnh (--kind).")
        return outcome
    if table is None:
        return outcome
    with transaction.atomic():
        stored = (
            Framework.objects.select_for_update().filter(owner=province, subject_kind=kind, year=year).first()
        )
        created = stored is None
        framework = stored or Framework(
            owner=province, subject_kind=kind, year=year, name=name or default_name(kind, year)
        )
        wanted = {
            "name": name,
            "decision": decision or table.decision,
            "legal_basis": legal_basis or table.legal_basis or decision,
        }
        changed_fields = []
        for field, value in wanted.items():
            if value and getattr(framework, field) != value:
                changed_fields.append(field)
                setattr(framework, field, value)
        drafts = _drafts(table, province, outcome)
        built = build_criteria(drafts, framework, outcome, table.sheet)
        if outcome.errors:
            return outcome
        grades = None
        if table.grades is not None:
            grades = [GradeDraft(g.label, g.min_index) for g in table.grades]
        plan = plan_tree(framework, built, drafts, outcome, grades=grades, label=table.sheet)
        plan.framework_changed = bool(changed_fields) and not created
        check_not_frozen(plan, outcome)
        if outcome.errors:
            outcome.changes.clear()
            return outcome
        if created:
            outcome.actions.insert(
                0, f"Tạo bộ tiêu chí “{framework.name}” của {province.name}: {len(built)} tiêu chí."
            )
        elif plan.framework_changed:
            outcome.actions.insert(0, f"Cập nhật tên, văn bản ban hành của bộ tiêu chí “{framework.name}”.")
        if dry_run or not plan.changes_anything:
            return outcome
        write_plan(plan, user=user, source=ChangeSource.IMPORT)
        outcome.written = True
    return outcome


def import_framework(data: bytes, province: Subject, year: int, kind: str, *, filename: str = "", **kwargs):
    """Read a file (bytes) and import its framework. FileRefused when the file is unreadable."""
    from .tables import read_tables

    outcome = ImportOutcome(dry_run=kwargs.get("dry_run", False))
    table = read_framework_sheets(read_tables(data, filename), outcome)
    return import_framework_table(table, province, year, kind, outcome=outcome, **kwargs)
