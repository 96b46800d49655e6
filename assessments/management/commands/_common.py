"""What the management commands share: --subject/--province/--year, found or a clear error."""

from django.core.management.base import CommandError

from assessments.subjects import SubjectNotFound, find_assessment, resolve_province, resolve_subject

PROVINCE_HELP = "Tỉnh của đơn vị (tên hoặc mã), khi tên sở, xã trùng giữa các tỉnh, ví dụ 'Bình Phước'"


def add_province_argument(parser, *, required: bool = False) -> None:
    help_text = "Tỉnh, thành phố (tên hoặc mã hành chính), ví dụ 'Bình Phước' hoặc 70"
    parser.add_argument("--province", required=required, help=help_text if required else PROVINCE_HELP)


def add_subject_year_arguments(parser) -> None:
    parser.add_argument("--subject", required=True, help="Tên hoặc mã hành chính, ví dụ 'Bình Phước' hoặc 70")
    add_province_argument(parser)
    parser.add_argument("--year", required=True, type=int, help="Năm đánh giá, ví dụ 2023")


def subject_for(options):
    """The --subject of --year; with --province, among that province and its units only."""
    try:
        return resolve_subject(options["subject"], options["year"], province=options.get("province") or None)
    except SubjectNotFound as exc:
        raise CommandError(str(exc)) from exc


def province_for(options):
    try:
        return resolve_province(options["province"], options.get("year"))
    except SubjectNotFound as exc:
        raise CommandError(str(exc)) from exc


def assessment_for(options):
    subject = subject_for(options)
    try:
        return find_assessment(subject, options["year"])
    except SubjectNotFound as exc:
        raise CommandError(str(exc)) from exc
