from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.management.commands._common import add_subject_year_arguments, assessment_for


class Command(BaseCommand):
    help = "Xuất báo cáo Chỉ số CCHC (BC-SNV) của một đối tượng trong một năm ra HTML, PDF hoặc Word."

    def add_arguments(self, parser):
        add_subject_year_arguments(parser)
        parser.add_argument("--format", choices=["html", "pdf", "docx"], default="pdf", help="Định dạng tệp")
        parser.add_argument("-o", "--output", required=True, help="Đường dẫn tệp kết quả")

    def handle(self, *args, **options):
        assessment = assessment_for(options)
        fmt = options["format"]
        output = Path(options["output"])
        if fmt == "html":
            from reports.compose import build_report
            from reports.pdf import print_html

            content = print_html(build_report(assessment), charts="inline").encode("utf-8")
            note = ""
        else:
            from reports.cache import rendered_file

            rendered = rendered_file(assessment, fmt)
            content = rendered.content
            note = " (lấy từ bản đã tạo)" if rendered.from_cache else f" ({rendered.seconds:.2f} giây)"
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc}") from exc
        self.stdout.write(f"Đã ghi {output} ({len(content):,} byte){note}.")
