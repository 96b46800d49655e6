"""check_figures: figures in remarks, declared figures and published indices against scores."""

import json

from django.core.management.base import BaseCommand

from assessments import scoring

from ._common import add_subject_year_arguments, assessment_for


class Command(BaseCommand):
    help = (
        "Kiểm tra số liệu: số liệu nêu trong ý kiến thẩm định, giải trình khác điểm đã lưu; số liệu khai "
        "khác điểm; chỉ số công bố khác chỉ số tính được. Mỗi vấn đề một dòng, bắt đầu bằng mã tiêu chí; "
        "không in gì khi không có vấn đề."
    )

    def add_arguments(self, parser):
        add_subject_year_arguments(parser)
        parser.add_argument("--json", action="store_true", help="In danh sách vấn đề dạng JSON")

    def handle(self, *args, **options):
        assessment = assessment_for(options)
        problems = scoring.check_figures(assessment)
        if options["json"]:
            self.stdout.write(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
            return
        for problem in problems:
            self.stdout.write(problem.message)
