"""API v1 views: thin, scoped by assessments.permissions (404 outside the account's scope, 403
when read-only), figures from assessments.scoring, writes through assessments.services."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import permissions, scoring, services
from assessments.models import Assessment, ChangeSource, PublishedResult, SubjectKind
from assessments.scoring import trends
from assessments.services import ConflictError, RowInput

from . import serializers as s
from .figures import results_for
from .scores import agency_for, leaf_data, visible_leaves, writable_or_refuse

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Dữ liệu không hợp lệ (thông báo tiếng Việt)"),
    401: OpenApiResponse(s.ErrorSerializer, description="Chưa xác thực"),
    403: OpenApiResponse(s.ErrorSerializer, description="Chỉ có quyền xem"),
    404: OpenApiResponse(s.ErrorSerializer, description="Không tìm thấy hoặc ngoài phạm vi"),
    429: OpenApiResponse(s.ErrorSerializer, description="Quá nhiều yêu cầu"),
}


def responses(ok, *codes):
    return {200: ok, **{code: ERRORS[code] for code in (400, 401, 404, 429, *codes)}}


def read_filters(serializer_class, request) -> dict:
    """Query parameters checked like a body: a wrong one gets a 400 in Vietnamese."""
    checked = serializer_class(data=request.query_params)
    checked.is_valid(raise_exception=True)
    return {key: value for key, value in checked.validated_data.items() if value not in (None, "")}


CRITERION = OpenApiParameter("criterion", int, OpenApiParameter.PATH, description="Mã tiêu chí (id)")
ID = {"min_value": 1, "max_value": 2_147_483_647, "required": False}


class SubjectFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubjectKind.choices, required=False)


class AssessmentFilter(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)
    subject = serializers.IntegerField(**ID)
    phase = serializers.ChoiceField(choices=Assessment.Phase.choices, required=False)


class FrameworkFilter(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)


class PublishedFilter(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)
    subject = serializers.IntegerField(**ID)
    field_code = serializers.CharField(required=False, allow_blank=True, max_length=30)


class TrendFilter(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=1990, max_value=2100, required=False, help_text="Năm so sánh từng tiêu chí với năm trước"
    )


@extend_schema_view(
    list=extend_schema(
        summary="Đối tượng đánh giá (tỉnh, sở, xã) trong phạm vi",
        parameters=[SubjectFilter],
        responses=responses(s.SubjectSerializer(many=True)),
    ),
    retrieve=extend_schema(summary="Một đối tượng đánh giá", responses=responses(s.SubjectSerializer)),
)
class SubjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SubjectSerializer

    def get_queryset(self):
        subjects = permissions.visible_subjects(self.request.user).prefetch_related("predecessors")
        if self.action == "list":
            subjects = subjects.filter(**read_filters(SubjectFilter, self.request))
        return subjects.order_by("kind", "code", "name", "pk")

    @extend_schema(
        summary="Chỉ số, thứ hạng qua các năm và từng tiêu chí so với năm trước",
        parameters=[TrendFilter],
        responses=responses(s.TrendSerializer),
    )
    @action(detail=True)
    def trends(self, request, pk=None):
        filters = read_filters(TrendFilter, request)
        subject = permissions.scope_trends(request.user, _int(pk))
        trend = trends.subject_trend(subject, year=filters.get("year"))
        return Response(s.TrendSerializer(trend).data)


class YearsView(APIView):
    @extend_schema(summary="Các năm có bộ tiêu chí", responses=responses(s.YearSerializer(many=True)))
    def get(self, request):
        frameworks = permissions.visible_frameworks(request.user)
        counts = dict(
            permissions.visible_assessments(request.user)
            .order_by()
            .values_list("framework__year")
            .annotate(n=Count("pk"))
        )
        years = frameworks.order_by("-year").values("year").annotate(n=Count("pk"))
        rows = [
            {"year": y["year"], "frameworks": y["n"], "assessments": counts.get(y["year"], 0)} for y in years
        ]
        return Response(s.YearSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Bộ tiêu chí",
        parameters=[FrameworkFilter],
        responses=responses(s.FrameworkSerializer(many=True)),
    ),
    retrieve=extend_schema(summary="Một bộ tiêu chí", responses=responses(s.FrameworkSerializer)),
)
class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.FrameworkSerializer

    def get_queryset(self):
        frameworks = permissions.visible_frameworks(self.request.user).prefetch_related("grade_bands")
        if self.action == "list":
            frameworks = frameworks.filter(**read_filters(FrameworkFilter, self.request))
        return frameworks.order_by("-year", "subject_kind", "pk")

    @extend_schema(
        summary="Cây tiêu chí của bộ tiêu chí", responses=responses(s.CriterionSerializer(many=True))
    )
    @action(detail=True)
    def criteria(self, request, pk=None):
        framework = self.get_object()
        page = self.paginate_queryset(framework.criteria.order_by("sort_key"))
        return self.get_paginated_response(s.CriterionSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Đợt đánh giá, giai đoạn và kết quả tính từ điểm",
        parameters=[AssessmentFilter],
        responses=responses(s.AssessmentSerializer(many=True)),
    ),
    retrieve=extend_schema(summary="Một đợt đánh giá", responses=responses(s.AssessmentSerializer)),
)
class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AssessmentSerializer

    def get_queryset(self):
        assessments = permissions.visible_assessments(self.request.user).select_related(
            "subject__parent", "framework"
        )
        if self.action == "list":
            filters = read_filters(AssessmentFilter, self.request)
            if "year" in filters:
                filters["framework__year"] = filters.pop("year")
            if "subject" in filters:
                filters["subject_id"] = filters.pop("subject")
            assessments = assessments.filter(**filters)
        return assessments.order_by("-framework__year", "subject__name", "pk")

    def _context(self, assessments) -> dict:
        context = self.get_serializer_context()
        shown = [a for a in assessments if permissions.can_view_report(self.request.user, a)]
        context["results"] = results_for(shown)
        return context

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = s.AssessmentSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        assessment = permissions.scope_assessment(request.user, _int(kwargs["pk"]))
        return Response(s.AssessmentSerializer(assessment, context=self._context([assessment])).data)


@extend_schema(
    parameters=[
        OpenApiParameter("assessment_pk", int, OpenApiParameter.PATH, description="Mã đợt đánh giá"),
    ]
)
@extend_schema_view(
    list=extend_schema(
        summary="Các tiêu chí lá của đợt đánh giá với điểm đã nhập",
        responses=responses(s.ScoreSerializer(many=True)),
    ),
    retrieve=extend_schema(
        summary="Một tiêu chí với điểm đã nhập",
        parameters=[CRITERION],
        responses=responses(s.ScoreSerializer),
    ),
    partial_update=extend_schema(
        summary="Lưu điểm tự đánh giá, giải trình (tối ưu theo phiên bản)",
        parameters=[CRITERION],
        request=s.ScoreWriteSerializer,
        responses={
            **responses(s.ScoreSerializer, 403),
            409: OpenApiResponse(s.ConflictSerializer, description="Phiên bản cũ: người khác đã lưu"),
        },
    ),
)
class ScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ScoreSerializer
    http_method_names = ["get", "patch", "head", "options"]
    lookup_field = "criterion"
    lookup_value_regex = r"\d+"
    queryset = Assessment.objects.none()  # for the schema; rows come from the computed tree

    def _scope(self):
        assessment = permissions.scope_assessment(self.request.user, _int(self.kwargs["assessment_pk"]))
        result = scoring.compute(assessment)
        return assessment, result, visible_leaves(self.request.user, assessment, result)

    def list(self, request, *args, **kwargs):
        _assessment, _result, leaves = self._scope()
        page = self.paginate_queryset(leaves)
        return self.get_paginated_response(
            s.ScoreSerializer([leaf_data(node) for node in page], many=True).data
        )

    def _leaf(self, leaves):
        criterion_id = _int(self.kwargs["criterion"])
        node = next((n for n in leaves if n.criterion.pk == criterion_id), None)
        if node is None:
            raise Http404
        return node

    def retrieve(self, request, *args, **kwargs):
        _assessment, _result, leaves = self._scope()
        return Response(s.ScoreSerializer(leaf_data(self._leaf(leaves))).data)

    def partial_update(self, request, *args, **kwargs):
        assessment, result, leaves = self._scope()
        node = self._leaf(leaves)
        body = s.ScoreWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        agency = agency_for(request.user, node, data.pop("agency", None))
        assessment, agency, role_can_write = permissions.scope_agency_part(
            request.user, assessment.pk, agency.pk
        )
        permissions.require_write(role_can_write, "Tài khoản này chỉ có quyền xem, không sửa được điểm.")
        writable_or_refuse(assessment, result, agency, node)
        version = data.pop("version")
        try:
            services.save_part(
                user=request.user,
                assessment=assessment,
                agency=agency,
                rows={node.criterion.pk: RowInput(version, data)},
                source=ChangeSource.API,
            )
        except ConflictError as exc:
            current = exc.conflicts.get(node.criterion.pk)
            node.score = current
            message = (
                f"{node.code}: đã được người khác lưu (phiên bản {current.version if current else 0}) sau "
                f"phiên bản {version} bạn gửi; chưa lưu gì. Giá trị mới ở 'current': gửi lại với version mới "
                "nếu vẫn muốn ghi giá trị của bạn."
            )
            body = {"detail": message, "errors": {}, "current": s.ScoreSerializer(leaf_data(node)).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(s.ScoreSerializer(leaf_data(scoring.compute(assessment).by_code[node.code])).data)


@extend_schema_view(
    list=extend_schema(
        summary="Kết quả công bố (chỉ số, thứ hạng, số đơn vị xếp hạng)",
        parameters=[PublishedFilter],
        responses=responses(s.PublishedSerializer(many=True)),
    ),
    retrieve=extend_schema(summary="Một kết quả công bố", responses=responses(s.PublishedSerializer)),
)
class PublishedResultViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PublishedSerializer

    def get_queryset(self):
        rows = PublishedResult.objects.filter(subject__in=permissions.visible_subjects(self.request.user))
        if self.action == "list":
            filters = read_filters(PublishedFilter, self.request)
            if "subject" in filters:
                filters["subject_id"] = filters.pop("subject")
            rows = rows.filter(**filters)
        return rows.order_by("-year", "subject_id", "field_code", "pk")


def _int(value) -> int:
    """A path id (the URL pattern takes digits only); out of range is not found."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= 2_147_483_647:
        raise Http404
    return number
