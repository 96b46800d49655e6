from django.core.management.base import BaseCommand

from assessments.exchange.cli import read_file, refused, report
from assessments.exchange.frameworks import import_framework
from assessments.exchange.problems import FileRefused
from assessments.models import SubjectKind
from assessments.models.reference import UNIT_KINDS

from ._common import add_province_argument, province_for


class Command(BaseCommand):
    help = (
        "Nhập bộ tiêu chí của một khối đơn vị của tỉnh trong một năm từ bảng theo mẫu phụ lục "
        "(STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm chuẩn, các cột tùy chọn Cách chấm, "
        "Hướng dẫn chấm điểm, Cơ quan chủ trì, Không áp dụng, Cách tính điểm, Phần; trang tính "
        "“Xếp loại” tùy chọn): tất cả hoặc không gì cả."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx, .csv hoặc .tsv")
        add_province_argument(parser, required=True)
        parser.add_argument("--year", required=True, type=int, help="Năm đánh giá, ví dụ 2025")
        parser.add_argument(
            "--kind",
            required=True,
            choices=[k.value for k in UNIT_KINDS],
            help="Khối đơn vị: " + "; ".join(f"{k.value} = {SubjectKind(k).label}" for k in UNIT_KINDS),
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ cho biết sẽ thay đổi gì, không ghi")
        parser.add_argument("--name", default="", help="Tên bộ tiêu chí (mặc định theo khối và năm)")
        parser.add_argument(
            "--decision",
            default="",
            help="Quyết định ban hành, ví dụ 'Quyết định số 123/QĐ-UBND ngày 10/01/2025 của UBND tỉnh'",
        )

    def handle(self, *args, **options):
        province = province_for(options)
        data = read_file(options["path"])
        try:
            outcome = import_framework(
                data,
                province,
                options["year"],
                options["kind"],
                filename=options["path"],
                name=options["name"],
                decision=options["decision"],
                dry_run=options["dry_run"],
            )
        except FileRefused as exc:
            raise refused(exc) from exc
        report(self, outcome, verbose_changes=options["dry_run"])
