from django.core.management.base import BaseCommand

from assessments.exchange.cli import read_file, refused, report
from assessments.exchange.problems import FileRefused, ImportOutcome
from assessments.exchange.published import find_summary_header, import_field_summary_sheet
from assessments.exchange.tables import read_tables

from ._common import add_subject_year_arguments, subject_for


class Command(BaseCommand):
    help = (
        "Nhập bảng tổng hợp Chỉ số, thứ hạng từng lĩnh vực (năm nay và năm trước) của một đối tượng; "
        "báo chênh lệch giữa số công bố và số tính từ điểm."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx, .csv hoặc .tsv")
        add_subject_year_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ cho biết sẽ thay đổi gì, không ghi")

    def handle(self, *args, **options):
        subject = subject_for(options)
        data = read_file(options["path"])
        try:
            sheets = read_tables(data, options["path"])
        except FileRefused as exc:
            raise refused(exc) from exc
        sheet = next((s for s in sheets if find_summary_header(s) is not None), sheets[0])
        outcome = import_field_summary_sheet(
            sheet, subject, options["year"], dry_run=options["dry_run"], outcome=ImportOutcome()
        )
        report(self, outcome, verbose_changes=True)
