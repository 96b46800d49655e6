"""Find a subject by what a person types on the command line: a name or an official code."""

import datetime
import unicodedata

from django.db.models import Q

from .models import Assessment, Subject, SubjectKind, SubjectName


class SubjectNotFound(LookupError):
    pass


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def names_in_year(year: int | None) -> dict[int, list[str]]:
    """The names subjects had during the year besides their current one ("Thừa Thiên Huế"
    in 2023), by subject pk; every former name when the year is None."""
    names = SubjectName.objects.all()
    if year is not None:
        names = names.valid_in_year(year)
    found: dict[int, list[str]] = {}
    for subject_id, name in names.values_list("subject_id", "name"):
        found.setdefault(subject_id, []).append(name)
    return found


def resolve_subject(text: str, year: int | None = None, province: Subject | str | None = None) -> Subject:
    """ "Bình Phước", "bình phước", "tỉnh Bình Phước" or "70"; valid in the given year.
    A name the subject had that year is accepted too ("Thừa Thiên Huế" for 2023).

    Units' names repeat across provinces ("Sở Tư pháp"): with `province` (a Subject, or its
    name or code), only that province and its units are candidates. A name that still
    matches several subjects is refused, listing them with their province and code.

    Where a name or code was reused after the 2025 merger, the unit that existed at the
    end of the year wins.
    """
    if isinstance(province, str):
        province = resolve_province(province, year)
    wanted = _fold(text)
    for prefix in ("tỉnh ", "thành phố ", "tp. ", "tp "):
        if wanted.startswith(prefix):
            wanted = wanted[len(prefix) :]
    candidates = Subject.objects.select_related("parent__parent")
    if year is not None:
        candidates = candidates.valid_in_year(year)
    if province is not None:
        candidates = candidates.filter(
            Q(pk=province.pk) | Q(parent_id=province.pk) | Q(parent__parent_id=province.pk)
        )
    former = names_in_year(year)
    matches = [
        s
        for s in candidates
        if s.code == text.strip()
        or _fold(s.name) == wanted
        or any(_fold(name) == wanted for name in former.get(s.pk, ()))
    ]
    if not matches:
        when = f" trong năm {year}" if year else ""
        where = f" thuộc {province.name}" if province is not None else ""
        raise SubjectNotFound(f"Không tìm thấy đối tượng đánh giá '{text}'{where}{when}.")
    if len(matches) > 1 and year is not None:
        end = datetime.date(year, 12, 31)
        at_end = [s for s in matches if s.valid_from is None or s.valid_from <= end]
        at_end = [s for s in at_end if s.valid_until is None or s.valid_until >= end] or matches
        matches = at_end
    if len(matches) > 1:
        names = "; ".join(describe_candidate(s) for s in matches)
        hint = "Hãy ghi mã" if province is not None else "Hãy thêm --province (tỉnh của đơn vị) hoặc ghi mã"
        raise SubjectNotFound(f"'{text}' khớp với nhiều đối tượng: {names}. {hint}.")
    return matches[0]


def describe_candidate(subject: Subject) -> str:
    """ "Sở Tư pháp (mã STP, Bình Phước)": how a refusal lists the subjects a name matches."""
    details = [f"mã {subject.code}" if subject.code else "chưa có mã"]
    province = subject.province
    if province is not None and province.pk != subject.pk:
        details.append(province.name)
    return f"{subject.name} ({', '.join(details)})"


def resolve_province(text: str, year: int | None = None) -> Subject:
    """A province by its name or code ("Bình Phước", "70"), as resolve_subject reads it."""
    wanted = _fold(text)
    for prefix in ("tỉnh ", "thành phố ", "tp. ", "tp "):
        if wanted.startswith(prefix):
            wanted = wanted[len(prefix) :]
    candidates = Subject.objects.filter(kind=SubjectKind.PROVINCE)
    if year is not None:
        candidates = candidates.valid_in_year(year)
    former = names_in_year(year)
    matches = [
        s
        for s in candidates
        if s.code == text.strip()
        or _fold(s.name) == wanted
        or any(_fold(name) == wanted for name in former.get(s.pk, ()))
    ]
    if len(matches) > 1 and year is not None:
        end = datetime.date(year, 12, 31)
        matches = [s for s in matches if s.valid_until is None or s.valid_until >= end] or matches
    if not matches:
        when = f" trong năm {year}" if year else ""
        raise SubjectNotFound(f"Không tìm thấy tỉnh, thành phố '{text}'{when}.")
    if len(matches) > 1:
        names = "; ".join(f"{s.name} (mã {s.code})" for s in matches)
        raise SubjectNotFound(f"'{text}' khớp với nhiều tỉnh: {names}. Hãy ghi mã hành chính.")
    return matches[0]


def find_assessment(subject: Subject, year: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("subject", "framework")
        .filter(subject=subject, framework__year=year)
        .first()
    )
    if assessment is None:
        raise SubjectNotFound(f"Chưa có kết quả đánh giá năm {year} của {subject.name}.")
    return assessment
