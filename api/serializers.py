"""What the API returns and accepts. Numbers are decimal-point strings ("88.0115"): scores keep
4 decimals, never floats. Figures come from assessments.scoring; nothing is added up here."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.decimals import NotANumber, parse_decimal, to_plain
from assessments.models import Assessment, Criterion, Framework, GradeBand, PublishedResult, Subject

# --- numbers ---------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "88.0115"})
class PlainDecimal(serializers.Field):
    """A computed Decimal as a decimal-point string, null when absent (read only)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return to_plain(value)


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^\d{1,4}([.,]\d{1,4})?$",
        "example": "0.9388",
        "description": "Điểm, tối đa 4 chữ số thập phân; dấu chấm hoặc dấu phẩy thập phân; null để xóa.",
    }
)
class ScoreInput(serializers.Field):
    """A score typed by a person or a system: "0.9388", "0,9388" or null (blank)."""

    default_error_messages = {
        "invalid": "'{value}' không phải là điểm hợp lệ (số không âm, tối đa 4 chữ số thập phân).",
        "not_text": 'điểm phải gửi dạng chuỗi, ví dụ "0.9388" (không gửi {value} dạng số JSON).',
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):  # a JSON number would pass through a float: send text
            self.fail("not_text", value=data)
        try:
            value = parse_decimal(data)
        except NotANumber:
            self.fail("invalid", value=data)
        if value is not None and (value < 0 or value >= Decimal(10000)):
            self.fail("invalid", value=data)
        return value

    def to_representation(self, value):
        return to_plain(value)


# --- reference data ------------------------------------------------------------------------


class SubjectSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    predecessors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Subject
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "code",
            "region",
            "parent",
            "valid_from",
            "valid_until",
            "predecessors",
        ]


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    frameworks = serializers.IntegerField(help_text="Số bộ tiêu chí của năm")
    assessments = serializers.IntegerField(help_text="Số đợt đánh giá của năm bạn được xem")


class GradeBandSerializer(serializers.ModelSerializer):
    min_index = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = GradeBand
        fields = ["label", "min_index"]


class FrameworkSerializer(serializers.ModelSerializer):
    grade_bands = GradeBandSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = ["id", "year", "subject_kind", "owner", "name", "legal_basis", "grade_bands"]


class CriterionSerializer(serializers.ModelSerializer):
    max_score = serializers.DecimalField(max_digits=8, decimal_places=4, read_only=True)

    class Meta:
        model = Criterion
        fields = ["id", "code", "name", "level", "parent", "max_score", "method", "guidance"]


# --- results -------------------------------------------------------------------------------


class RankSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    ranked_count = serializers.IntegerField(allow_null=True)


class PartSerializer(serializers.Serializer):
    score = PlainDecimal()
    max = PlainDecimal()
    index = PlainDecimal()


class FieldResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max = PlainDecimal()
    self_score = PlainDecimal()
    appraised = PlainDecimal()
    index = PlainDecimal()
    rank = serializers.IntegerField(allow_null=True, help_text="Thứ hạng tính từ điểm, trong khối")
    ranked_count = serializers.IntegerField(allow_null=True)


class PublishedSerializer(serializers.ModelSerializer):
    index = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text="null: chỉ công bố thứ hạng",
    )
    score = serializers.DecimalField(max_digits=8, decimal_places=4, read_only=True, allow_null=True)

    class Meta:
        model = PublishedResult
        fields = [
            "id",
            "subject",
            "year",
            "field_code",
            "field_name",
            "score",
            "index",
            "rank",
            "ranked_count",
            "source",
        ]


class ResultSerializer(serializers.Serializer):
    """An assessment's figures, computed from its scores (scoring)."""

    max = PlainDecimal()
    self_score = PlainDecimal()
    appraised = PlainDecimal()
    index = PlainDecimal()
    grade = serializers.CharField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="Thứ hạng tính từ điểm, trong khối")
    ranked_count = serializers.IntegerField(allow_null=True)
    parts = serializers.DictField(child=PartSerializer())
    fields = FieldResultSerializer(many=True)
    published = PublishedSerializer(many=True, help_text="Kết quả công bố của năm (tổng và lĩnh vực)")


class AssessmentSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="framework.year", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "subject",
            "subject_name",
            "year",
            "framework",
            "phase",
            "phase_label",
            "is_locked",
            "self_assessment_deadline",
            "explanation_deadline",
            "results",
        ]

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_results(self, assessment):
        """null for a department editor, who sees only its own criteria."""
        results = self.context.get("results", {})
        data = results.get(assessment.pk)
        return ResultSerializer(data).data if data is not None else None


# --- scores --------------------------------------------------------------------------------


class ScoreSerializer(serializers.Serializer):
    """One leaf criterion of an assessment with what was entered for it (version 0: nothing yet)."""

    criterion = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    method = serializers.CharField()
    max_score = PlainDecimal()
    applicable = serializers.BooleanField()
    self_figures = serializers.CharField(
        help_text="Số liệu cơ quan khai (“40/41”, “98,49%”, “3”), dạng chuẩn; điểm tự đánh giá tính từ đây"
    )
    self_score = PlainDecimal()
    explanation = serializers.CharField()
    appraised_figures = serializers.CharField(help_text="Số liệu theo kết quả thẩm định, dạng chuẩn")
    appraised_score = PlainDecimal()
    appraised_override_reason = serializers.CharField(
        help_text="Lý do giữ điểm thẩm định khác điểm tính từ số liệu thẩm định"
    )
    appraisal_comment = serializers.CharField()
    response = serializers.CharField()
    rechecked_score = PlainDecimal()
    recheck_comment = serializers.CharField()
    final_score = PlainDecimal(help_text="Điểm thẩm định có hiệu lực (điểm phúc tra nếu có)")
    responsible_agencies = serializers.ListField(child=serializers.IntegerField())
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField(allow_null=True)


class ScoreWriteSerializer(serializers.Serializer):
    """A department's self-assessment row: the version it was read at, and the values to write."""

    version = serializers.IntegerField(
        min_value=0, max_value=2_147_483_647, help_text="Phiên bản đọc được (0 nếu chưa có điểm)"
    )
    self_figures = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=(
            "Số liệu khai cho tiêu chí có cách tính điểm: a/b (40/41), phần trăm (98,49%) hoặc số mục (3); "
            "điểm tự đánh giá tính từ số liệu (gửi kèm self_score thì phải đúng điểm đó); chuỗi rỗng để xóa."
        ),
    )
    self_score = ScoreInput(required=False)
    explanation = serializers.CharField(
        required=False, allow_blank=True, max_length=10000, trim_whitespace=False
    )
    response = serializers.CharField(
        required=False, allow_blank=True, max_length=10000, trim_whitespace=False
    )
    agency = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2_147_483_647,
        help_text="Cơ quan trả lời (mặc định: cơ quan của tài khoản, hoặc cơ quan chủ trì tiêu chí)",
    )

    def validate(self, attrs):
        if not set(attrs) - {"version", "agency"}:
            raise serializers.ValidationError(
                "Không có gì để lưu: gửi ít nhất một trong self_figures, self_score, explanation, response."
            )
        return attrs


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField()
    current = ScoreSerializer(help_text="Giá trị mới hơn đã lưu")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


# --- trends --------------------------------------------------------------------------------


class TrendFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    index = PlainDecimal()
    rank = serializers.IntegerField(allow_null=True)
    ranked_count = serializers.IntegerField(allow_null=True)


class TrendYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    subject = serializers.IntegerField(source="subject.pk")
    subject_name = serializers.CharField(source="subject.name")
    is_predecessor = serializers.BooleanField()
    source = serializers.ChoiceField(choices=["published", "computed"])
    total = TrendFigureSerializer(source="shown.total")
    fields = serializers.SerializerMethodField(method_name="field_figures")
    computed_index = serializers.SerializerMethodField()

    @extend_schema_field(TrendFigureSerializer(many=True))
    def field_figures(self, row):
        return TrendFigureSerializer(list(row.shown.fields.values()), many=True).data

    @extend_schema_field({"type": "string", "format": "decimal", "nullable": True})
    def get_computed_index(self, row) -> str | None:
        """The index computed from the scores, where published figures are shown beside it."""
        return to_plain(row.computed.total.index) if row.computed is not None else None


class CriterionChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max = PlainDecimal()
    previous_max = PlainDecimal()
    score = PlainDecimal()
    previous_score = PlainDecimal()
    change = PlainDecimal()
    remark = serializers.CharField()
    previous_remark = serializers.CharField()


class DifferenceSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class CriteriaComparisonSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    previous_year = serializers.IntegerField()
    comparable = serializers.BooleanField()
    gained = CriterionChangeSerializer(many=True)
    lost = CriterionChangeSerializer(many=True)
    unchanged_count = serializers.IntegerField()
    differences = DifferenceSerializer(many=True)


class TrendSerializer(serializers.Serializer):
    subject = serializers.IntegerField(source="subject.pk")
    predecessors = serializers.SerializerMethodField()
    years = TrendYearSerializer(many=True, source="rows")
    criteria = CriteriaComparisonSerializer(allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_predecessors(self, trend):
        return [s.pk for s in trend.predecessors]
