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
