from django.core.management.base import BaseCommand, CommandError

from assessments.exchange.cli import read_file, refused, report
from assessments.exchange.national import find_national_header, import_national_years
from assessments.exchange.problems import FileRefused
from assessments.exchange.tables import read_tables
from assessments.models import SubjectKind


class Command(BaseCommand):
    help = (
        "Nhập bảng kết quả Chỉ số CCHC toàn quốc: chỉ số, thứ hạng của mọi tỉnh, thành phố (và chỉ số "
        "từng lĩnh vực nếu có) của một năm (--year), hoặc mọi năm trong bảng (--all-years)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx, .csv hoặc .tsv")
        parser.add_argument("--year", type=int, help="Năm đánh giá, ví dụ 2023: chỉ nhập khối cột của năm đó")
        parser.add_argument(
            "--all-years",
            action="store_true",
            help="Nhập mọi năm trong bảng (mỗi năm một khối cột), tất cả hoặc không gì cả",
        )
        parser.add_argument(
            "--kind",
            default=SubjectKind.PROVINCE,
            choices=[k.value for k in SubjectKind],
            help="Loại đối tượng (mặc định: tỉnh, thành phố)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ cho biết sẽ thay đổi gì, không ghi")

    def handle(self, *args, **options):
        if (options["year"] is None) == (not options["all_years"]):
            raise CommandError(
                "Cần đúng một trong hai: --year Y (nhập năm Y) hoặc --all-years (nhập mọi năm trong bảng)."
            )
        years = None if options["all_years"] else [options["year"]]
        data = read_file(options["path"])
        try:
            sheets = read_tables(data, options["path"])
        except FileRefused as exc:
            raise refused(exc) from exc
        sheet = next((s for s in sheets if find_national_header(s) is not None), sheets[0])
        outcome = import_national_years(sheet, years, kind=options["kind"], dry_run=options["dry_run"])
        report(self, outcome, verbose_changes=options["dry_run"])
