"""Reference data shipped with ParIndex (fixtures/): the provinces, the 2023 provincial
framework, and Bình Phước's 2023 assessment with its published 2022 and 2023 results.

Loading is idempotent and never overwrites: what is missing is created, what exists is left
exactly as it is (a user may have renamed an agency, linked it to other criteria, corrected a
score). The contents of a container are loaded only when the container is created by this
run: the criteria with their framework, the agencies and their links with the province's
first agency, the scores with their assessment, the published results of a year with the
first of them. Running it again changes nothing.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .decimals import NotANumber, parse_decimal
from .models import (
    Agency,
    Assessment,
    ChangeSource,
    Criterion,
    CriterionAgency,
    Framework,
    PublishedResult,
    Score,
    Subject,
    SubjectKind,
    SubjectName,
)
from .scoring.rule_notation import parse_notation

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SAMPLE_YEAR = 2023
SAMPLE_PROVINCE_CODE = "70"
FRAMEWORK_2023_NAME = "Bộ Chỉ số cải cách hành chính cấp tỉnh"
FRAMEWORK_2023_BASIS = (
    "Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ phê duyệt Đề án “Xác định Chỉ số "
    "cải cách hành chính của các bộ, cơ quan ngang bộ, UBND tỉnh, thành phố trực thuộc Trung "
    "ương” giai đoạn 2022 - 2030"
)


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text.strip() else None


@dataclass
class LoadReport:
    provinces: int = 0
    criteria: int = 0
    agencies: int = 0
    scores: int = 0
    published: int = 0

    def __str__(self) -> str:
        """What this run created (nothing on a second run)."""
        return (
            f"mới tạo {self.provinces} tỉnh, thành phố; {self.criteria} tiêu chí; {self.agencies} cơ quan "
            f"tham mưu; {self.scores} điểm; {self.published} kết quả công bố"
        )


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    load_provinces(report)
    framework, framework_created = load_framework_2023(report)
    province = Subject.objects.get(
        kind=SubjectKind.PROVINCE, code=SAMPLE_PROVINCE_CODE, valid_until=datetime.date(2025, 6, 30)
    )
    load_agencies(province, framework, report, framework_created=framework_created)
    load_sample_assessment(province, framework, report)
    load_published(province, report)
    return report


def load_provinces(report: LoadReport) -> None:
    rows = read_tsv("provinces.tsv")
    by_key = {}
    created = set()
    for row in rows:
        subject, new = Subject.objects.get_or_create(
            kind=SubjectKind.PROVINCE,
            code=row["code"],
            valid_from=_date(row["valid_from"]),
            defaults={
                "name": row["name"],
                "region": row["region"],
                "valid_until": _date(row["valid_until"]),
            },
        )
        by_key[(row["code"], row["valid_from"])] = subject
        if new:
            created.add(subject.pk)
            report.provinces += 1
    for row in rows:
        subject = by_key[(row["code"], row["valid_from"])]
        if row["merged_from"] and subject.pk in created:
            subject.predecessors.add(*[by_key[(code, "")] for code in row["merged_from"].split(";")])
    load_former_names(by_key)


def load_former_names(by_key: dict) -> None:
    """Names provinces had in earlier years (province-names.tsv), for a province that has no
    former name recorded yet."""
    rows = read_tsv("province-names.tsv")
    named = set(SubjectName.objects.values_list("subject_id", flat=True).distinct())
    for row in rows:
        subject = by_key[(row["code"], row["subject_valid_from"])]
        if subject.pk in named:
            continue
        SubjectName.objects.create(
            subject=subject,
            name=row["name"],
            valid_from=_date(row["valid_from"]),
            valid_until=_date(row["valid_until"]),
        )


def load_framework_2023(report: LoadReport) -> tuple[Framework, bool]:
    """The 2023 framework and whether this run created it (its criteria with it)."""
    framework, created = Framework.objects.get_or_create(
        year=SAMPLE_YEAR,
        subject_kind=SubjectKind.PROVINCE,
        owner=None,
        defaults={"name": FRAMEWORK_2023_NAME, "legal_basis": FRAMEWORK_2023_BASIS},
    )
    if not created:
        return framework, False
    existing: dict[str, Criterion] = {}
    for row in read_tsv("framework-2023-province.tsv"):
        code = row["code"]
        parent_code = code.rpartition(".")[0]
        max_score = parse_decimal(row["max_score"])
        if max_score is None:
            raise NotANumber(f"framework-2023-province.tsv, tiêu chí {code}: thiếu điểm tối đa.")
        criterion = Criterion(
            framework=framework,
            code=code,
            name=row["name"],
            max_score=max_score,
            method=row["method"] or "self",
            parent=existing.get(parent_code) if parent_code else None,
        )
        parse_notation(row.get("scoring_rule", "")).apply_to(criterion)  # "Cách tính điểm"
        criterion.save()
        existing[code] = criterion
        report.criteria += 1
    return framework, True


def load_agencies(
    province: Subject, framework: Framework, report: LoadReport, *, framework_created: bool
) -> None:
    """The sample province's agencies and the 2023 criteria each answers for.

    Only into a province that has no agency yet (a user may have renamed one: matching by
    name would create a second), and links only to a framework created by this run. Links
    are added, never set: the agencies' links to other frameworks (the 2024 copy) stay.
    """
    if Agency.objects.filter(province=province).exists():
        return
    criteria = {c.code: c for c in framework.criteria.all()} if framework_created else {}
    agencies = {}
    rows = read_tsv("binh-phuoc-agencies.tsv")
    for row in rows:
        agencies[row["name"]] = Agency.objects.create(
            province=province,
            name=row["name"],
            valid_from=_date(row["valid_from"]),
            short_name=row["short_name"],
            is_process_owner=row["process_owner"] == "1",
            valid_until=_date(row["valid_until"]),
        )
        report.agencies += 1
    for row in rows:
        agency = agencies[row["name"]]
        if row["merged_into"]:
            agency.merged_into = agencies[row["merged_into"]]
            agency.save(update_fields=["merged_into"])
        if criteria:
            agency.criteria.add(*[criteria[code] for code in row["criteria"].split(";") if code])
            # Where several agencies answer for a criterion, the one whose "leads" names it is the
            # lead (cơ quan chủ trì); the others contribute (cơ quan phối hợp).
            leads = [code for code in row.get("leads", "").split(";") if code]
            links = CriterionAgency.objects.filter(agency=agency, criterion__framework=framework)
            links.filter(criterion__code__in=leads).update(is_lead=True)
            links.exclude(criterion__code__in=leads).update(is_lead=False)


def load_sample_assessment(province: Subject, framework: Framework, report: LoadReport) -> None:
    """The published 2023 sample, scores included, if it does not exist yet."""
    assessment, created = Assessment.objects.get_or_create(
        subject=province,
        framework=framework,
        defaults={"phase": Assessment.Phase.PUBLISHED, "is_locked": True},
    )
    if not created:
        return
    criteria = {c.code: c for c in framework.criteria.all()}
    for row in read_tsv("binh-phuoc-2023-scores.tsv"):
        score = Score(
            assessment=assessment,
            criterion=criteria[row["code"]],
            self_score=parse_decimal(row["self_score"]),
            appraised_score=parse_decimal(row["appraised_score"]),
            appraisal_comment=row["appraisal_comment"],
        )
        score._change_source = ChangeSource.SYSTEM
        score.save()
        report.scores += 1


def load_published(province: Subject, report: LoadReport) -> None:
    """The sample's published results of a year, only if none of that year is stored (an
    import or a user may have set them since)."""
    rows = read_tsv("binh-phuoc-published.tsv")
    years = {int(row["year"]) for row in rows}
    stored = set(
        PublishedResult.objects.filter(subject=province, year__in=years).values_list("year", flat=True)
    )
    for row in rows:
        if int(row["year"]) in stored:
            continue
        result = PublishedResult(
            subject=province,
            year=int(row["year"]),
            field_code=row["field_code"],
            field_name=row["field_name"],
            index=parse_decimal(row["index"]),
            rank=int(row["rank"]) if row["rank"] else None,
            ranked_count=int(row["ranked_count"]) if row["ranked_count"] else None,
            source="Báo cáo kết quả Chỉ số CCHC năm 2023 (Bộ Nội vụ)",
        )
        result._change_source = ChangeSource.SYSTEM
        result.save()
        report.published += 1
