"""check_figures: figures in remarks, declared figures and published indices against scores."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments import scoring
from assessments.subjects import SubjectNotFound, _fold, find_assessment, resolve_subject

from ._common import add_subject_year_arguments, assessment_for


class Command(BaseCommand):
    help = (
        "Kiểm tra số liệu: số liệu nêu trong ý kiến thẩm định, giải trình khác điểm đã lưu; số liệu khai "
        "khác điểm; chỉ số công bố khác chỉ số tính được. Mỗi vấn đề một dòng, bắt đầu bằng mã tiêu chí; "
        "không in gì khi không có vấn đề."
    )

    def add_arguments(self, parser):
        add_subject_year_arguments(parser)
        parser.add_argument(
            "--province", help="Tỉnh của đơn vị (tên hoặc mã), khi tên sở, xã trùng giữa các tỉnh"
        )
        parser.add_argument("--json", action="store_true", help="In danh sách vấn đề dạng JSON")

    def handle(self, *args, **options):
        assessment = _assessment(options)
        problems = scoring.check_figures(assessment)
        if options["json"]:
            self.stdout.write(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
            return
        for problem in problems:
            self.stdout.write(problem.message)


def _assessment(options):
    """The assessment of --subject in --year; with --province, the unit of that province."""
    if not options.get("province"):
        return assessment_for(options)
    year = options["year"]
    try:
        province = resolve_subject(options["province"], year)
        wanted = _fold(options["subject"])
        units = [
            s
            for s in province.__class__.objects.valid_in_year(year)
            if (s.code == options["subject"].strip() or _fold(s.name) == wanted) and _in(s, province)
        ]
        if len(units) != 1:
            raise SubjectNotFound(
                f"Không tìm thấy đơn vị '{options['subject']}' thuộc {province.name} trong năm {year}."
                if not units
                else f"'{options['subject']}' khớp với nhiều đơn vị của {province.name}: hãy ghi mã."
            )
        return find_assessment(units[0], year)
    except SubjectNotFound as exc:
        raise CommandError(str(exc)) from exc


def _in(subject, province) -> bool:
    found = subject.province
    return found is not None and found.pk == province.pk
