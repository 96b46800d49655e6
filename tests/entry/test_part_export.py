"""An agency's part as an Excel workbook (issue 13, story 9): what the entry page shows, in
tree order, with totals from scoring, scores as numbers, text never a formula; the council's
columns only once it has appraised; for whoever may open the entry page, after the lock too;
a fixed number of queries; printed readable on A4 landscape (LibreOffice)."""

import datetime
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import scoring, services
from assessments.exchange.part_export import export_agency_part, sheet_title
from assessments.models import Agency, Assessment, Criterion, Role, RuleKind, Score, Subject, SubjectKind
from tests.libreoffice import to_pdf

from .conftest import PDF_BYTES, make_open_assessment
from .test_query_counts import _score_all, count, tripled_assessment

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
HEADER_ROW = 6
SELF_HEADER = [
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Số liệu",
    "Điểm tự đánh giá",
    "Giải trình",
    "Tài liệu kiểm chứng",
]
COUNCIL_HEADER = ["Điểm thẩm định", "Ý kiến thẩm định", "Giải trình của cơ quan"]
FORMULA_TEXT = "=SUM(A1:A9)+1"


@pytest.fixture
def part(small):
    """The small world's Sở Tư pháp part, filled in: 1.1 by figures (8/17 of max 1), 1.2
    typed with an explanation that looks like a formula and a piece of evidence, 1.3 a
    leader-survey leaf, 1.4 marked "không áp dụng"."""
    assessment, stp, criteria = small["assessment"], small["agency"], small["criteria"]
    editor, owner = small["users"]["editor"], small["users"]["process_owner"]
    criteria["1.1"].rule_kind = RuleKind.RATIO
    criteria["1.1"].figure_labels = "số nhiệm vụ hoàn thành / tổng số nhiệm vụ"
    criteria["1.1"].save()
    criteria["1"].max_score = Decimal(5)
    criteria["1"].save()
    criteria["1.4"] = Criterion.objects.create(
        framework=assessment.framework,
        parent=criteria["1"],
        code="1.4",
        name="Tiêu chí 1.4",
        max_score=Decimal(1),
        method="self",
    )
    services.set_applicable(
        user=owner,
        assessment=assessment,
        criterion=criteria["1.4"],
        applicable=False,
        reason="Tỉnh không có đơn vị thuộc diện này",
    )
    services.save_part(
        user=editor,
        assessment=assessment,
        agency=stp,
        rows={
            criteria["1.1"].pk: services.RowInput(0, {"self_figures": "8/17", "explanation": "Có báo cáo"}),
            criteria["1.2"].pk: services.RowInput(
                0, {"self_score": Decimal("1.5"), "explanation": FORMULA_TEXT + "\nDòng hai"}
            ),
        },
    )
    services.add_evidence(
        user=editor,
        assessment=assessment,
        agency=stp,
        criterion=criteria["1.2"],
        upload=SimpleUploadedFile("bien-ban-kiem-tra.pdf", PDF_BYTES),
    )
    return small


def _open(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return workbook, workbook.active


def _rows(ws):
    """The table below the header, by code (heading and leaf rows) or by label (totals)."""
    header = [c.value for c in ws[HEADER_ROW]]
    found = {}
    for cells in ws.iter_rows(min_row=HEADER_ROW + 1):
        values = dict(zip(header, cells, strict=True))
        key = values["Mã"].value or values["Tiêu chí"].value.split(" (")[0]
        found[key] = values
    return header, found


def _download(client, user, assessment, agency):
    client.force_login(user)
    return client.get(reverse("assessments:entry_export", args=[assessment.pk, agency.pk]))


def _appraise(small, *, comment="Thiếu biên bản kiểm tra", phase=Assessment.Phase.EXPLANATION):
    """The council scores Sở Tư pháp's leaves, then the assessment moves to `phase`."""
    assessment, owner = small["assessment"], small["users"]["process_owner"]
    services.set_phase(user=owner, assessment=assessment, phase=Assessment.Phase.APPRAISAL)
    criteria = small["criteria"]
    scores = {s.criterion_id: s for s in Score.objects.filter(assessment=assessment)}
    rows = {}
    for code, value in [("1.1", "0.25"), ("1.2", "1"), ("1.3", "0.8")]:
        stored = scores.get(criteria[code].pk)
        values = {"appraised_score": Decimal(value), "appraisal_comment": comment if code == "1.2" else ""}
        if code == "1.1":
            values["appraised_figures"] = "4/16"
        rows[criteria[code].pk] = services.RowInput(stored.version if stored else 0, values)
    services.save_appraisal(user=owner, assessment=assessment, rows=rows)
    if phase != Assessment.Phase.APPRAISAL:
        services.set_phase(
            user=owner,
            assessment=assessment,
            phase=phase,
            explanation_deadline=timezone.now() + datetime.timedelta(days=5),
        )
    assessment.refresh_from_db()
    return assessment


# --- content -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_workbook_holds_the_agencys_part_in_tree_order(client, part):
    assessment, stp = part["assessment"], part["agency"]
    response = _download(client, part["users"]["editor"], assessment, stp)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook, ws = _open(response.content)
    assert workbook.sheetnames == ["Phần của Sở Tư pháp"]
    titles = [ws.cell(row=r, column=1).value for r in range(1, 5)]
    assert titles[0] == "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2031 CỦA TỈNH TỈNH THỬ"
    assert titles[1] == "PHẦN CỦA SỞ TƯ PHÁP"
    assert titles[2] == "Giai đoạn: Tự đánh giá · Trạng thái: Bản nháp, chưa gửi – Lưu chưa phải là gửi."
    assert re.fullmatch(r"Số liệu tính đến \d\d:\d\d \d\d/\d\d/2\d\d\d", titles[3])
    header, rows = _rows(ws)
    assert header == SELF_HEADER  # no council columns before the appraisal
    # The entry page's rows: field 1 and its leaves, not Văn phòng UBND's field 2.
    assert list(rows) == ["1", "1.1", "1.2", "1.3", "1.4", "Cộng lĩnh vực 1", "TỔNG CỘNG PHẦN CỦA CƠ QUAN"]
    # Scores are numbers with 4 decimals; figures are text (never a date).
    self_cell = rows["1.2"]["Điểm tự đánh giá"]
    assert (self_cell.value, self_cell.data_type, self_cell.number_format) == (1.5, "n", "0.0000")
    assert rows["1.1"]["Số liệu"].value == "8/17"
    assert rows["1.1"]["Số liệu"].data_type == "s"
    assert rows["1.1"]["Điểm tự đánh giá"].value == pytest.approx(0.4706)  # 8/17 of 1
    assert "Cách tính điểm:" in rows["1.1"]["Tiêu chí"].value
    assert rows["1.2"]["Số liệu"].value is None  # a typed score takes no figures
    assert rows["1"]["Điểm tối đa"].value == 5
    # A survey leaf has no self score; a criterion not applicable says so.
    assert rows["1.3"]["Điểm tự đánh giá"].value is None
    assert "Khảo sát lãnh đạo" in rows["1.3"]["Tiêu chí"].value
    assert rows["1.4"]["Điểm tự đánh giá"].value == "Không áp dụng"
    # Text that looks like a formula stays text.
    explanation = rows["1.2"]["Giải trình"]
    assert explanation.value == FORMULA_TEXT + "\nDòng hai"
    assert explanation.data_type == "s"
    assert rows["1.2"]["Tài liệu kiểm chứng"].value == "bien-ban-kiem-tra.pdf"


@pytest.mark.django_db
def test_totals_are_scorings(client, part):
    assessment, stp = part["assessment"], part["agency"]
    _workbook, ws = _open(export_agency_part(assessment, stp).content)
    _header, rows = _rows(ws)
    result = scoring.compute(assessment)
    own = scoring.responsible_leaves(result, stp.pk)
    field_part = scoring.entered_part([n for n in own if n.code.startswith("1.")], stp.pk)
    whole = scoring.entered_part(own, stp.pk)
    for label, expected in [("Cộng lĩnh vực 1", field_part), ("TỔNG CỘNG PHẦN CỦA CƠ QUAN", whole)]:
        assert Decimal(str(rows[label]["Điểm tự đánh giá"].value)) == expected.score
        assert Decimal(str(rows[label]["Điểm tối đa"].value)) == expected.max
    # 1.1 (0,4706 of 1) and 1.2 (1,5 of 2); the survey leaf and the criterion not applicable
    # count for nothing.
    assert whole.score == Decimal("1.9706") and whole.max == Decimal(3)


@pytest.mark.django_db
def test_council_columns_only_once_the_council_has_appraised(client, part):
    stp = part["agency"]
    during = _appraise(part, phase=Assessment.Phase.APPRAISAL)
    _workbook, ws = _open(export_agency_part(during, stp).content)
    header, rows = _rows(ws)
    assert header == SELF_HEADER  # as the entry page: nothing of the council while it appraises
    assert "Thiếu biên bản" not in str([c.value for row in rows.values() for c in row.values()])

    after = _appraise_next(part)
    Score.objects.filter(assessment=after, criterion=part["criteria"]["1.2"]).update(
        response="+ Đã bổ sung biên bản"
    )
    _workbook, ws = _open(export_agency_part(after, stp).content)
    header, rows = _rows(ws)
    assert header == SELF_HEADER + COUNCIL_HEADER
    assert ws.cell(row=3, column=1).value.startswith("Giai đoạn: Giải trình")
    appraised = rows["1.2"]["Điểm thẩm định"]
    assert (appraised.value, appraised.data_type, appraised.number_format) == (1, "n", "0.0000")
    assert rows["1.2"]["Ý kiến thẩm định"].value == "Thiếu biên bản kiểm tra"
    response = rows["1.2"]["Giải trình của cơ quan"]
    assert (response.value, response.data_type) == ("+ Đã bổ sung biên bản", "s")
    assert rows["1.4"]["Điểm thẩm định"].value == "Không áp dụng"
    assert rows["1.3"]["Điểm thẩm định"].value == pytest.approx(0.8)  # the survey's points
    result = scoring.compute(after)
    own = scoring.responsible_leaves(result, stp.pk)
    total = rows["TỔNG CỘNG PHẦN CỦA CƠ QUAN"]["Điểm thẩm định"].value
    assert Decimal(str(total)) == scoring.entered_appraised_part(own, stp.pk).score == Decimal("1.25")


def _appraise_next(small):
    """From the appraisal the assessment moves on to the explanation."""
    assessment = small["assessment"]
    services.set_phase(
        user=small["users"]["process_owner"],
        assessment=assessment,
        phase=Assessment.Phase.EXPLANATION,
        explanation_deadline=timezone.now() + datetime.timedelta(days=5),
    )
    assessment.refresh_from_db()
    return assessment


@pytest.mark.django_db
def test_text_a_workbook_cannot_hold_is_left_out(part):
    """A control character pasted into an explanation (from another program, or the API)
    does not break the download."""
    assessment, stp = part["assessment"], part["agency"]
    Score.objects.filter(assessment=assessment, criterion=part["criteria"]["1.2"]).update(
        explanation="Báo cáo\x0bsố 12\x1f"
    )
    _workbook, ws = _open(export_agency_part(assessment, stp).content)
    assert _rows(ws)[1]["1.2"]["Giải trình"].value == "Báo cáosố 12"


@pytest.mark.django_db
def test_filename_is_ascii_with_the_vietnamese_name_beside_it(client, part):
    response = _download(client, part["users"]["editor"], part["assessment"], part["agency"])
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="phan-tu-danh-gia-so-tu-phap-2031.xlsx"')
    assert disposition.endswith(
        "; filename*=UTF-8''" + quote("Phần tự đánh giá Sở Tư pháp 2031.xlsx", safe="")
    )
    assert disposition.isascii()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "short", "expected"),
    [
        ("Sở Tư pháp", "STP", "Phần của Sở Tư pháp"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "SNN&PTNT", "Phần của SNN&PTNT"),
        ("Ban Quản lý các khu công nghiệp tỉnh", "", "Phần của Ban Quản lý các khu cô"),
        ("Sở [Thử]: a/b", "", "Phần của Sở  Thử   a b"),
    ],
)
def test_sheet_name_is_short_and_safe(name, short, expected):
    title = sheet_title(Agency(name=name, short_name=short))
    assert title == expected
    assert len(title) <= 31


# --- who may download ----------------------------------------------------------------------


@pytest.fixture
def outsiders(small, make_user):
    """Each role of another province (with its own Sở Tư pháp)."""
    province = Subject.objects.create(kind=SubjectKind.PROVINCE, name="Tỉnh Bên", code="98")
    snv = Agency.objects.create(province=province, name="Sở Nội vụ", short_name="SNV", is_process_owner=True)
    stp = Agency.objects.create(province=province, name="Sở Tư pháp", short_name="STP")
    return {
        "process_owner": make_user("x-alice", Role.PROCESS_OWNER, snv),
        "editor": make_user("x-bob", Role.DEPARTMENT_EDITOR, stp),
        "appraiser": make_user("x-dave", Role.APPRAISER, province=province),
        "viewer": make_user("x-erin", Role.VIEWER, province=province),
    }


# Sở Tư pháp's part, per account: 200 or 404, as its entry page answers.
PART_MATRIX = {
    "process_owner": 200,
    "editor": 200,  # its own agency
    "other_editor": 404,  # another agency of the same province
    "appraiser": 200,
    "viewer": 200,
    "outside_process_owner": 404,
    "outside_editor": 404,
    "outside_appraiser": 404,
    "outside_viewer": 404,
}


def _account(small, outsiders, who):
    if who.startswith("outside_"):
        return outsiders[who.removeprefix("outside_")]
    return small["users"][who]


@pytest.mark.django_db
@pytest.mark.parametrize("locked", [False, True], ids=["open", "locked"])
@pytest.mark.parametrize("who", list(PART_MATRIX))
def test_who_may_download_a_part(client, small, outsiders, who, locked):
    assessment, stp = small["assessment"], small["agency"]
    if locked:
        services.lock(user=small["users"]["process_owner"], assessment=assessment, reason="Hết đợt")
    client.force_login(_account(small, outsiders, who))
    download = client.get(reverse("assessments:entry_export", args=[assessment.pk, stp.pk]))
    page = client.get(reverse("assessments:entry", args=[assessment.pk, stp.pk]))
    assert download.status_code == PART_MATRIX[who], (who, locked, download.status_code)
    assert download.status_code == page.status_code  # the entry page's answer, one rule
    if download.status_code == 200:
        assert download["Content-Disposition"].startswith("attachment;")
        _open(download.content)


@pytest.mark.django_db
def test_each_editor_downloads_its_own_part_only(client, small):
    """Văn phòng UBND's editor gets its own part (field 2), never Sở Tư pháp's."""
    assessment, other = small["assessment"], small["other"]
    response = _download(client, small["users"]["other_editor"], assessment, other)
    assert response.status_code == 200
    _workbook, ws = _open(response.content)
    assert list(_rows(ws)[1]) == ["2", "2.1", "Cộng lĩnh vực 2", "TỔNG CỘNG PHẦN CỦA CƠ QUAN"]


@pytest.mark.django_db
def test_anonymous_goes_to_login_and_post_is_refused(client, small):
    assessment, stp = small["assessment"], small["agency"]
    url = reverse("assessments:entry_export", args=[assessment.pk, stp.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(small["users"]["editor"])
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_before_the_opening_a_department_gets_nothing(client, small):
    """In preparation the department's entry page is 404: so is its download."""
    assessment, stp = small["assessment"], small["agency"]
    Assessment.objects.filter(pk=assessment.pk).update(phase=Assessment.Phase.PREPARATION)
    assert _download(client, small["users"]["editor"], assessment, stp).status_code == 404
    assert _download(client, small["users"]["process_owner"], assessment, stp).status_code == 200


@pytest.mark.django_db
def test_the_entry_and_progress_pages_link_to_the_download(client, small):
    assessment, stp = small["assessment"], small["agency"]
    url = reverse("assessments:entry_export", args=[assessment.pk, stp.pk])
    client.force_login(small["users"]["editor"])
    html = client.get(reverse("assessments:entry", args=[assessment.pk, stp.pk])).content.decode()
    link = html[html.index('id="part-export"') - 60 :][:300]
    assert url in link and "Tải Excel phần của cơ quan" in link
    client.force_login(small["users"]["process_owner"])
    progress = client.get(reverse("assessments:progress", args=[assessment.pk])).content.decode()
    assert url in progress


# --- queries -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_tree(client, sample_assessment, users, stp):
    small_one = make_open_assessment(sample_assessment)
    big, _size = tripled_assessment(sample_assessment)
    _score_all(small_one)
    _score_all(big)
    counts = {}
    for role in ("editor", "process_owner"):
        client.force_login(users[role])
        counts[role] = [
            count(client, reverse("assessments:entry_export", args=[a.pk, stp.pk])) for a in (small_one, big)
        ]
    for role, (on_small, on_big) in counts.items():
        assert on_small == on_big, (role, counts)
        assert on_small <= 16, (role, counts)
    print("queries per download (2023 tree, 3× tree):", counts)
    # The bigger workbook has three times the rows.
    rows = [export_agency_part(a, stp).rows for a in (small_one, big)]
    assert rows[1] == 3 * rows[0]


# --- printed -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db
def test_the_part_prints_on_a4_landscape(part, tmp_path):
    """LibreOffice Calc prints the workbook (the council's columns included): A4 landscape,
    every column on the page, the rows' text not cut; the first page kept as a PNG."""
    assessment = _appraise(part)
    Score.objects.filter(assessment=assessment, criterion=part["criteria"]["1.2"]).update(
        response="Sở đã bổ sung biên bản kiểm tra số 12/BB-STP ngày 15/3 và báo cáo kết quả khắc phục "
        "các tồn tại, hạn chế sau kiểm tra gửi Sở Nội vụ HETGIAITRINH",
        appraisal_comment="Thiếu biên bản kiểm tra tại 3 đơn vị trực thuộc; báo cáo kết quả kiểm tra "
        "chưa nêu kết quả xử lý các vấn đề phát hiện qua kiểm tra HETYKIEN",
    )
    source = tmp_path / "phan-tu-danh-gia.xlsx"
    source.write_bytes(export_agency_part(assessment, part["agency"]).content)
    pdf = to_pdf(source, timeout=120)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info), info  # not one column per page
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    first_line = next(line for line in text.splitlines() if "Tiêu chí" in line)
    assert "Mã" in first_line and "Giải trình của cơ quan" in first_line  # every column on the page
    # The last words of the longest cells are printed: the rows are tall enough.
    assert "HETGIAITRINH" in text and "HETYKIEN" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "110", "-png", "-singlefile", str(pdf), str(SCREENSHOTS / "part-export-a4")],
        check=True,
    )
