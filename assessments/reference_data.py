"""Reference data shipped with ParIndex (fixtures/): the provinces, the 2023 provincial
framework, and Bình Phước's 2023 assessment with its published 2022 and 2023 results.

Loading is idempotent: objects are matched by their natural keys and updated in place.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .decimals import parse_decimal
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
        return (
            f"{self.provinces} tỉnh, thành phố; {self.criteria} tiêu chí; {self.agencies} cơ quan "
            f"tham mưu; {self.scores} điểm; {self.published} kết quả công bố"
        )


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    load_provinces(report)
    framework = load_framework_2023(report)
    province = Subject.objects.get(
        kind=SubjectKind.PROVINCE, code=SAMPLE_PROVINCE_CODE, valid_until=datetime.date(2025, 6, 30)
    )
    load_agencies(province, framework, report)
    load_sample_assessment(province, framework, report)
    load_published(province, report)
    return report


def load_provinces(report: LoadReport) -> None:
    rows = read_tsv("provinces.tsv")
    by_key = {}
    for row in rows:
        subject, _ = Subject.objects.update_or_create(
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
        report.provinces += 1
    for row in rows:
        if row["merged_from"]:
            subject = by_key[(row["code"], row["valid_from"])]
            subject.predecessors.set([by_key[(code, "")] for code in row["merged_from"].split(";")])


def load_framework_2023(report: LoadReport) -> Framework:
    framework, _ = Framework.objects.get_or_create(
        year=SAMPLE_YEAR,
        subject_kind=SubjectKind.PROVINCE,
        owner=None,
        defaults={"name": FRAMEWORK_2023_NAME, "legal_basis": FRAMEWORK_2023_BASIS},
    )
    existing = {c.code: c for c in framework.criteria.all()}
    for row in read_tsv("framework-2023-province.tsv"):
        code = row["code"]
        parent_code = code.rpartition(".")[0]
        criterion = existing.get(code) or Criterion(framework=framework, code=code)
        criterion.name = row["name"]
        criterion.max_score = parse_decimal(row["max_score"])
        criterion.method = row["method"] or "self"
        parse_notation(row.get("scoring_rule", "")).apply_to(criterion)  # "Cách tính điểm"
        criterion.parent = existing.get(parent_code) if parent_code else None
        criterion.save()
        existing[code] = criterion
        report.criteria += 1
    return framework


def load_agencies(province: Subject, framework: Framework, report: LoadReport) -> None:
    criteria = {c.code: c for c in framework.criteria.all()}
    agencies = {}
    rows = read_tsv("binh-phuoc-agencies.tsv")
    for row in rows:
        agency, _ = Agency.objects.update_or_create(
            province=province,
            name=row["name"],
            valid_from=_date(row["valid_from"]),
            defaults={
                "short_name": row["short_name"],
                "is_process_owner": row["process_owner"] == "1",
                "valid_until": _date(row["valid_until"]),
            },
        )
        agencies[row["name"]] = agency
        report.agencies += 1
    for row in rows:
        agency = agencies[row["name"]]
        if row["merged_into"]:
            agency.merged_into = agencies[row["merged_into"]]
            agency.save(update_fields=["merged_into"])
        agency.criteria.set([criteria[code] for code in row["criteria"].split(";") if code])
        # Where several agencies answer for a criterion, the one whose "leads" names it is the
        # lead (cơ quan chủ trì); the others contribute (cơ quan phối hợp).
        leads = [code for code in row.get("leads", "").split(";") if code]
        links = CriterionAgency.objects.filter(agency=agency, criterion__framework=framework)
        links.filter(criterion__code__in=leads).update(is_lead=True)
        links.exclude(criterion__code__in=leads).update(is_lead=False)


def load_sample_assessment(province: Subject, framework: Framework, report: LoadReport) -> None:
    assessment, _ = Assessment.objects.get_or_create(
        subject=province,
        framework=framework,
        defaults={"phase": Assessment.Phase.PUBLISHED, "is_locked": True},
    )
    criteria = {c.code: c for c in framework.criteria.all()}
    existing = {s.criterion_id: s for s in assessment.scores.all()}
    for row in read_tsv("binh-phuoc-2023-scores.tsv"):
        criterion = criteria[row["code"]]
        score = existing.get(criterion.pk) or Score(assessment=assessment, criterion=criterion)
        values = {
            "self_score": parse_decimal(row["self_score"]),
            "appraised_score": parse_decimal(row["appraised_score"]),
            "appraisal_comment": row["appraisal_comment"],
        }
        changed = score.pk is None or any(getattr(score, k) != v for k, v in values.items())
        if changed:
            for key, value in values.items():
                setattr(score, key, value)
            score._change_source = ChangeSource.SYSTEM
            score.save()
        report.scores += 1


def load_published(province: Subject, report: LoadReport) -> None:
    for row in read_tsv("binh-phuoc-published.tsv"):
        index = parse_decimal(row["index"])
        if index is None:
            raise ValueError(f"binh-phuoc-published.tsv: thiếu chỉ số của năm {row['year']}")
        PublishedResult.objects.update_or_create(
            subject=province,
            year=int(row["year"]),
            field_code=row["field_code"],
            defaults={
                "field_name": row["field_name"],
                "index": index,
                "rank": int(row["rank"]) if row["rank"] else None,
                "ranked_count": int(row["ranked_count"]) if row["ranked_count"] else None,
                "source": "Báo cáo kết quả Chỉ số CCHC năm 2023 (Bộ Nội vụ)",
            },
        )
        report.published += 1
