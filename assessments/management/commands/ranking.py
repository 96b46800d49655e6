"""The ranking of one block of a province's units (sở, ban, ngành; xã…) in one year."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.decimals import format_index, format_score, to_plain
from assessments.models import SubjectKind
from assessments.scoring import ranking
from assessments.subjects import SubjectNotFound, resolve_subject


def province_for(text: str, year: int):
    """The province named or coded `text` in `year`; CommandError (Vietnamese) otherwise."""
    try:
        province = resolve_subject(text, year)
    except SubjectNotFound as exc:
        raise CommandError(str(exc)) from exc
    if province.kind != SubjectKind.PROVINCE:
        raise CommandError(f"'{text}' là {province.get_kind_display().lower()}, không phải tỉnh, thành phố.")
    return province


def as_json(block: ranking.Block) -> list[dict]:
    """The JSON contract: numbers as decimal-point strings (the index to 4 decimals), the rank
    an integer (null for a unit without appraised points)."""
    return [
        {
            "code": unit.subject.code,
            "name": unit.subject.name,
            "points": to_plain(unit.points),
            "max": to_plain(unit.max),
            "index": to_plain(unit.index),
            "rank": unit.rank,
            "grade": unit.grade,
        }
        for unit in block.units
    ]


class Command(BaseCommand):
    help = (
        "Xếp hạng Chỉ số CCHC các đơn vị của một khối (sở, ban, ngành; UBND cấp xã…) của một tỉnh "
        "trong một năm, theo chỉ số đủ độ chính xác (bảng, hoặc JSON với --json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Tên hoặc mã tỉnh, ví dụ 'Bình Phước' hoặc 70")
        parser.add_argument("--year", required=True, type=int, help="Năm đánh giá, ví dụ 2024")
        parser.add_argument(
            "--kind",
            required=True,
            help="Khối đơn vị: department / 'sở, ban, ngành', commune / 'xã', district / 'cấp huyện'",
        )
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON")

    def handle(self, *args, **options):
        year = options["year"]
        province = province_for(options["province"], year)
        try:
            kind = ranking.parse_kind(options["kind"])
            block = ranking.rank_block(province, year, kind, compare_previous=False)
        except ranking.RankingError as exc:
            raise CommandError(str(exc)) from exc
        if not block.units:
            raise CommandError(
                f"{province.title.capitalize()} chưa có đơn vị nào của khối {block.kind_label.lower()} "
                f"được đánh giá năm {year}."
            )
        if options["json"]:
            self.stdout.write(json.dumps(as_json(block), ensure_ascii=False, indent=2))
            return
        out = self.stdout.write
        out(f"Xếp hạng Chỉ số CCHC năm {year} – khối {block.kind_label.lower()} – {province.title}")
        out(f"Bộ tiêu chí: {block.framework.name}")
        out("")
        out(f"{'Mã':<8} {'Đơn vị':<44} {'Điểm':>9} {'Tối đa':>8} {'Chỉ số':>7} {'Hạng':>5}  Xếp loại")
        for unit in block.units:
            name = unit.subject.name if len(unit.subject.name) <= 44 else unit.subject.name[:43] + "…"
            points, maximum = format_score(unit.points), format_score(unit.max)
            out(
                f"{unit.subject.code:<8} {name:<44} {points:>9} {maximum:>8} "
                f"{format_index(unit.index):>7} {unit.rank or '–':>5}  {unit.grade or ''}"
            )
        if block.unranked:
            self.stderr.write(f"Chưa xếp hạng (chưa có điểm thẩm định): {len(block.unranked)} đơn vị.")
