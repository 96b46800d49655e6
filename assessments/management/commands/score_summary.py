import json

from django.core.management.base import BaseCommand

from assessments import scoring
from assessments.decimals import format_index, format_score

from ._common import add_subject_year_arguments, assessment_for

PART_LABELS = {
    "self_assessed": "Tự đánh giá qua thẩm định",
    "leader_survey": "Khảo sát lãnh đạo, quản lý",
    "people_survey": "Khảo sát sự hài lòng (SIPAS)",
}


class Command(BaseCommand):
    help = "Tóm tắt điểm và Chỉ số của một đối tượng trong một năm (bảng, hoặc JSON với --json)."

    def add_arguments(self, parser):
        add_subject_year_arguments(parser)
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON")

    def handle(self, *args, **options):
        assessment = assessment_for(options)
        result = scoring.compute(assessment)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        out = self.stdout.write
        out(f"Chỉ số CCHC năm {assessment.year} – {assessment.subject.title}")
        out("")
        out(f"{'Mã':<4} {'Lĩnh vực':<60} {'Tối đa':>7} {'Tự ĐG':>8} {'Thẩm định':>10} {'Chỉ số':>7}")
        for f in result.fields:
            name = f.name if len(f.name) <= 60 else f.name[:59] + "…"
            out(
                f"{f.code:<4} {name:<60} {format_score(f.applicable_max):>7} "
                f"{format_score(f.self_score):>8} {format_score(f.appraised):>10} {format_index(f.index):>7}"
            )
        out(
            f"{'':<4} {'TỔNG':<60} {format_score(result.applicable_max):>7} "
            f"{format_score(result.self_score):>8} {format_score(result.appraised):>10} "
            f"{format_index(result.index):>7}"
        )
        out("")
        for key, part in result.parts.items():
            out(f"{PART_LABELS[key]}: {format_index(part.score)}/{format_score(part.max)} điểm")
        out(
            f"Tiêu chí tự đánh giá đạt điểm tối đa: {len(result.at_max_criteria)}; "
            f"chưa đạt: {len(result.below_max_criteria)} (trong đó 0 điểm: {len(result.zero_criteria)})"
        )
        for issue in result.issues():
            self.stderr.write(f"Cảnh báo: {issue}")
