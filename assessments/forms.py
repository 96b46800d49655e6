"""Forms of the entry, appraisal and workflow pages. Every message is Vietnamese and sits
beside the field it concerns; what the user typed is kept when a form is refused."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from .decimals import NotANumber, format_score, parse_decimal, to_plain
from .figure_inputs import FigureField
from .models import Assessment, Stage
from .services import RowInput
from .services.deadlines import format_deadline
from .widgets import HiddenInput, Textarea, TextInput

# Typed as Vietnamese offices write it, 24-hour clock: "31/03/2025 17:00" (a deadline names its
# hour). ISO forms are still read (scripts, pages opened before the change).
DATETIME_DISPLAY = "%d/%m/%Y %H:%M"
DATETIME_INPUT = [DATETIME_DISPLAY, "%d/%m/%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ScoreField(forms.CharField):
    """A score typed as "0,9388" or "0.9388": at most 4 decimals, 0 ≤ value ≤ max."""

    def __init__(self, *, maximum, **kwargs):
        self.maximum = maximum
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > 20:
            raise forms.ValidationError("Quá dài: nhập một số, ví dụ 0,9388.")
        try:
            number = parse_decimal(text)
        except NotANumber as exc:
            raise forms.ValidationError(f"{exc}: nhập một số, ví dụ 0,9388 hoặc 0.9388.") from exc
        if number is None:
            return None
        if number < 0:
            raise forms.ValidationError("Điểm không được âm.")
        if number > self.maximum:
            raise forms.ValidationError(
                f"Điểm {format_score(number)} lớn hơn điểm tối đa {format_score(self.maximum)}."
            )
        return number


def conflict_message(score, names: dict[str, str]) -> str:
    who = "người khác"
    if score is not None and score.updated_by is not None:
        who = score.updated_by.get_full_name() or score.updated_by.username
    when = format_deadline(score.updated_at) if score is not None else ""
    parts = []
    for name, label in names.items():
        value = getattr(score, name, None) if score is not None else None
        if name.endswith("_score"):
            value = format_score(value) or "(trống)"
        else:
            value = f"“{value}”" if value else "(trống)"
        parts.append(f"{label}: {value}")
    return (
        f"{who} đã sửa tiêu chí này lúc {when}. Giá trị mới — " + "; ".join(parts) + ". "
        "Giá trị bạn nhập vẫn được giữ; bấm Lưu lại để ghi đè."
    )


def score_widget(node, counted, when_empty=None) -> TextInput:
    """A score box that the live preview (static/js/entry.js) adds into its field's
    sub-total: `data-counted` is what the server counted for this leaf, `data-empty` what an
    empty box counts as (a re-check box left empty keeps the appraised score)."""
    return TextInput(
        attrs={
            "inputmode": "decimal",
            "autocomplete": "off",
            "class": "score-input",
            "data-field": node.code.split(".")[0],
            "data-counted": to_plain(counted) or "0",
            "data-empty": to_plain(when_empty) or "0",
            "data-max": to_plain(node.max),
            "size": 8,
        }
    )


class RowsForm(forms.Form):
    """One group of fields per criterion: prefix + criterion id, plus the version. The boxes
    write their own tags (assessments.widgets): hundreds of them on a page."""

    names: dict[str, str] = {}  # row key (the form field is "<key>_<criterion id>") -> Score field
    labels: dict[str, str] = {}  # Score field -> label in messages
    data: QueryDict  # a bound form of this kind is always a POST

    def __init__(self, nodes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nodes = {node.criterion.pk: node for node in nodes}
        for cid, node in self.nodes.items():
            score = node.score
            self.fields[f"version_{cid}"] = forms.IntegerField(
                widget=HiddenInput, initial=score.version if score else 0, min_value=0, required=False
            )
            self.add_row_fields(cid, node, score)

    def add_row_fields(self, cid, node, score):
        raise NotImplementedError

    def text_field(self, initial, label):
        return forms.CharField(
            label=label,
            required=False,
            strip=True,
            initial=initial,
            max_length=5000,
            widget=Textarea(attrs={"rows": 2}),
        )

    def rows(self) -> dict[int, RowInput]:
        """The posted rows, each with only the values whose field was posted: a stored value
        changes only through its own field (a row's version alone, or a score without its
        explanation, leaves the rest as it is)."""
        result = {}
        for cid in self.nodes:
            if f"version_{cid}" not in self.data:
                continue  # a row the form did not post is left as it is
            values = {}
            for key, name in self.names.items():
                field_name = f"{key}_{cid}"
                if field_name not in self.fields or self.fields[field_name].widget.value_omitted_from_data(
                    self.data, self.files, field_name
                ):
                    continue
                value = self.cleaned_data.get(f"{key}_{cid}")
                values[name] = "" if value is None and not name.endswith("_score") else value
            if values:
                result[cid] = RowInput(version=self.cleaned_data.get(f"version_{cid}") or 0, values=values)
        return result

    def row_inputs(self, cid) -> dict:
        """The bound fields of one row by row key ("version", "self_score", …), for the template."""
        inputs = {key: self[f"{key}_{cid}"] for key in self.names if f"{key}_{cid}" in self.fields}
        inputs["version"] = self[f"version_{cid}"]
        return inputs

    def add_conflicts(self, conflicts: dict) -> None:
        """Show the newer value beside each conflicting row and take its version, so that
        saving again overwrites it on purpose."""
        data = self.data.copy()
        for cid, score in conflicts.items():
            data[f"version_{cid}"] = str(score.version if score else 0)
            first = next(f"{key}_{cid}" for key in self.names if f"{key}_{cid}" in self.fields)
            self.add_error(first, conflict_message(score, self.labels))
        self.data = data


class EntryForm(RowsForm):
    """A department's own criteria: self score + explanation, or (explanation stage) its
    answer to the council."""

    def __init__(self, nodes, stage, *args, **kwargs):
        self.stage = stage
        if stage == Stage.EXPLANATION:
            self.names = {"response": "response"}
            self.labels = {"response": "giải trình"}
        else:
            self.names = {
                "self_figures": "self_figures",
                "self_score": "self_score",
                "explanation": "explanation",
            }
            self.labels = {
                "self_figures": "số liệu tự đánh giá",
                "self_score": "điểm tự đánh giá",
                "explanation": "giải trình",
            }
        super().__init__(nodes, *args, **kwargs)

    def add_row_fields(self, cid, node, score):
        if self.stage == Stage.EXPLANATION:
            self.fields[f"response_{cid}"] = self.text_field(score.response if score else "", "Giải trình")
            return
        widget = score_widget(node, score.self_score if score else None)
        if node.criterion.rule.takes_figures:
            # The score follows the figures: the box shows it, the server computes it.
            widget.attrs |= {"readonly": True, "class": "score-input computed", "tabindex": "-1"}
            self.fields[f"self_figures_{cid}"] = FigureField(
                criterion=node.criterion,
                label=f"Số liệu {node.code}",
                initial=score.self_figures if score else "",
                score_id=f"id_self_score_{cid}",
            )
        self.fields[f"self_score_{cid}"] = ScoreField(
            maximum=node.max,
            label=f"Điểm tự đánh giá {node.code}",
            initial=format_score(score.self_score) if score else "",
            widget=widget,
        )
        self.fields[f"explanation_{cid}"] = self.text_field(score.explanation if score else "", "Giải trình")

    def rows(self) -> dict[int, RowInput]:
        """As RowsForm.rows; where figures are posted, the score is the server's to compute
        from them (the box beside them is read-only), and clearing the figures clears the
        score they gave. A score stored without figures is left as it is."""
        rows = super().rows()
        for cid, row in rows.items():
            if "self_figures" not in row.values:
                continue
            if row.values["self_figures"]:
                row.values.pop("self_score", None)
            elif (stored := self.nodes[cid].score) is not None and stored.self_figures:
                row.values["self_score"] = None
        return rows


class AppraisalForm(RowsForm):
    """The council's appraised score and comment, or the re-check score and comment. In the
    appraisal phase a criterion with a scoring rule also takes the corrected figures and the
    reason for keeping another score than theirs (services.figures)."""

    def __init__(self, nodes, phase, *args, **kwargs):
        self.phase = phase
        if phase == Assessment.Phase.RECHECK:
            self.names = {"score": "rechecked_score", "comment": "recheck_comment"}
            self.labels = {"rechecked_score": "điểm phúc tra", "recheck_comment": "ý kiến phúc tra"}
        else:
            self.names = {
                "score": "appraised_score",
                "comment": "appraisal_comment",
                "figures": "appraised_figures",
                "reason": "appraised_override_reason",
            }
            self.labels = {"appraised_score": "điểm thẩm định", "appraisal_comment": "ý kiến thẩm định"}
        super().__init__(nodes, *args, **kwargs)

    @property
    def takes_figures(self) -> bool:
        return "figures" in self.names

    def add_row_fields(self, cid, node, score):
        score_name, comment_name = self.names["score"], self.names["comment"]
        value = getattr(score, score_name) if score else None
        self.fields[f"score_{cid}"] = ScoreField(
            maximum=node.max,
            label=f"Điểm {node.code}",
            initial=format_score(value),
            widget=score_widget(
                node,
                node.appraised if node.applicable else None,
                # Phúc tra: an empty box means "keep the appraised score", as scoring counts it.
                score.appraised_score if score and self.phase == Assessment.Phase.RECHECK else None,
            ),
        )
        self.fields[f"comment_{cid}"] = self.text_field(
            getattr(score, comment_name) if score else "", "Ý kiến"
        )
        if self.takes_figures and node.criterion.rule.takes_figures:
            self.fields[f"figures_{cid}"] = forms.CharField(
                label=f"Số liệu thẩm định {node.code}",
                required=False,
                max_length=40,
                initial=score.appraised_figures if score else "",
                widget=TextInput,
            )
            self.fields[f"reason_{cid}"] = self.text_field(
                score.appraised_override_reason if score else "", "Lý do giữ điểm khác điểm tính từ số liệu"
            )

    def rows(self) -> dict[int, RowInput]:
        """As RowsForm.rows; and where the figures were corrected while the score box still
        shows the stored score (no script ran), the score follows the figures."""
        found = super().rows()
        if not self.takes_figures:
            return found
        for cid, row in found.items():
            values, score = row.values, self.nodes[cid].score
            if f"figures_{cid}" not in self.fields or "appraised_figures" not in values:
                continue
            stored_figures = score.appraised_figures if score else ""
            stored_score = score.appraised_score if score else None
            if (values["appraised_figures"] or "") != stored_figures and values.get(
                "appraised_score"
            ) == stored_score:
                values.pop("appraised_score", None)
        return found


class ApplicabilityForm(forms.Form):
    """Sở Nội vụ marks a criterion applicable ("1") or not applicable ("0"), with a reason."""

    applicable = forms.TypedChoiceField(
        label="Áp dụng",
        choices=[("1", "Áp dụng"), ("0", "Không áp dụng")],
        coerce=lambda value: value == "1",
        error_messages={
            "required": "Chọn áp dụng hoặc không áp dụng.",
            "invalid_choice": "Lựa chọn không hợp lệ.",
        },
    )
    reason = forms.CharField(
        label="Lý do",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Phải ghi lý do.", "max_length": "Lý do dài quá 2000 ký tự."},
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Ý kiến khi trả lại",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Phải ghi ý kiến khi trả lại."},
    )


class LocalDateTimeField(forms.DateTimeField):
    """A date and hour typed as text "dd/mm/yyyy hh:mm" (24-hour clock), shown the same way:
    no browser date picker, whose format follows the browser's language (mm/dd/yyyy AM/PM)."""

    widget = forms.DateTimeInput(
        attrs={
            "placeholder": "dd/mm/yyyy hh:mm",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\s*\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}\s*",
            "title": "Ngày giờ dạng dd/mm/yyyy hh:mm, giờ 24 (ví dụ 31/03/2025 17:00).",
            "size": 16,
        },
        format=DATETIME_DISPLAY,
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATETIME_INPUT)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Ngày giờ không hợp lệ (ví dụ 31/03/2025 17:00)."
        self.error_messages["required"] = "Nhập ngày giờ."


class ExtendForm(forms.Form):
    stage = forms.ChoiceField(label="Bước", choices=Stage.choices, initial=Stage.SELF_ASSESSMENT)
    agency = forms.TypedChoiceField(label="Cơ quan", required=False, coerce=int, empty_value=None)
    criterion = forms.CharField(label="hoặc mã tiêu chí", required=False, max_length=30)
    until = LocalDateTimeField(label="Gia hạn đến")
    reason = forms.CharField(
        label="Lý do",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Phải ghi lý do gia hạn."},
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "— chọn cơ quan —")] + [(a.pk, a.name) for a in agencies]

    def clean(self):
        data = super().clean()
        if bool(data.get("agency")) == bool((data.get("criterion") or "").strip()):
            raise forms.ValidationError("Chọn một cơ quan, hoặc ghi mã một tiêu chí (không cả hai).")
        return data


class PhaseForm(forms.Form):
    DEADLINES = ("self_assessment_deadline", "explanation_deadline")

    phase = forms.ChoiceField(label="Giai đoạn", choices=Assessment.Phase.choices)
    self_assessment_deadline = LocalDateTimeField(label="Hạn tự đánh giá", required=False)
    explanation_deadline = LocalDateTimeField(label="Hạn giải trình", required=False)
    reason = forms.CharField(
        label="Lý do (bắt buộc khi chuyển ngược về giai đoạn trước)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Lý do dài quá 2000 ký tự."},
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Tài liệu kiểm chứng",
        error_messages={"required": "Chọn một tệp để tải lên.", "empty": "Tệp rỗng."},
    )
