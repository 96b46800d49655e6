from django.core.management.base import BaseCommand

from assessments.exchange.export import export_annex

from ._common import add_subject_year_arguments, assessment_for


class Command(BaseCommand):
    help = "Xuất bảng phụ lục điểm từng tiêu chí ra tệp .xlsx theo mẫu chính thức."

    def add_arguments(self, parser):
        add_subject_year_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="Tệp .xlsx cần ghi")

    def handle(self, *args, **options):
        assessment = assessment_for(options)
        export = export_annex(assessment)
        with open(options["output"], "wb") as handle:
            handle.write(export.content)
        self.stdout.write(f"Đã ghi {options['output']} ({export.rows} dòng tiêu chí).")
