"""import_framework: a block's framework from a table in the annex layout, with its grades,
sections, rules, agencies and legal basis; sums checked; all or nothing; idempotent; frozen
once an assessment on it has opened."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.exchange.frameworks import import_framework
from assessments.exchange.problems import CHANGED, NEW, UNCHANGED
from assessments.models import (
    Assessment,
    ChangeSource,
    Criterion,
    Framework,
    RuleKind,
    ScoringMethod,
    Section,
    Subject,
    SubjectKind,
)

from .conftest import FRAMEWORK_ROWS, framework_workbook, to_bytes

D = Decimal
pytestmark = pytest.mark.django_db


def run(province, rows=None, **kwargs):
    data = to_bytes(framework_workbook(rows, **{k: kwargs.pop(k) for k in list(kwargs) if k == "grades"}))
    return import_framework(data, province, 2025, SubjectKind.DEPARTMENT, **kwargs)


def state():
    criteria = sorted(
        (c.framework_id, c.code, c.name, c.max_score, c.method, c.section, c.rule_kind, c.may_not_apply)
        for c in Criterion.objects.all()
    )
    bands = sorted((b.label, b.min_index) for f in Framework.objects.all() for b in f.grade_bands.all())
    return criteria, bands, list(Framework.objects.values_list("name", "decision", "legal_basis"))


def test_the_table_becomes_the_provinces_framework_for_the_block_and_year(binh_phuoc, home_affairs):
    outcome = run(binh_phuoc, decision="")
    assert outcome.ok and outcome.written, [str(e) for e in outcome.errors]
    framework = Framework.objects.get()
    assert (framework.owner, framework.subject_kind, framework.year) == (binh_phuoc, "department", 2025)
    assert framework.decision == "Quyết định số 123/QĐ-UBND"
    assert framework.legal_basis.startswith("Kèm theo Quyết định số 123/QĐ-UBND ngày 10/01/2025")
    criteria = {c.code: c for c in framework.criteria.all()}
    assert len(criteria) == 18 and outcome.count(NEW) == 18
    assert criteria["1.1.1"].max_score == D("1.5") and criteria["1.1.2"].max_score == D("2.5")
    assert criteria["1.1.1"].guidance == "Ban hành trước 31/12: 1,5 điểm"
    assert criteria["1.1.2"].rule_kind == RuleKind.RATIO
    assert criteria["1.1.2"].figure_labels == "số nhiệm vụ hoàn thành / tổng số nhiệm vụ"
    assert criteria["2.2"].rule_notation == "ngưỡng 95:30; 80:15; 0:0"
    assert criteria["1.2.2"].may_not_apply and not criteria["1.2.1"].may_not_apply
    assert criteria["3.1"].method == ScoringMethod.LEADER_SURVEY
    assert criteria["3.2"].method == ScoringMethod.PEOPLE_SURVEY
    assert criteria["1.1.1"].method == ScoringMethod.SELF_ASSESSED
    assert criteria["4"].section == Section.BONUS and criteria["4.2"].section == Section.BONUS
    assert criteria["4"].rule_notation == "tối đa 5"  # the section's Điểm chuẩn is its cap
    assert criteria["5"].section == Section.DEDUCTION and criteria["5"].rule_notation == "tối đa 10"
    assert criteria["1.1.2"].parent == criteria["1.1"]
    links = list(criteria["1.1"].agency_links.all())
    assert [(link.agency, link.is_lead) for link in links] == [(home_affairs, True)]
    assert [(b.label, b.min_index) for b in framework.grade_bands.all()] == [
        ("Xuất sắc", D(90)),
        ("Tốt", D(80)),
        ("Khá", D(70)),
        ("Trung bình", D(50)),
        ("Yếu", D(0)),
    ]
    assert framework.history.get().change_source == ChangeSource.IMPORT
    assert criteria["2.1"].history.get().change_source == ChangeSource.IMPORT


def test_a_unit_is_scored_on_it_with_grades_sections_and_caps(binh_phuoc, home_affairs):
    from assessments import scoring
    from assessments.models import Score

    run(binh_phuoc)
    framework = Framework.objects.get()
    unit = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="Sở Tư pháp", parent=binh_phuoc)
    assessment = Assessment.objects.create(subject=unit, framework=framework)
    criteria = {c.code: c for c in framework.criteria.all()}
    for code, value in {
        "1.1.1": "1.5",
        "2.1": "30",
        "2.2": "30",
        "3.1": "18",
        "3.2": "9",
        "4.1": "3",
        "4.2": "4",
    }.items():
        Score.objects.create(assessment=assessment, criterion=criteria[code], appraised_score=D(value))
    result = scoring.compute(assessment)
    assert result.applicable_max == D(100) and result.bonus == D(5)
    assert result.appraised == D("93.5") and result.grade == "Xuất sắc"


def test_reimporting_the_same_table_changes_nothing(binh_phuoc, home_affairs):
    run(binh_phuoc)
    before = state()
    history = Criterion.history.count(), Framework.history.count()
    outcome = run(binh_phuoc)
    assert outcome.ok and not outcome.written and not outcome.actions
    assert outcome.count(UNCHANGED) == 18
    assert state() == before and (Criterion.history.count(), Framework.history.count()) == history


def test_sums_that_do_not_add_up_are_refused_by_row_and_nothing_is_written(binh_phuoc, home_affairs):
    rows = [list(r) for r in FRAMEWORK_ROWS]
    rows[4][2] = "7"  # 1.2 says 7, its sub-criteria 3 + 3
    rows[7][2] = "40"  # field 2 and its criteria add up to 40: the main fields to 80
    rows[8][2] = "20"
    rows[9][2] = "20"
    rows[9][7] = "ngưỡng 95:20; 0:0"
    outcome = run(binh_phuoc, rows)
    assert [str(e) for e in outcome.errors] == [
        "[Bộ chỉ số] Dòng 7 (1): điểm chuẩn 10 khác tổng điểm chuẩn các tiêu chí con (11)",
        "[Bộ chỉ số] Dòng 11 (1.2): điểm chuẩn 7 khác tổng điểm chuẩn các tiêu chí con (6)",
        "[Bộ chỉ số]: Tổng điểm chuẩn các lĩnh vực chính là 80, cần 100 "
        "(tự đánh giá 50, điều tra xã hội học 30).",
    ]
    assert Framework.objects.count() == 0 and Criterion.objects.count() == 0


def test_a_main_total_short_of_100_without_a_survey_says_how_to_declare_one(binh_phuoc, home_affairs):
    rows = [r for r in FRAMEWORK_ROWS if not r[0].startswith("3")]
    outcome = run(binh_phuoc, rows)
    assert len(outcome.errors) == 1
    message = str(outcome.errors[0])
    assert (
        "Tổng điểm chuẩn các lĩnh vực chính là 70, cần 100 (tự đánh giá 70, điều tra xã hội học 0)" in message
    )
    assert "hãy thêm các tiêu chí đó với Cách chấm “điều tra”" in message


def test_bad_cells_are_named_by_row_and_code(binh_phuoc, home_affairs):
    rows = [list(r) for r in FRAMEWORK_ROWS]
    rows[3][7] = "tỷ số"
    rows[1][5] = "Sở Không Có"
    rows[5][3] = "chấm đại"
    rows[6][2] = "ba"
    outcome = run(binh_phuoc, rows)
    text = "\n".join(str(e) for e in outcome.errors)
    assert "Dòng 10 (1.1.2): cách tính điểm “tỷ số” không đọc được" in text
    assert "Dòng 12 (1.2.1): cách chấm “chấm đại” không rõ" in text
    assert "Dòng 13 (1.2.2): điểm chuẩn 'ba' không phải là số" in text
    assert "Dòng 8 (1.1): không có cơ quan “Sở Không Có” của Bình Phước" in text
    assert Framework.objects.count() == 0


def test_an_unknown_agency_is_refused_naming_the_province(binh_phuoc, home_affairs):
    rows = [list(r) for r in FRAMEWORK_ROWS]
    rows[1][5] = "Sở Không Có"
    outcome = run(binh_phuoc, rows)
    assert [str(e) for e in outcome.errors] == [
        "[Bộ chỉ số] Dòng 8 (1.1): không có cơ quan “Sở Không Có” của Bình Phước"
    ]


def test_a_changed_table_updates_a_framework_not_yet_in_use(binh_phuoc, home_affairs):
    run(binh_phuoc)
    rows = [list(r) for r in FRAMEWORK_ROWS if r[0] != "4.2"]
    rows[2][1] = "Ban hành kế hoạch CCHC đúng hạn"
    rows = [r if r[0] != "4" else ["4", "Điểm thưởng", "3", "", "", "", "", ""] for r in rows]
    outcome = run(binh_phuoc, rows)
    assert outcome.ok and outcome.written, [str(e) for e in outcome.errors]
    changed = {c.code: c.details() for c in outcome.changes if c.status == CHANGED}
    assert set(changed) == {"1.1.1", "4"}
    assert "tên Ban hành kế hoạch kịp thời → Ban hành kế hoạch CCHC đúng hạn" in changed["1.1.1"]
    assert outcome.actions == ["Xóa tiêu chí 4.2 (Giải thưởng về cải cách hành chính)."]
    assert not Criterion.objects.filter(code="4.2").exists()
    assert Criterion.objects.get(code="4").rule_notation == "tối đa 3"


def test_a_different_table_is_refused_once_an_assessment_has_opened(binh_phuoc, home_affairs):
    run(binh_phuoc)
    framework = Framework.objects.get()
    unit = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="Sở Tư pháp", parent=binh_phuoc)
    Assessment.objects.create(subject=unit, framework=framework, phase=Assessment.Phase.SELF_ASSESSMENT)
    before = state()
    assert run(binh_phuoc).ok  # the same table: nothing to change, nothing refused
    rows = [list(r) for r in FRAMEWORK_ROWS]
    rows[2][1] = "Tên khác"
    outcome = run(binh_phuoc, rows)
    assert len(outcome.errors) == 1
    assert "đã dùng cho đợt đánh giá đang mở (Sở Tư pháp, giai đoạn Tự đánh giá): không sửa được nữa" in str(
        outcome.errors[0]
    )
    assert state() == before


def test_an_assessment_still_in_preparation_does_not_freeze_it(binh_phuoc, home_affairs):
    run(binh_phuoc)
    unit = Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="Sở Tư pháp", parent=binh_phuoc)
    Assessment.objects.create(
        subject=unit, framework=Framework.objects.get(), phase=Assessment.Phase.PREPARATION
    )
    rows = [list(r) for r in FRAMEWORK_ROWS]
    rows[2][1] = "Tên khác"
    assert run(binh_phuoc, rows).written


def test_the_command_dry_run_lists_rows_and_writes_nothing(binh_phuoc, home_affairs, tmp_path):
    path = tmp_path / "bo-chi-so.xlsx"
    path.write_bytes(to_bytes(framework_workbook()))
    out = StringIO()
    call_command(
        "import_framework",
        str(path),
        "--province",
        "Bình Phước",
        "--year",
        "2025",
        "--kind",
        "department",
        "--dry-run",
        "--name",
        "Bộ Chỉ số CCHC các sở, ban, ngành năm 2025",
        stdout=out,
    )
    text = out.getvalue()
    assert (
        "Sẽ tạo bộ tiêu chí “Bộ Chỉ số CCHC các sở, ban, ngành năm 2025” của Bình Phước: 18 tiêu chí." in text
    )
    assert "Dòng 7 (1): mới" in text
    assert "Chạy thử: 18 dòng mới, 0 dòng thay đổi, 0 dòng không đổi." in text
    assert Framework.objects.count() == 0
    call_command(
        "import_framework",
        str(path),
        "--province",
        "70",
        "--year",
        "2025",
        "--kind",
        "department",
        "--decision",
        "Quyết định số 99/QĐ-UBND ngày 02/01/2025",
        stdout=StringIO(),
    )
    framework = Framework.objects.get()
    assert framework.decision == "Quyết định số 99/QĐ-UBND ngày 02/01/2025"
    assert framework.name == "Bộ Chỉ số cải cách hành chính sở, ban, ngành năm 2025"


def test_the_command_refuses_with_row_named_errors_and_exit_code(binh_phuoc, home_affairs, tmp_path):
    rows = [list(r) for r in FRAMEWORK_ROWS]
    rows[4][2] = "7"
    path = tmp_path / "bo-chi-so.xlsx"
    path.write_bytes(to_bytes(framework_workbook(rows)))
    err = StringIO()
    with pytest.raises(CommandError, match="Cơ sở dữ liệu không thay đổi"):
        call_command(
            "import_framework",
            str(path),
            "--province",
            "Bình Phước",
            "--year",
            "2025",
            "--kind",
            "department",
            stderr=err,
        )
    assert "Dòng 11 (1.2): điểm chuẩn 7 khác tổng điểm chuẩn các tiêu chí con (6)" in err.getvalue()


def test_a_csv_with_a_section_column_and_decimal_commas(binh_phuoc):
    lines = [
        "STT;Tiêu chí;Điểm tối đa;Phần",
        "1;Chỉ đạo điều hành;40,5;chính",
        "1.1;Kế hoạch;40,5;",
        "2;Thể chế;59,5;",
        "3;Cộng điểm sáng kiến;2;thưởng",
        "3.1;Sáng kiến;2;",
    ]
    data = "\n".join(lines).encode()
    outcome = import_framework(data, binh_phuoc, 2025, SubjectKind.COMMUNE, filename="xa.csv")
    assert outcome.ok and outcome.written, [str(e) for e in outcome.errors]
    framework = Framework.objects.get(subject_kind=SubjectKind.COMMUNE)
    assert framework.criteria.get(code="3").section == Section.BONUS
    assert framework.criteria.get(code="1").max_score == D("40.5")
    assert not framework.grade_bands.exists()


def test_a_province_framework_kind_is_refused(binh_phuoc):
    outcome = import_framework(to_bytes(framework_workbook()), binh_phuoc, 2025, SubjectKind.PROVINCE)
    assert "Bộ Nội vụ" in str(outcome.errors[0])
