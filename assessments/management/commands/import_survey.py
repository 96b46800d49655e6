from django.core.management.base import BaseCommand

from assessments.exchange.cli import read_file, refused, report
from assessments.exchange.problems import FileRefused
from assessments.exchange.surveys import import_survey
from assessments.models.reference import UNIT_KINDS

from ._common import add_province_argument, province_for


class Command(BaseCommand):
    help = (
        "Nhập kết quả điều tra xã hội học của các đơn vị một khối (Mã đơn vị | Tên đơn vị | một cột "
        "cho mỗi tiêu chí điều tra theo mã, hoặc cột Điểm) vào các tiêu chí điều tra: tất cả hoặc "
        "không gì cả, ghi qua dịch vụ ghi điểm (lịch sử, nguồn: nhập từ tệp)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx, .csv hoặc .tsv")
        add_province_argument(parser, required=True)
        parser.add_argument("--year", required=True, type=int, help="Năm đánh giá, ví dụ 2025")
        parser.add_argument(
            "--kind", required=True, choices=[k.value for k in UNIT_KINDS], help="Khối đơn vị"
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ cho biết sẽ thay đổi gì, không ghi")

    def handle(self, *args, **options):
        province = province_for(options)
        data = read_file(options["path"])
        try:
            outcome = import_survey(
                data,
                province,
                options["year"],
                options["kind"],
                filename=options["path"],
                dry_run=options["dry_run"],
            )
        except FileRefused as exc:
            raise refused(exc) from exc
        report(self, outcome, verbose_changes=options["dry_run"])
