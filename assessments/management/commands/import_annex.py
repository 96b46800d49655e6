from django.core.management.base import BaseCommand

from assessments.exchange.annex import import_annex
from assessments.exchange.cli import read_file, refused, report
from assessments.exchange.problems import FileRefused

from ._common import add_subject_year_arguments, subject_for


class Command(BaseCommand):
    help = (
        "Nhập bảng phụ lục điểm từng tiêu chí (.xlsx, .csv, .tsv) của một đối tượng trong một năm: "
        "tất cả hoặc không gì cả. Tạo bộ tiêu chí của năm nếu chưa có."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx, .csv hoặc .tsv")
        add_subject_year_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ cho biết sẽ thay đổi gì, không ghi")
        parser.add_argument("--sheet", help="Tên trang tính (mặc định: trang đầu tiên có bảng phụ lục)")

    def handle(self, *args, **options):
        subject = subject_for(options)
        data = read_file(options["path"])
        try:
            outcome = import_annex(
                data,
                subject,
                options["year"],
                filename=options["path"],
                sheet=options["sheet"],
                dry_run=options["dry_run"],
            )
        except FileRefused as exc:
            raise refused(exc) from exc
        report(self, outcome, verbose_changes=options["dry_run"])
