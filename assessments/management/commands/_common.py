"""What the management commands share: --subject/--year, found or a clear error."""

from django.core.management.base import CommandError

from assessments.subjects import SubjectNotFound, find_assessment, resolve_subject


def add_subject_year_arguments(parser) -> None:
    parser.add_argument("--subject", required=True, help="Tên hoặc mã hành chính, ví dụ 'Bình Phước' hoặc 70")
    parser.add_argument("--year", required=True, type=int, help="Năm đánh giá, ví dụ 2023")


def subject_for(options):
    try:
        return resolve_subject(options["subject"], options["year"])
    except SubjectNotFound as exc:
        raise CommandError(str(exc)) from exc


def assessment_for(options):
    subject = subject_for(options)
    try:
        return find_assessment(subject, options["year"])
    except SubjectNotFound as exc:
        raise CommandError(str(exc)) from exc
