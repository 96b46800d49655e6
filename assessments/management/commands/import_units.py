from django.core.management.base import BaseCommand

from assessments.exchange.cli import read_file, refused, report
from assessments.exchange.problems import FileRefused
from assessments.exchange.units import import_units

from ._common import add_province_argument, province_for


class Command(BaseCommand):
    help = (
        "Nhập danh sách đơn vị của một tỉnh (.xlsx, .csv, .tsv; các cột Mã | Tên đơn vị | Khối | "
        "Hiệu lực từ | Hiệu lực đến | Hợp nhất từ): tất cả hoặc không gì cả; nhập lại cùng tệp "
        "không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx, .csv hoặc .tsv")
        add_province_argument(parser, required=True)
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ liệt kê đơn vị mới, thay đổi, không đổi; không ghi"
        )

    def handle(self, *args, **options):
        province = province_for(options)
        data = read_file(options["path"])
        try:
            outcome = import_units(data, province, filename=options["path"], dry_run=options["dry_run"])
        except FileRefused as exc:
            raise refused(exc) from exc
        report(self, outcome, verbose_changes=options["dry_run"])
