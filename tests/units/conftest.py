"""Tables of units, frameworks and surveys in the layouts provinces publish: title block with
merged cells, a header over two rows where the decision prints one, decimal commas."""

import datetime
import io

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from assessments.models import Subject, SubjectKind

UNIT_HEADER = ["STT", "Mã", "Tên đơn vị", "Khối", "Hiệu lực từ", "Hiệu lực đến", "Hợp nhất từ"]

# Bình Phước's units as of the 2025 merger: two departments merged into one, two communes
# merged into a new one, a central agency and a public service unit.
UNIT_ROWS = [
    ["1", "SNV-OLD", "Sở Nội vụ", "Sở, ban, ngành", datetime.datetime(2008, 4, 1), "28/02/2025", ""],
    ["2", "SLD", "Sở Lao động - Thương binh và Xã hội", "Sở, ban, ngành", None, "28/02/2025", ""],
    [
        "3",
        "SNV",
        "Sở Nội vụ",
        "Sở, ban, ngành",
        "01/03/2025",
        None,
        "SNV-OLD; Sở Lao động - Thương binh và Xã hội",
    ],
    ["4", "STP", "Sở Tư pháp", "sở/ban/ngành", None, None, ""],
    ["5", "25000", "Xã Tân Tiến", "Xã, phường, đặc khu", None, "30/06/2025", ""],
    ["6", "25001", "Xã Tân Thành", "Xã, phường, đặc khu", None, "30/06/2025", ""],
    ["7", "25100", "Phường Đồng Xoài", "Xã, phường, đặc khu", "01/07/2025", None, "25000;25001"],
    ["8", "KBNN", "Kho bạc Nhà nước khu vực", "Cơ quan Trung ương", "2025-03-01", None, ""],
    ["9", "TTPVHCC", "Trung tâm Phục vụ hành chính công", "Đơn vị sự nghiệp", None, None, ""],
]


def units_workbook(rows=None, header=None, *, title=True) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách đơn vị"
    if title:
        ws.append(["ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
        ws.merge_cells("A1:C1")
        ws.merge_cells("D1:G1")
        ws.append([])
        ws.append(["DANH SÁCH CƠ QUAN, ĐƠN VỊ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025"])
        ws.merge_cells("A3:G3")
        ws["A3"].font = Font(bold=True)
    ws.append(header or UNIT_HEADER)
    for row in UNIT_ROWS if rows is None else rows:
        ws.append(row)
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def binh_phuoc(db):
    return Subject.objects.create(kind=SubjectKind.PROVINCE, name="Bình Phước", code="70")


@pytest.fixture
def dong_nai(db):
    return Subject.objects.create(kind=SubjectKind.PROVINCE, name="Đồng Nai", code="75")


FRAMEWORK_HEADER = [
    "STT",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm chuẩn",
    "Cách chấm",
    "Hướng dẫn chấm điểm",
    "Cơ quan chủ trì",
    "Không áp dụng (được đánh dấu)",
    "Cách tính điểm",
]

# A departments' framework: 70 self-assessed points, a survey worth 30, a bonus section capped
# at 5 (its items add up to 7) and a deduction section capped at 10. Numbers as offices type
# them: text with a decimal comma, or numeric cells.
FRAMEWORK_ROWS = [
    ["1", "Công tác chỉ đạo, điều hành cải cách hành chính", "10", "", "", "", "", ""],
    ["1.1", "Kế hoạch cải cách hành chính năm", "4", "tự đánh giá", "", "Sở Nội vụ", "", ""],
    ["1.1.1", "Ban hành kế hoạch kịp thời", "1,5", "", "Ban hành trước 31/12: 1,5 điểm", "", "", ""],
    [
        "1.1.2",
        "Mức độ hoàn thành kế hoạch",
        2.5,
        "",
        "",
        "",
        "",
        "tỷ lệ [số nhiệm vụ hoàn thành / tổng số nhiệm vụ]",
    ],
    ["1.2", "Công tác kiểm tra cải cách hành chính", 6, "", "", "", "", ""],
    ["1.2.1", "Ban hành kế hoạch kiểm tra", "3", "", "", "", "", ""],
    ["1.2.2", "Kiểm tra các đơn vị trực thuộc", "3", "", "", "", "x", ""],
    ["2", "Cải cách thủ tục hành chính", "60", "", "", "", "", ""],
    ["2.1", "Công bố, công khai thủ tục hành chính", "30", "", "", "", "", "phần trăm"],
    ["2.2", "Giải quyết hồ sơ đúng hạn", "30", "", "", "", "", "ngưỡng 95:30; 80:15; 0:0"],
    ["3", "Điều tra xã hội học", "30", "điều tra", "", "", "", ""],
    ["3.1", "Khảo sát lãnh đạo, quản lý", "20", "", "", "", "", ""],
    ["3.2", "Sự hài lòng của người dân, tổ chức", "10", "SIPAS", "", "", "", ""],
    ["4", "Điểm thưởng (tối đa 5 điểm)", "5", "", "", "", "", ""],
    ["4.1", "Sáng kiến cải cách hành chính được công nhận", "3", "", "", "", "", ""],
    ["4.2", "Giải thưởng về cải cách hành chính", "4", "", "", "", "", ""],
    ["5", "Điểm trừ", "10", "", "", "", "", ""],
    ["5.1", "Để xảy ra sai phạm trong giải quyết thủ tục hành chính", "10", "", "", "", "", ""],
]
GRADE_ROWS = [["Xuất sắc", "90,00"], ["Tốt", "80"], ["Khá", 70], ["Trung bình", "50"], ["Yếu", "0"]]
DECISION_LINE = "(Kèm theo Quyết định số 123/QĐ-UBND ngày 10/01/2025 của UBND tỉnh Bình Phước)"


def framework_workbook(rows=None, grades=GRADE_ROWS, *, header=None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bộ chỉ số"
    ws.append(["ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.merge_cells("A1:C1")
    ws.merge_cells("D1:H1")
    ws.append(["BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CÁC SỞ, BAN, NGÀNH NĂM 2025"])
    ws.merge_cells("A2:H2")
    ws.append([DECISION_LINE])
    ws.merge_cells("A3:H3")
    ws.append([])
    ws.append(header or FRAMEWORK_HEADER)
    ws.append([f"({n})" for n in range(1, len(header or FRAMEWORK_HEADER) + 1)])
    for index, row in enumerate(FRAMEWORK_ROWS if rows is None else rows):
        ws.append(row)
        if index == 9:  # the header repeated where the printed page broke
            ws.append(header or FRAMEWORK_HEADER)
    ws.append(["", "TỔNG ĐIỂM", "100"])
    if grades is not None:
        sheet = wb.create_sheet("Xếp loại")
        sheet.append(["MỨC XẾP LOẠI"])
        sheet.append(["Xếp loại", "Từ (%)"])
        for row in grades:
            sheet.append(row)
    return wb


@pytest.fixture
def home_affairs(binh_phuoc):
    from assessments.models import Agency

    return Agency.objects.create(province=binh_phuoc, name="Sở Nội vụ", is_process_owner=True)
