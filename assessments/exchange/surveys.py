"""import_survey: each unit's survey results (điều tra xã hội học, SIPAS) into the survey
criteria of its block's framework, from one table:

    Mã đơn vị | Tên đơn vị | 3.1 | 3.2 | …      (a column per survey criterion, by its code)
    Mã đơn vị | Tên đơn vị | Điểm               (a framework with one survey criterion)

A result is the criterion's appraised score (a survey leaf has no self score), written
through the one score write path (services.scores.write_scores: maximum, "không áp dụng",
lock, version, history with source "import", workflow event). All or nothing: one refused
cell and nothing is written; a dry run does the same checks and rolls back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from assessments.decimals import NotANumber, format_score, parse_decimal
from assessments.models import Assessment, ChangeSource, Criterion, Framework, Score, ScoringMethod, Subject
from assessments.services.errors import DomainError
from assessments.services.rows import RowInput
from assessments.services.scores import write_scores

from .problems import CHANGED, NEW, UNCHANGED, ImportOutcome, RowChange
from .tables import Sheet, cell, clean_text, fold, is_blank, joined_header

CODE_IN_HEADER = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{1,3})*)(?![\d,]|\.\d)")
UNIT_CODE_HEADERS = ("ma don vi", "ma", "ma so", "ma dinh danh")
UNIT_NAME_HEADERS = ("ten don vi", "don vi", "ten co quan", "ten")
SINGLE_SCORE_HEADERS = ("diem", "diem dieu tra", "ket qua", "ket qua dieu tra", "diem khao sat")


@dataclass
class SurveyHeader:
    position: int
    row: int
    code: int | None
    name: int | None
    criteria: dict[int, Criterion] = field(default_factory=dict)  # column index -> criterion


def survey_criteria(framework: Framework) -> list[Criterion]:
    """The framework's survey leaves, in code order."""
    criteria = list(framework.criteria.order_by("sort_key"))
    parents = {c.parent_id for c in criteria}
    return [c for c in criteria if c.pk not in parents and c.method != ScoringMethod.SELF_ASSESSED]


def _read_header(values, survey: list[Criterion]) -> SurveyHeader | None:
    by_code = {c.code: c for c in survey}
    header = SurveyHeader(0, 0, None, None)
    for index, value in enumerate(values):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            continue
        text = fold(value)
        if header.code is None and text in UNIT_CODE_HEADERS:
            header.code = index
        elif header.name is None and (text in UNIT_NAME_HEADERS or text.startswith("ten don vi")):
            header.name = index
        elif len(survey) == 1 and text in SINGLE_SCORE_HEADERS:
            header.criteria[index] = survey[0]
        else:
            raw = str(value) if not isinstance(value, float) else repr(value)
            codes = [m for m in CODE_IN_HEADER.findall(clean_text(raw)) if m in by_code]
            if len(codes) == 1:
                header.criteria[index] = by_code[codes[0]]
    if (header.code is None and header.name is None) or not header.criteria:
        return None
    return header


def find_survey_header(sheet: Sheet, survey: list[Criterion]) -> SurveyHeader | None:
    """The first row (or pair of rows, a merged "Điểm điều tra" over the codes) naming the
    unit columns and at least one survey criterion."""
    for position, (number, values) in enumerate(sheet.rows):
        candidates = [values]
        if position > 0 and sheet.rows[position - 1][0] == number - 1:
            candidates.append(joined_header(sheet.rows[position - 1][1], values))
        for candidate in candidates:
            header = _read_header(candidate, survey)
            if header is not None:
                header.position, header.row = position, number
                return header
    return None


def _units(province: Subject, framework: Framework) -> tuple[dict, dict, dict[int, Assessment]]:
    """The province's units of the block in the year, by code and by folded name, and their
    assessments on the framework."""
    units = list(
        Subject.objects.valid_in_year(framework.year).filter(
            Q(parent=province) | Q(parent__parent=province), kind=framework.subject_kind
        )
    )
    by_code: dict[str, Subject] = {u.code: u for u in units if u.code}
    by_name: dict[str, list[Subject]] = {}
    for unit in units:
        by_name.setdefault(fold(unit.name), []).append(unit)
    assessments = {a.subject_id: a for a in Assessment.objects.filter(framework=framework)}
    return by_code, by_name, assessments


def _unit_of(values, header: SurveyHeader, by_code, by_name, number: int, outcome) -> Subject | None:
    raw_code = cell(values, header.code)
    code = clean_text(raw_code)
    if isinstance(raw_code, float) and raw_code.is_integer():
        code = str(int(raw_code))
    name = clean_text(cell(values, header.name))
    label = code or name
    if code:
        unit = by_code.get(code)
        if unit is None:
            outcome.error(f"không có đơn vị mã {code} trong khối này của tỉnh", number, label)
        elif name and fold(name) != fold(unit.name):
            outcome.error(f"mã {code} là {unit.name}, không phải “{name}”", number, label)
            return None
        return unit
    found = by_name.get(fold(name), [])
    if len(found) == 1:
        return found[0]
    if not found:
        outcome.error(f"không có đơn vị “{name}” trong khối này của tỉnh", number, label)
    else:
        codes = ", ".join(u.code or "chưa có mã" for u in found)
        outcome.error(
            f"“{name}” khớp với {len(found)} đơn vị ({codes}); hãy ghi cột Mã đơn vị", number, label
        )
    return None


@dataclass
class UnitResults:
    row: int
    unit: Subject
    assessment: Assessment
    values: dict[int, Decimal] = field(default_factory=dict)  # criterion id -> result


def parse_results(sheet: Sheet, framework: Framework, province: Subject, outcome: ImportOutcome):
    survey = survey_criteria(framework)
    if not survey:
        outcome.error(f"Bộ tiêu chí “{framework.name}” không có tiêu chí chấm qua điều tra xã hội học.")
        return []
    header = find_survey_header(sheet, survey)
    if header is None:
        codes = ", ".join(c.code for c in survey)
        single = " (hoặc một cột Điểm)" if len(survey) == 1 else ""
        outcome.error(
            "Không tìm thấy dòng tiêu đề của bảng kết quả điều tra (cần cột Mã đơn vị hoặc Tên đơn vị và "
            f"một cột cho mỗi tiêu chí điều tra: {codes}{single})."
        )
        return []
    by_code, by_name, assessments = _units(province, framework)
    results: list[UnitResults] = []
    seen: dict[int, int] = {}
    for number, values in sheet.rows[header.position + 1 :]:
        if all(is_blank(cell(values, i)) for i in (header.code, header.name)):
            continue
        unit = _unit_of(values, header, by_code, by_name, number, outcome)
        if unit is None:
            continue
        label = unit.code or unit.name
        if unit.pk in seen:
            outcome.error(f"{unit.name} đã có ở dòng {seen[unit.pk]}", number, label)
            continue
        seen[unit.pk] = number
        assessment = assessments.get(unit.pk)
        if assessment is None:
            outcome.error(f"{unit.name} chưa có đợt đánh giá năm {framework.year}", number, label)
            continue
        found = UnitResults(number, unit, assessment)
        for index, criterion in header.criteria.items():
            raw = cell(values, index)
            try:
                value = parse_decimal(clean_text(raw) if isinstance(raw, str) else raw)
            except NotANumber as exc:
                outcome.error(f"điểm tiêu chí {criterion.code} {exc}", number, label)
                continue
            if value is None:
                continue
            if value < 0 or value > criterion.max_score:
                outcome.error(
                    f"điểm tiêu chí {criterion.code} là {format_score(value)}, phải từ 0 đến "
                    f"{format_score(criterion.max_score)}",
                    number,
                    label,
                )
                continue
            found.values[criterion.pk] = value
        results.append(found)
    if not results and not outcome.errors:
        outcome.error("Bảng không có đơn vị nào dưới dòng tiêu đề.")
    return results


def _changes(results: list[UnitResults], criteria: dict[int, Criterion]) -> dict[int, tuple[RowChange, dict]]:
    stored = {
        (s.assessment_id, s.criterion_id): s
        for s in Score.objects.filter(
            assessment__in=[r.assessment for r in results], criterion_id__in=list(criteria)
        )
    }
    planned = {}
    for found in results:
        fields, rows = [], {}
        for criterion_id, value in found.values.items():
            score = stored.get((found.assessment.pk, criterion_id))
            old = score.appraised_score if score is not None else None
            if old != value:
                fields.append((f"điểm {criteria[criterion_id].code}", old, value))
                rows[criterion_id] = RowInput(
                    version=score.version if score is not None else 0, values={"appraised_score": value}
                )
        had = any((found.assessment.pk, c) in stored for c in found.values)
        status = UNCHANGED if not fields else (CHANGED if had else NEW)
        label = found.unit.code or found.unit.name
        planned[found.row] = (RowChange(found.row, label, status, label=found.unit.name, fields=fields), rows)
    return planned


def import_survey_sheet(
    sheet: Sheet,
    province: Subject,
    year: int,
    kind: str,
    *,
    dry_run: bool = False,
    user=None,
    outcome: ImportOutcome | None = None,
) -> ImportOutcome:
    outcome = outcome if outcome is not None else ImportOutcome()
    outcome.dry_run = dry_run
    framework = Framework.objects.filter(owner=province, subject_kind=kind, year=year).first()
    if framework is None:
        outcome.error(f"{province.name} chưa có bộ tiêu chí năm {year} cho khối này (--kind {kind}).")
        return outcome
    reason = f"Nhập kết quả điều tra xã hội học năm {year}"
    with transaction.atomic():
        results = parse_results(sheet, framework, province, outcome)
        if outcome.errors:
            return outcome
        criteria = {c.pk: c for c in survey_criteria(framework)}
        planned = _changes(results, criteria)
        for found in results:
            change, rows = planned[found.row]
            outcome.changes.append(change)
            if not rows:
                continue
            try:
                with transaction.atomic():
                    write_scores(
                        user=user,
                        assessment=found.assessment,
                        rows=rows,
                        source=ChangeSource.IMPORT,
                        reason=reason,
                        fields=("appraised_score",),
                    )
            except DomainError as exc:
                outcome.error(exc.message, found.row, change.code)
        if outcome.errors or dry_run:
            transaction.set_rollback(True)
            if outcome.errors:
                outcome.changes.clear()
            return outcome
        outcome.written = any(rows for _change, rows in planned.values())
    return outcome


def import_survey(data: bytes, province: Subject, year: int, kind: str, *, filename: str = "", **kwargs):
    """Read a file (bytes) and import its survey results. FileRefused when the file is unreadable."""
    from .tables import read_tables

    sheets = read_tables(data, filename)
    outcome = ImportOutcome(dry_run=kwargs.get("dry_run", False))
    if not sheets:
        outcome.error("Tệp không có trang tính nào.")
        return outcome
    framework = Framework.objects.filter(owner=province, subject_kind=kind, year=year).first()
    survey = survey_criteria(framework) if framework is not None else []
    sheet = (
        next((s for s in sheets if find_survey_header(s, survey) is not None), sheets[0])
        if survey
        else sheets[0]
    )
    return import_survey_sheet(sheet, province, year, kind, outcome=outcome, **kwargs)
