"""The criterion's scoring rule in the admin: one text field in the notation of the
"Cách tính điểm" column (docs/scoring-rules.md), read by the notation parser."""

from django import forms
from django.core.exceptions import ValidationError

from .models import Criterion, Score
from .scoring.rule_notation import parse_notation
from .scoring.rules import RuleError
from .services.errors import DomainError
from .services.figures import SIDES, reconcile
from .services.scores import ALL_FIELDS

RULE_HELP = (
    "Để trống: nhập điểm trực tiếp. Các dạng: “tỷ lệ”, “phần trăm”, “affine 0,5”, “có trọng số”, "
    "“ngưỡng 95:1; 80:0,5; 0:0”, “trừ 0,25/mục, tối thiểu 0”, “tối đa 2” (nhóm điểm thưởng, điểm trừ); "
    "tên số liệu trong ngoặc vuông ở cuối, tử số / mẫu số: "
    "“tỷ lệ [số nhiệm vụ hoàn thành / tổng số nhiệm vụ]”."
)


class CriterionRuleForm(forms.ModelForm):
    """The admin form of a criterion, its rule typed in the notation and checked against its max."""

    scoring_rule = forms.CharField(
        label="Cách tính điểm", required=False, max_length=400, help_text=RULE_HELP
    )

    class Meta:
        model = Criterion
        fields = [
            "framework",
            "parent",
            "code",
            "name",
            "max_score",
            "method",
            "section",
            "guidance",
            "agencies",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("scoring_rule", self.instance.rule_notation)

    def clean(self):
        cleaned = super().clean()
        try:
            rule = parse_notation(cleaned.get("scoring_rule"))
            maximum = cleaned.get("max_score")
            if maximum is not None:
                rule.check(maximum)
        except RuleError as exc:
            self.add_error("scoring_rule", ValidationError(exc.message[:1].upper() + exc.message[1:] + "."))
            return cleaned
        self.instance.scoring_rule_object = rule
        return cleaned

    def save(self, commit=True):
        rule = getattr(self.instance, "scoring_rule_object", None)
        if rule is not None:
            rule.apply_to(self.instance)
        return super().save(commit=commit)


class ScoreFiguresForm(forms.ModelForm):
    """The admin form of a score row: declared figures give the score, as on the entry pages
    (services.figures.reconcile); an appraised score that differs needs a reason."""

    class Meta:
        model = Score
        fields = ["assessment", "criterion", *ALL_FIELDS]

    def clean(self):
        cleaned = super().clean()
        # An existing row's criterion is shown read-only (not posted): take the row's own.
        criterion = cleaned.get("criterion") or (self.instance.criterion if self.instance.pk else None)
        if criterion is None:
            return cleaned
        stored = self.instance if self.instance.pk else None  # still as saved: checked before
        for side in SIDES:
            names = [n for n in (side.figures, side.score, side.reason) if n and n in self.fields]
            values = {name: cleaned.get(name) for name in names}
            try:
                reconcile(criterion, stored, values, sides=[side])
            except DomainError as exc:
                self.add_error(side.figures if side.figures in self.fields else None, exc.message)
                continue
            cleaned.update(values)
        return cleaned
