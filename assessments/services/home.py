"""What the home page lists for each user, as bounded queries (never every assessment).

- A department editor: the open assessments of its province in which its agency answers for
  criteria (not locked, in a self-assessment or explanation phase), and the recent published
  results of its province.
- Sở Nội vụ, appraisers and viewers: the assessments of their province (the province itself,
  its departments and communes), newest year first, filtered by year and kind of subject and
  paginated by the view. A superuser sees every province.

Which assessments belong to the user's province is decided in `permissions` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, QuerySet, Value, When

from .. import permissions, scoring
from ..models import Assessment, Framework, SubjectKind
from ..permissions import ASSESSMENT_PROVINCE_RELATED
from .deadlines import PHASE_STAGE
from .reminders import DueItem, due_for_user, open_parts_many

RECENT_PUBLISHED = 5

# The kinds of subject offered by the filter, in the order the list shows them.
KIND_CHOICES = [
    (SubjectKind.PROVINCE, "Tỉnh"),
    (SubjectKind.DEPARTMENT, "Sở, ban, ngành"),
    (SubjectKind.DISTRICT, "Huyện"),
    (SubjectKind.COMMUNE, "Xã"),
    (SubjectKind.CENTRAL_AGENCY, "Cơ quan Trung ương"),
    (SubjectKind.PUBLIC_SERVICE_UNIT, "Đơn vị sự nghiệp"),
]


YEAR_TEXT = re.compile(r"[0-9]{4}")


def parse_year(text: str) -> int | None:
    """ "2024" → 2024; anything else (superscripts, other scripts' digits, "20 24") → None."""
    return int(text) if YEAR_TEXT.fullmatch(text) else None


@dataclass
class HomeFilter:
    """The year and kind of subject chosen on the home page (None: all)."""

    year: int | None = None
    kind: str | None = None
    problem: str = ""  # why a value given was ignored, for the page to say

    @classmethod
    def from_query(cls, params) -> HomeFilter:
        """Read ?year=&kind= leniently: a value that is not a year (ASCII digits only, not
        "²" or "٣") or not a kind offered is ignored, and the page says so."""
        text = params.get("year", "").strip()
        kind = params.get("kind", "").strip()
        year = parse_year(text)
        return cls(
            year=year,
            kind=kind if kind in {k for k, _ in KIND_CHOICES} else None,
            problem=f"Năm “{text[:20]}” không hợp lệ: đang hiện mọi năm." if text and year is None else "",
        )

    @property
    def kinds(self) -> list[tuple[str, str]]:
        return [(str(k), label) for k, label in KIND_CHOICES]

    @property
    def is_active(self) -> bool:
        return self.year is not None or self.kind is not None


def _listing(assessments: QuerySet) -> QuerySet:
    """With what permissions.province_of reads (the subject's parents, the framework's
    owner), so that the links of each row cost no query."""
    return assessments.select_related(*ASSESSMENT_PROVINCE_RELATED)


def province_assessments(user, home_filter: HomeFilter | None = None) -> QuerySet:
    """The assessments the user may open (permissions.visible_assessments: its province's, the
    province itself and the subjects under it), newest year first, the province before its
    departments and communes. Every assessment for a superuser."""
    home_filter = home_filter or HomeFilter()
    assessments = _listing(permissions.visible_assessments(user))
    if home_filter.year is not None:
        assessments = assessments.filter(framework__year=home_filter.year)
    if home_filter.kind is not None:
        assessments = assessments.filter(subject__kind=home_filter.kind)
    return _newest_first(assessments)


def _newest_first(assessments: QuerySet) -> QuerySet:
    """Newest year first, the province before its departments and communes."""
    kind_order = Case(
        *(When(subject__kind=kind, then=Value(position)) for position, (kind, _) in enumerate(KIND_CHOICES)),
        default=Value(len(KIND_CHOICES)),
        output_field=IntegerField(),
    )
    return assessments.annotate(kind_order=kind_order).order_by(
        "-framework__year", "kind_order", "subject__name", "pk"
    )


def assessment_years() -> list[int]:
    """The years that have a framework, newest first (for the year filter; one query)."""
    return list(Framework.objects.order_by("-year").values_list("year", flat=True).distinct())


def answering_assessments(user) -> list[Assessment]:
    """The assessments in which agencies answer now (not locked, in a self-assessment or
    explanation phase) within the user's scope: those of its province, or of every province
    for a superuser. The agencies of an assessment's province answer in it, whether its
    subject is the province, a department or a commune. For the deadline notice."""
    assessments = _listing(permissions.visible_assessments(user)).filter(
        is_locked=False, phase__in=list(PHASE_STAGE)
    )
    return list(_newest_first(assessments))


@dataclass
class EditorHome:
    open: list[Assessment]
    published: list[Assessment]
    due: list[DueItem]
    closed: list[Assessment] = field(default_factory=list)  # its part is read-only there now


RECENT_CLOSED = 10


def editor_home(user) -> EditorHome:
    """A department editor's assessments: the open ones of its province in which its agency
    answers for at least one criterion (own or inherited from a parent criterion), its parts
    in them not sent yet, and the province's last published assessments. A fixed number of
    queries."""
    own = permissions.agency_of(user)
    if own is None:
        return EditorHome(open=[], published=[], due=[])
    candidates = answering_assessments(user)
    parts = open_parts_many(candidates)
    answers = [a for a in candidates if any(item.agency.pk == own.pk for item in parts[a.pk])]
    published = (
        _listing(permissions.assessments_in_province(user))
        .filter(phase=Assessment.Phase.PUBLISHED, subject__kind=SubjectKind.PROVINCE)
        .order_by("-framework__year", "pk")[:RECENT_PUBLISHED]
    )
    return EditorHome(
        open=answers,
        published=list(published),
        due=due_for_user(user, answers, parts=parts),
        closed=_closed_parts(user, own, exclude=candidates),
    )


def _closed_parts(user, own, *, exclude) -> list[Assessment]:
    """The last assessments in which the agency answered and no longer does (appraisal,
    re-check, locked or published): its part and results stay readable. Two queries."""
    started = _listing(permissions.visible_assessments(user)).exclude(pk__in=[a.pk for a in exclude])
    candidates = list(_newest_first(started)[: RECENT_CLOSED * 3])
    responsible = scoring.responsible_agency_ids({a.framework_id for a in candidates})
    return [a for a in candidates if own.pk in responsible[a.framework_id]][:RECENT_CLOSED]
