"""What an agency's page says its part is, in every phase (issue 13 item 5): not "Bản nháp,
chưa gửi" during the appraisal of a part that was sent, nor a deadline when none applies."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Assessment, Stage, Submission
from .deadlines import PartState, format_deadline

Phase = Assessment.Phase


# The phases in which an agency's part shows the council's scores and remarks: from the
# explanation on, not while the council is still appraising.
SHOWS_COUNCIL = (Phase.EXPLANATION, Phase.RECHECK, Phase.PUBLISHED)


def shows_council(assessment: Assessment) -> bool:
    """Whether an agency's page (and its Excel part) shows the council's appraisal."""
    return assessment.phase in SHOWS_COUNCIL


@dataclass(frozen=True)
class PartStatus:
    label: str  # the badge: "Đã gửi", "Bị trả lại", "Đang thẩm định"…
    tone: str  # the badge's colour: "ok", "warn", "err" or ""
    detail: str  # one sentence: what happens next
    deadline_text: str  # "" where no deadline applies in this phase


def part_status(state: PartState, submissions: dict[str, Submission]) -> PartStatus:
    """The status of one agency's part. `submissions`: the agency's submissions in this
    assessment by stage (self_assessment, explanation)."""
    assessment = state.assessment
    deadline = format_deadline(state.deadline)
    if state.stage is not None and not assessment.is_locked:
        submission = state.submission
        if state.is_submitted and submission is not None:  # is_submitted reads this submission
            sent = format_deadline(submission.submitted_at)
            return PartStatus("Đã gửi", "ok", f"Đã gửi lúc {sent}; chờ Sở Nội vụ xem xét.", deadline)
        if submission is not None and submission.status == Submission.Status.RETURNED:
            return PartStatus("Bị trả lại", "warn", "Sở Nội vụ đã trả lại: sửa rồi gửi lại.", deadline)
        return PartStatus("Bản nháp, chưa gửi", "", "Lưu chưa phải là gửi.", deadline)
    self_sent = _sent(submissions.get(Stage.SELF_ASSESSMENT))
    explained = _sent(submissions.get(Stage.EXPLANATION))
    if assessment.is_locked:
        return PartStatus("Đã khóa", "err", "Kết quả đã chốt: phần việc chỉ còn xem.", "")
    if assessment.phase == Phase.PREPARATION:
        return PartStatus("Chưa mở", "", "Sở Nội vụ chưa mở đợt tự đánh giá.", "")
    if assessment.phase == Phase.APPRAISAL:
        detail = (
            f"Đã gửi tự đánh giá lúc {self_sent}; hội đồng đang thẩm định."
            if self_sent
            else "Hội đồng đang thẩm định; phần tự đánh giá không được gửi trước thời hạn."
        )
        return PartStatus("Đang thẩm định", "ok" if self_sent else "warn", detail, "")
    if assessment.phase == Phase.RECHECK:
        detail = f"Đã gửi giải trình lúc {explained}; " if explained else ""
        return PartStatus("Đang phúc tra", "ok", detail + "hội đồng đang phúc tra.", "")
    return PartStatus("Đã công bố", "ok", "Kết quả đã công bố: phần việc chỉ còn xem.", "")


def _sent(submission: Submission | None) -> str:
    if submission is None or submission.submitted_at is None:
        return ""
    if submission.status != Submission.Status.SUBMITTED:
        return ""
    return format_deadline(submission.submitted_at)


def submissions_by_stage(assessment, agency_id) -> dict[str, Submission]:
    """The agency's submissions in the assessment, by stage (one query)."""
    return {s.stage: s for s in Submission.objects.filter(assessment=assessment, agency_id=agency_id)}
