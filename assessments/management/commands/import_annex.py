from django.core.management.base import BaseCommand, CommandError

from assessments.exchange.annex import import_annex, import_annex_workbook
from assessments.exchange.cli import read_file, refused, report
from assessments.exchange.problems import FileRefused
from assessments.models import SubjectKind

from ._common import add_province_argument, subject_for


class Command(BaseCommand):
    help = (
        "Nhập bảng phụ lục điểm từng tiêu chí (.xlsx, .csv, .tsv) của một đối tượng trong một năm: "
        "tất cả hoặc không gì cả. Tạo bộ tiêu chí của năm nếu chưa có. Với --all-sheets: một tệp "
        "có mỗi trang tính là một đối tượng (tên trang tính là mã hoặc tên đối tượng)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx, .csv hoặc .tsv")
        parser.add_argument(
            "--subject",
            help="Tên hoặc mã hành chính, ví dụ 'Bình Phước' hoặc 70 (không cần với --all-sheets)",
        )
        add_province_argument(parser)
        parser.add_argument("--year", required=True, type=int, help="Năm đánh giá, ví dụ 2023")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ cho biết sẽ thay đổi gì, không ghi")
        parser.add_argument("--sheet", help="Tên trang tính (mặc định: trang đầu tiên có bảng phụ lục)")
        parser.add_argument(
            "--all-sheets",
            action="store_true",
            help="Nhập mọi trang tính, mỗi trang một đối tượng, trong một giao dịch",
        )
        parser.add_argument(
            "--kind",
            default=SubjectKind.PROVINCE,
            choices=[k.value for k in SubjectKind],
            help="Loại đối tượng của các trang tính với --all-sheets (mặc định: tỉnh, thành phố)",
        )

    def handle(self, *args, **options):
        if not options["all_sheets"] and not options["subject"]:
            raise CommandError("Cần --subject (hoặc --all-sheets cho tệp mỗi trang tính một đối tượng).")
        data = read_file(options["path"])
        try:
            if options["all_sheets"]:
                outcome = import_annex_workbook(
                    data,
                    options["year"],
                    kind=options["kind"],
                    filename=options["path"],
                    dry_run=options["dry_run"],
                )
            else:
                outcome = import_annex(
                    data,
                    subject_for(options),
                    options["year"],
                    filename=options["path"],
                    sheet=options["sheet"],
                    dry_run=options["dry_run"],
                )
        except FileRefused as exc:
            raise refused(exc) from exc
        report(self, outcome, verbose_changes=options["dry_run"])
