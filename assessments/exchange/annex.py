"""Importing the per-criterion annex table, all or nothing: checked against the year's
framework (or creating it from the table), parents against the sums of their children, the
TỔNG ĐIỂM row at its own precision; leaf scores and remarks written through the one score
service (services.scores.write_scores: lock, maximum, version, history, workflow event).

Columns the table does not have ("Điểm phúc tra", "Không áp dụng", the remark) leave what is
stored as it is. A parent row's score that is a formula (or empty) is derived from its
children; a typed one is checked against their sum. A remark on a parent row is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from assessments import scoring
from assessments.decimals import format_score
from assessments.models import (
    Assessment,
    ChangeSource,
    Criterion,
    Framework,
    Score,
    ScoringMethod,
    Subject,
    sort_key_for,
)
from assessments.services.errors import DomainError
from assessments.services.history import stamp
from assessments.services.rows import RowInput
from assessments.services.scores import write_scores

from .agencies import AgencyLinks, plan_agency_links, write_agency_links
from .annex_table import (  # noqa: F401 - re-exported: the annex's reading and import in one place
    ANNEX_COLUMNS,
    FIELD_LABELS,
    NUMBER_KEYS,
    AnnexRow,
    AnnexTable,
    choose_sheet,
    normalise_code,
    parse_annex,
    uncomputed_message,
)
from .problems import CHANGED, NEW, UNCHANGED, ImportOutcome, RowChange
from .tables import find_header

# --- checks -------------------------------------------------------------------------------


def _check_structure(table: AnnexTable, outcome: ImportOutcome) -> dict[str, AnnexRow]:
    """Duplicate and orphan codes. Returns the rows by code (first occurrence)."""
    label = table.sheet
    by_code: dict[str, AnnexRow] = {}
    for row in table.rows:
        first = by_code.get(row.code)
        if first is not None:
            outcome.error(f"mã tiêu chí trùng với dòng {first.row}", row.row, row.code, label)
            continue
        by_code[row.code] = row
    for row in by_code.values():
        parent = row.code.rpartition(".")[0]
        if parent and parent not in by_code:
            outcome.error(f"không có tiêu chí cha {parent} trong bảng", row.row, row.code, label)
    return by_code


def _derived(row: AnnexRow, key: str, by_code) -> bool:
    """A parent row's cell holding a formula: worked out from the children, not read."""
    return key in row.formulas and any(code.rpartition(".")[0] == row.code for code in by_code)


def _leaf_codes(codes) -> set[str]:
    parents = {code.rpartition(".")[0] for code in codes}
    return {code for code in codes if code not in parents}


@dataclass
class Plan:
    """What an import will do, worked out before anything is written."""

    subject: Subject
    year: int
    framework: Framework
    criteria: dict[str, Criterion]  # by code; unsaved when the framework is to be created
    assessment: Assessment | None
    leaves: list[AnnexRow]
    values: dict[str, dict]  # code -> new values of its score row (a parent's: its remark)
    existing: dict[str, Score] = field(default_factory=dict)
    agency_links: AgencyLinks = field(default_factory=dict)  # a new framework's, by code
    remarks: list[AnnexRow] = field(default_factory=list)  # parent rows whose remark is written

    @property
    def rows(self) -> list[AnnexRow]:
        """The rows written, in the table's order."""
        return sorted([*self.leaves, *self.remarks], key=lambda row: row.row)


def _framework_for(subject: Subject, year: int) -> Framework | None:
    return Framework.objects.for_subject(subject, year)


def _check_against_framework(by_code, framework, outcome, label, cache=None) -> dict[str, Criterion]:
    cache = cache if cache is not None else {}
    if framework.pk not in cache:
        cache[framework.pk] = {
            c.code: c for c in Criterion.objects.filter(framework=framework).order_by("sort_key")
        }
    criteria = cache[framework.pk]
    for code, row in by_code.items():
        criterion = criteria.get(code)
        if criterion is None:
            outcome.error(
                f"mã tiêu chí không có trong bộ tiêu chí năm {framework.year}", row.row, code, label
            )
        elif row.max is not None and not _derived(row, "max", by_code) and row.max != criterion.max_score:
            outcome.error(
                f"điểm chuẩn {format_score(row.max)} khác bộ tiêu chí năm {framework.year} "
                f"({format_score(criterion.max_score)})",
                row.row,
                code,
                label,
            )
    for code, criterion in criteria.items():
        if code not in by_code:
            outcome.error(
                f"Thiếu tiêu chí {code} ({criterion.name}) của bộ tiêu chí năm {framework.year}.",
                code="",
                sheet=label,
            )
    return criteria


def _new_criteria(by_code, leaves, framework, outcome, label) -> dict[str, Criterion]:
    criteria = {}
    for code, row in by_code.items():
        if not row.name:
            outcome.error("thiếu tên tiêu chí (cần để tạo bộ tiêu chí mới)", row.row, code, label)
        method = (
            (row.survey_method or ScoringMethod.SELF_ASSESSED)
            if code in leaves
            else ScoringMethod.SELF_ASSESSED
        )
        criteria[code] = Criterion(
            framework=framework,
            code=code,
            name=row.name,
            max_score=row.max if row.max is not None else Decimal(0),
            method=method,
            level=code.count(".") + 1,
            sort_key=sort_key_for(code),
        )
    # A parent whose max is a formula (or empty) gets the sum of its children's, deepest first.
    for code in sorted(criteria, key=lambda c: -c.count(".")):
        row = by_code[code]
        children = [c for c in criteria.values() if c.code.rpartition(".")[0] == code]
        if children and (row.max is None or "max" in row.formulas):
            criteria[code].max_score = sum((c.max_score for c in children), Decimal(0))
    return criteria


def _leaf_values(
    row: AnnexRow, criterion: Criterion, outcome: ImportOutcome, label: str, columns: set, stored
) -> dict:
    # A framework made from this table has no max where the table's max was refused.
    maximum = None if criterion.pk is None and "max" in row.invalid else criterion.max_score
    self_score = row.self_score
    if criterion.method != ScoringMethod.SELF_ASSESSED and self_score is not None:
        if self_score == 0:
            outcome.note(
                "tiêu chí chấm qua điều tra xã hội học có điểm tự đánh giá 0: coi như không có "
                "điểm tự đánh giá (không lưu)",
                row.row,
                row.code,
                label,
            )
            self_score = None
        else:
            row.invalid.add("self_score")
            outcome.error(
                f"tiêu chí chấm qua điều tra xã hội học không có điểm tự đánh giá (đang ghi "
                f"{format_score(self_score)})",
                row.row,
                row.code,
                label,
            )
    for key, uncomputed in row.uncomputed.items():
        row.invalid.add(key)
        outcome.error(uncomputed_message(key, uncomputed), row.row, row.code, label)
    scores = {"self_score": self_score, "appraised": row.appraised, "rechecked": row.rechecked}
    for key, value in scores.items():
        if value is not None and maximum is not None and value > maximum:
            row.invalid.add(key)
            outcome.error(
                f"{FIELD_LABELS[key]} {format_score(value)} lớn hơn điểm chuẩn {format_score(maximum)}",
                row.row,
                row.code,
                label,
            )
    values = {"self_score": self_score, "appraised_score": row.appraised}
    if "rechecked" in columns:
        values["rechecked_score"] = row.rechecked
    if "comment" in columns:
        values["appraisal_comment"] = row.comment
    if "not_applicable" in columns:
        values["applicable"] = not row.not_applicable
        if row.not_applicable:
            _not_applicable_scores(row, values, stored, outcome, label)
    return values


SCORE_KEYS = {"self_score": "self_score", "appraised_score": "appraised", "rechecked_score": "rechecked"}


def _not_applicable_scores(row: AnnexRow, values: dict, stored, outcome, label) -> None:
    """A criterion "không áp dụng" takes no score: an empty cell keeps what is stored (not
    counted while it does not apply), a new score is refused."""
    for name, key in SCORE_KEYS.items():
        if name not in values:
            continue
        value = values[name]
        if value is None:
            del values[name]
        elif stored is None or getattr(stored, name) != value:
            row.invalid.add(key)
            outcome.error(
                f"tiêu chí đánh dấu không áp dụng nhưng có {FIELD_LABELS[key]} {format_score(value)} "
                "(để trống điểm của tiêu chí không áp dụng)",
                row.row,
                row.code,
                label,
            )


def _planned_scores(plan: Plan) -> dict[str, Score]:
    """The leaf score rows as they will stand after the import (unsaved), by code."""
    planned = {}
    for row in plan.leaves:
        stored = plan.existing.get(row.code)
        score = Score(applicable=stored.applicable if stored is not None else True)
        if stored is not None:
            for name in SCORE_KEYS:
                setattr(score, name, getattr(stored, name))
        for name, value in plan.values[row.code].items():
            setattr(score, name, value)
        planned[row.code] = score
    return planned


def _check_sums(plan: Plan, by_code, outcome, label) -> list:
    """Parents must equal the sums of their children; the TỔNG ĐIỂM row is compared at its precision."""
    fields, nodes = scoring.roll_up_table(plan.criteria.values(), _planned_scores(plan))
    for code, node in nodes.items():
        row = by_code.get(code)
        if row is None or node.is_leaf:
            continue
        refused = set()
        for leaf in node.leaves():
            leaf_row = by_code.get(leaf.code)
            if leaf_row is not None:
                refused |= leaf_row.invalid
        for key, computed in (
            ("max", node.max),
            ("self_score", node.self_score),
            ("appraised", node.council_appraised),
            ("rechecked", node.appraised),
        ):
            stated = getattr(row, key)
            if stated is None or key in refused or key in row.formulas:
                # A value refused below is reported once, on its own row; a formula is derived.
                continue
            if computed is None:
                computed = Decimal(0)
            if stated != computed:
                outcome.error(
                    f"{FIELD_LABELS[key]} {format_score(stated)} khác tổng các tiêu chí con "
                    f"({format_score(computed)})",
                    row.row,
                    code,
                    label,
                )
    return fields


def _check_total(total: AnnexRow, fields, outcome, label) -> None:
    result = scoring.Result(framework=Framework(), fields=fields, by_code={})
    computed = {
        "max": result.max,
        "self_score": result.self_score,
        "appraised": result.council_appraised,
        "rechecked": result.appraised,
    }
    for key in NUMBER_KEYS:
        stated = getattr(total, key)
        value = computed[key]
        if stated is None or value is None or key in total.formulas:
            continue
        places = max(0, -stated.as_tuple().exponent)
        if value.quantize(Decimal(1).scaleb(-places)) != stated.quantize(Decimal(1).scaleb(-places)):
            outcome.note(
                f"dòng TỔNG ĐIỂM ghi {FIELD_LABELS[key]} {format_score(stated)}, tổng tính từ các "
                f"tiêu chí là {format_score(value)}: dùng số tính được",
                total.row,
                "TỔNG ĐIỂM",
                label,
            )


def plan_import(
    table: AnnexTable, subject: Subject, year: int, outcome: ImportOutcome, cache: dict | None = None
) -> Plan | None:
    """Everything the import will do, checked; reads only. cache keeps a framework's criteria
    between the sheets of one workbook."""
    label = table.sheet
    by_code = _check_structure(table, outcome)
    leaves = _leaf_codes(by_code)
    framework = _framework_for(subject, year)
    if framework is not None:
        criteria = _check_against_framework(by_code, framework, outcome, label, cache)
        leaves = {code for code in leaves if code in criteria}
        # A leaf of the table that is a parent in the framework is reported as missing children.
        framework_parents = {c.code.rpartition(".")[0] for c in criteria.values()}
        leaves = {code for code in leaves if code not in framework_parents}
    else:
        province = subject.province
        framework = Framework(
            year=year,
            subject_kind=subject.kind,
            owner=province if province is not None and province.pk != subject.pk else None,
            name=f"Bộ Chỉ số cải cách hành chính năm {year}",
            legal_basis="Tạo từ bảng phụ lục được nhập",
        )
        criteria = _new_criteria(by_code, leaves, framework, outcome, label)
    links: AgencyLinks = plan_agency_links(by_code, subject, outcome, label) if framework.pk is None else {}
    assessment = None
    existing: dict[str, Score] = {}
    if framework.pk is not None:
        # Locked until the import's transaction ends: no one writes a score meanwhile.
        assessment = (
            Assessment.objects.select_for_update().filter(subject=subject, framework=framework).first()
        )
    if assessment is not None:
        existing = {
            s.criterion.code: s
            for s in Score.objects.filter(assessment=assessment).select_related("criterion")
        }
    leaf_rows = [by_code[code] for code in sorted(leaves, key=sort_key_for)]
    values = {
        row.code: _leaf_values(row, criteria[row.code], outcome, label, table.columns, existing.get(row.code))
        for row in leaf_rows
    }
    plan = Plan(
        subject, year, framework, criteria, assessment, leaf_rows, values, existing, agency_links=links
    )
    if "comment" in table.columns:
        for code, row in by_code.items():
            stored = existing.get(code)
            if code in leaves or code not in criteria:
                continue
            if row.comment or (stored is not None and stored.appraisal_comment):
                plan.values[code] = {"appraisal_comment": row.comment}
                plan.remarks.append(row)
    if all(code in criteria for code in by_code):
        fields = _check_sums(plan, by_code, outcome, label)
        if table.total is not None:
            _check_total(table.total, fields, outcome, label)
    return plan


SCORE_FIELDS = [
    ("self_score", "điểm tự đánh giá"),
    ("appraised_score", "điểm thẩm định"),
    ("rechecked_score", "điểm phúc tra"),
    ("applicable", "áp dụng"),
    ("appraisal_comment", "ý kiến thẩm định"),
]


def _same(old, new) -> bool:
    if old in (None, "") or new in (None, ""):
        return old in (None, "") and new in (None, "")
    return old == new


def _changes(plan: Plan) -> list[RowChange]:
    changes = []
    for row in plan.rows:
        new = plan.values[row.code]
        old = plan.existing.get(row.code)
        if old is None:
            fields = [
                (label, None, new[name])
                for name, label in SCORE_FIELDS
                if new.get(name) not in (None, "") and (name != "applicable" or not new[name])
            ]
            changes.append(RowChange(row.row, row.code, NEW, fields=fields))
            continue
        fields = [
            (label, getattr(old, name), new[name])
            for name, label in SCORE_FIELDS
            if name in new and not _same(getattr(old, name), new[name])
        ]
        changes.append(RowChange(row.row, row.code, CHANGED if fields else UNCHANGED, fields=fields))
    return changes


def _write(plan: Plan, changes: list[RowChange], label: str, user=None) -> None:
    """Create the framework and the assessment if the table brought them, then write the
    changed rows through the score service (which raises DomainError on a refusal)."""
    framework = plan.framework
    if framework.pk is None:
        framework.save()
        saved: dict[str, Criterion] = {}
        for code in sorted(plan.criteria, key=sort_key_for):
            criterion = plan.criteria[code]
            criterion.framework = framework
            criterion.parent = saved.get(code.rpartition(".")[0])
            criterion.save()
            saved[code] = criterion
        plan.criteria = saved
        write_agency_links(plan.agency_links, saved)
    assessment = plan.assessment
    reason = f"Nhập bảng phụ lục năm {plan.year}" + (f" (trang tính {label})" if label else "")
    if assessment is None:
        assessment = Assessment(subject=plan.subject, framework=framework, phase=Assessment.Phase.APPRAISAL)
        stamp(assessment, user=user, source=ChangeSource.IMPORT, reason=reason)
        assessment.save()
        plan.assessment = assessment
    status = {c.code: c.status for c in changes}
    rows = {}
    for row in plan.rows:
        if status[row.code] == UNCHANGED:
            continue
        stored = plan.existing.get(row.code)
        rows[plan.criteria[row.code].pk] = RowInput(
            version=stored.version if stored is not None else 0, values=plan.values[row.code]
        )
    if rows:
        write_scores(user=user, assessment=assessment, rows=rows, source=ChangeSource.IMPORT, reason=reason)


def import_annex_table(
    table: AnnexTable | None,
    subject: Subject,
    year: int,
    *,
    dry_run: bool = False,
    user=None,
    outcome: ImportOutcome | None = None,
    cache: dict | None = None,
) -> ImportOutcome:
    """Check a parsed annex against the year's framework (or create one from it) and store the
    leaf scores of the subject's assessment: all or nothing, recorded in history."""
    outcome = outcome if outcome is not None else ImportOutcome()
    outcome.dry_run = dry_run
    if table is None:
        return outcome
    with transaction.atomic():
        plan = plan_import(table, subject, year, outcome, cache)
        if plan is None or outcome.errors:
            return outcome
        if plan.framework.pk is None:
            outcome.actions.append(
                f"Tạo bộ tiêu chí năm {year} từ bảng: {len(plan.criteria)} tiêu chí, "
                f"{len(plan.leaves)} tiêu chí được chấm điểm."
            )
        if plan.assessment is None:
            outcome.actions.append(f"Tạo đợt đánh giá năm {year} của {subject.name}.")
        changes = _changes(plan)
        outcome.changes.extend(changes)
        changed = [c for c in changes if c.status != UNCHANGED]
        if plan.assessment is not None and plan.assessment.is_locked and changed:
            message = (
                f"Đợt đánh giá năm {year} của {subject.name} đã khóa: bảng có {len(changed)} dòng "
                "thay đổi điểm. Sở Nội vụ cần mở khóa (kèm lý do) trước khi nhập."
            )
            if dry_run:
                outcome.note(message, sheet=table.sheet or "")
            else:
                outcome.error(message, sheet=table.sheet or "")
                return outcome
        if dry_run:
            return outcome
        try:
            with transaction.atomic():
                _write(plan, changes, table.sheet, user=user)
        except DomainError as error:
            outcome.error(error.message, sheet=table.sheet or "")
            return outcome
        outcome.written = True
    return outcome


def import_annex(
    data: bytes, subject: Subject, year: int, *, filename: str = "", sheet: str | None = None, **kwargs
) -> ImportOutcome:
    """Read a file (bytes) and import its annex table. FileRefused when the file is unreadable."""
    from .tables import read_tables

    sheets = read_tables(data, filename)
    outcome = ImportOutcome(dry_run=kwargs.get("dry_run", False))
    chosen = choose_sheet(sheets, sheet, outcome)
    if chosen is None:
        return outcome
    table = parse_annex(chosen, outcome, label=chosen.name if len(sheets) > 1 else "")
    return import_annex_table(table, subject, year, outcome=outcome, **kwargs)


def import_annex_workbook(
    data: bytes, year: int, *, kind: str = "province", filename: str = "", dry_run: bool = False, user=None
) -> ImportOutcome:
    """A whole year in one go: one workbook with a sheet per subject, each sheet named by the
    subject's code or name. One transaction: any error in any sheet and nothing is written."""
    from .published import name_key, subject_lookup
    from .tables import read_tables

    sheets = read_tables(data, filename)
    outcome = ImportOutcome(dry_run=dry_run)
    _, by_code, by_name = subject_lookup(year, kind)
    cache: dict = {}
    seen: dict[int, str] = {}
    with transaction.atomic():
        for sheet in sheets:
            header, _ = find_header(sheet, ANNEX_COLUMNS)
            if header is None:
                if sheet.rows:
                    outcome.note("bỏ qua trang tính không có bảng phụ lục", sheet=sheet.name)
                continue
            text = sheet.name.strip()
            subject = by_code.get(text) or by_code.get(text.zfill(2)) or by_name.get(name_key(text))
            if subject is None:
                outcome.error(
                    f"tên trang tính không phải mã hoặc tên đối tượng nào trong năm {year}", sheet=text
                )
                continue
            if subject.pk in seen:
                outcome.error(f"trùng đối tượng với trang tính '{seen[subject.pk]}'", sheet=text)
                continue
            seen[subject.pk] = text
            part = ImportOutcome(dry_run=dry_run)
            table = parse_annex(sheet, part, label=text)
            if not part.errors:
                import_annex_table(
                    table, subject, year, dry_run=dry_run, user=user, outcome=part, cache=cache
                )
            outcome.merge(part)
        if not seen and not outcome.errors:
            outcome.error("Tệp không có trang tính nào chứa bảng phụ lục.")
        if outcome.errors:
            transaction.set_rollback(True)
            outcome.written = False
        else:
            outcome.written = not dry_run
    return outcome
