"""Django admin for every model, in Vietnamese. The criteria tree is shown in code order,
indented by level, and searchable by code and name."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.html import format_html

from . import scoring
from .admin_forms import ScoreAdminForm
from .admin_rules import CriterionRuleForm
from .admin_scope import HistoryAdmin, OwnProvinceAdmin, ProvinceScopedAdmin, account_as_text
from .decimals import format_index, format_score
from .exchange.admin_mixins import AnnexExportMixin, ExchangeImportMixin
from .exchange.admin_units import UnitsImportMixin
from .exchange.resources import AnnexResource, FieldSummaryResource, NationalResultsResource
from .fields import ScoreFormField
from .models import (
    Agency,
    Assessment,
    Criterion,
    CriterionAgency,
    Framework,
    GradeBand,
    PublishedResult,
    Score,
    Subject,
)
from .services.errors import DomainError


@admin.register(Subject)
class SubjectAdmin(UnitsImportMixin, HistoryAdmin):
    """Units can be imported for a province from a sheet: upload, preview, confirm."""

    list_display = ["name", "code", "kind", "region", "valid_from", "valid_until"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code"]
    filter_horizontal = ["predecessors"]
    autocomplete_fields = ["parent"]


@admin.register(Agency)
class AgencyAdmin(OwnProvinceAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "province", "is_process_owner", "valid_from", "valid_until"]
    list_filter = ["is_process_owner", "province"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["province", "merged_into"]


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "subject_kind", "owner", "criteria_count"]
    list_filter = ["year", "subject_kind"]
    autocomplete_fields = ["owner"]
    search_fields = ["name"]
    inlines = [GradeBandInline]

    @admin.display(description="số tiêu chí")
    def criteria_count(self, obj):
        return obj.criteria.count()


class LeadPerProvinceFormSet(forms.BaseInlineFormSet):
    """At most one lead agency (cơ quan chủ trì) per province for a criterion."""

    def clean(self) -> None:
        super().clean()
        leads: dict[int, list[str]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("is_lead") or data.get("agency") is None:
                continue
            leads.setdefault(data["agency"].province_id, []).append(data["agency"].name)
        for names in leads.values():
            if len(names) > 1:
                raise forms.ValidationError(
                    "Mỗi tỉnh chỉ có một cơ quan chủ trì cho một tiêu chí; đang chọn: "
                    + ", ".join(names)
                    + "."
                )


class CriterionAgencyInline(admin.TabularInline):
    model = CriterionAgency
    formset = LeadPerProvinceFormSet
    autocomplete_fields = ["agency"]
    fields = ["agency", "is_lead"]
    extra = 1


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    form = CriterionRuleForm
    formfield_overrides = {models.DecimalField: {"form_class": ScoreFormField}}
    list_display = [
        "indented_code",
        "indented_name",
        "max_score_display",
        "method",
        "rule_display",
        "framework",
    ]
    list_display_links = ["indented_code"]
    list_filter = ["framework", "level", "method", "rule_kind"]
    readonly_fields = ["rule_description"]
    search_fields = ["code", "name"]
    ordering = ["framework", "sort_key"]
    list_select_related = ["framework"]
    autocomplete_fields = ["parent"]
    inlines = [CriterionAgencyInline]
    list_per_page = 200

    @admin.display(description="mã", ordering="sort_key")
    def indented_code(self, obj):
        return format_html(
            '<span style="padding-left:{}em;{}">{}</span>',
            (obj.level - 1) * 1.5,
            "font-weight:bold" if obj.level == 1 else "",
            obj.code,
        )

    @admin.display(description="tên")
    def indented_name(self, obj):
        return format_html(
            '<span style="padding-left:{}em;{}">{}</span>',
            (obj.level - 1) * 1.5,
            "font-weight:bold" if obj.level == 1 else "",
            obj.name,
        )

    @admin.display(description="điểm tối đa", ordering="max_score")
    def max_score_display(self, obj):
        return format_score(obj.max_score)

    @admin.display(description="cách tính điểm", ordering="rule_kind")
    def rule_display(self, obj):
        return obj.rule.to_notation(labels=False)

    @admin.display(description="diễn giải cách tính điểm")
    def rule_description(self, obj):
        return obj.rule_description if obj.pk else ""


SCORE_FIELD_OVERRIDES: dict[type[models.Field], dict[str, object]] = {
    models.DecimalField: {"form_class": ScoreFormField}
}


@admin.register(Assessment)
class AssessmentAdmin(ProvinceScopedAdmin, AnnexExportMixin, HistoryAdmin):
    """The assessment's page has an "Xuất phụ lục (Excel)" button (annex in the official layout)."""

    assessment_path = ""
    list_display = ["subject", "year_display", "phase", "is_locked", "index_display"]
    list_filter = ["phase", "is_locked", "framework__year"]
    search_fields = ["subject__name", "subject__code"]
    autocomplete_fields = ["subject"]
    list_select_related = ["subject", "framework"]
    # Lock and unlock are workflow actions with a written reason (progress page), not a tick here.
    readonly_fields = ["is_locked", "summary"]

    @admin.display(description="năm", ordering="framework__year")
    def year_display(self, obj):
        return obj.framework.year

    def get_changelist_instance(self, request):
        """Compute the listed page's indices together (a fixed number of queries), not one
        assessment at a time."""
        changelist = super().get_changelist_instance(request)
        results = scoring.compute_many(changelist.result_list)
        for assessment in changelist.result_list:
            assessment.computed = results[assessment.pk]
        return changelist

    @admin.display(description="chỉ số (%)")
    def index_display(self, obj):
        result = getattr(obj, "computed", None) or scoring.compute(obj)
        return format_index(result.index)

    @admin.display(description="tổng hợp")
    def summary(self, obj):
        if obj.pk is None:
            return "-"
        result = scoring.compute(obj)
        return format_html(
            "Điểm thẩm định {} / {} – Chỉ số {}%",
            format_score(result.appraised),
            format_score(result.applicable_max),
            format_index(result.index),
        )


@admin.register(Score)
class ScoreAdmin(ProvinceScopedAdmin, ExchangeImportMixin, HistoryAdmin):
    """Scores can be imported from the annex table: upload, preview, confirm (all or nothing).
    An edit here goes through services.scores.write_scores like every other write of a
    score: refused on a locked assessment or above the maximum, with a written reason."""

    resource_classes = [AnnexResource]
    form = ScoreAdminForm
    formfield_overrides = SCORE_FIELD_OVERRIDES
    list_display = [
        "criterion_code",
        "criterion",
        "assessment",
        "self_score",
        "appraised_score",
        "applicable",
    ]
    list_filter = ["assessment__framework__year", "assessment__subject", "applicable"]
    search_fields = ["criterion__code", "criterion__name", "appraisal_comment"]
    list_select_related = ["criterion", "assessment__subject", "assessment__framework"]
    autocomplete_fields = ["criterion", "assessment"]
    ordering = ["assessment", "criterion__sort_key"]
    readonly_fields = ["version", "updated_at", "updated_by_name"]
    updated_by_name = account_as_text(Score, "updated_by")

    @admin.display(description="mã", ordering="criterion__sort_key")
    def criterion_code(self, obj):
        return obj.criterion.code

    def get_readonly_fields(self, request, obj=None):
        fixed = ["assessment", "criterion"] if obj is not None else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        # An old version is written back by editing the score (with a reason), not by "revert".
        return True

    def save_model(self, request, obj, form, change):
        saved = form.write()
        if saved:
            obj.pk, obj.version = saved.pk, saved.version

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:  # refused under the lock (a race): nothing was written
            self.message_user(request, f"Không lưu: {error.message}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(PublishedResult)
class PublishedResultAdmin(ExchangeImportMixin, HistoryAdmin):
    """Published indices and ranks: the national results table or a subject's field summary."""

    resource_classes = [NationalResultsResource, FieldSummaryResource]
    list_display = ["subject", "year", "field_code", "field_name", "index", "rank", "ranked_count"]
    list_filter = ["year", "field_code"]
    search_fields = ["subject__name", "subject__code", "field_name"]
    autocomplete_fields = ["subject"]
