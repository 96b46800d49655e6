"""A province's frameworks in the browser: the list, one framework's criteria (edited by Sở
Nội vụ until the first assessment on it opens) and the copy of last year's to a new year.
Scope from permissions.scope_framework(s); writes through services.frameworks."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect, render

from .. import permissions
from ..decimals import format_score
from ..fields import ScoreFormField
from ..models import Framework, ScoringMethod, Section
from ..services import frameworks as framework_service
from ..services.errors import DomainError
from .common import protected

EXTRA_ROWS = 3


class CriterionRowForm(forms.Form):
    code = forms.CharField(label="Mã", max_length=30, required=False)
    name = forms.CharField(label="Tên", required=False, widget=forms.Textarea(attrs={"rows": 1}))
    max_score = ScoreFormField(label="Điểm chuẩn", required=False)
    method = forms.ChoiceField(
        label="Cách chấm", choices=[("", "(theo tiêu chí cha)"), *ScoringMethod.choices], required=False
    )
    section = forms.ChoiceField(
        label="Phần", choices=[("", "(theo lĩnh vực)"), *Section.choices], required=False
    )
    rule = forms.CharField(label="Cách tính điểm", max_length=300, required=False)
    guidance = forms.CharField(
        label="Hướng dẫn chấm điểm", required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    may_not_apply = forms.BooleanField(label="Có thể không áp dụng", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("code") or cleaned.get("name"):
            if not cleaned.get("code"):
                self.add_error("code", "Cần mã tiêu chí (dạng 1, 1.3 hoặc 1.3.2).")
            if not cleaned.get("name"):
                self.add_error("name", "Cần tên tiêu chí.")
            if cleaned.get("max_score") is None and "max_score" not in self.errors:
                self.add_error("max_score", "Cần điểm chuẩn.")
        return cleaned


CriterionFormSet = forms.formset_factory(CriterionRowForm, extra=EXTRA_ROWS, can_delete=True)


class CopyForm(forms.Form):
    year = forms.IntegerField(label="Sang năm", min_value=2000, max_value=2100)
    name = forms.CharField(label="Tên bộ tiêu chí mới", max_length=300, required=False)


def _drafts(formset) -> list[framework_service.CriterionDraft]:
    drafts = []
    for number, form in enumerate(formset.forms, start=1):
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("code"):
            continue
        drafts.append(
            framework_service.CriterionDraft(
                code=data["code"].strip().rstrip("."),
                name=data["name"].strip(),
                max_score=data["max_score"],
                method=data["method"],
                section=data["section"] if data["code"].count(".") == 0 else "",
                guidance=data["guidance"].strip(),
                rule=data["rule"].strip(),
                may_not_apply=data["may_not_apply"],
                row=number,
            )
        )
    return drafts


def _initial(framework: Framework) -> list[dict]:
    return [
        {
            "code": d.code,
            "name": d.name,
            "max_score": d.max_score,
            "method": d.method,
            "section": d.section if d.code.count(".") == 0 else "",
            "rule": d.rule,
            "guidance": d.guidance,
            "may_not_apply": d.may_not_apply,
        }
        for d in framework_service.drafts_of(framework)
    ]


@protected("GET")
def framework_list(request):
    frameworks, can_write = permissions.scope_frameworks(request.user)
    opened = framework_service.opened_assessments_of(OuterRef("pk"))
    rows = (
        frameworks.select_related("owner")
        .annotate(criteria_count=Count("criteria", distinct=True), frozen=Exists(opened))
        .order_by("owner__name", "-year", "subject_kind")
    )
    return render(
        request,
        "assessments/frameworks.html",
        {"frameworks": rows, "can_write": can_write, "copy_form": CopyForm()},
    )


@protected("GET", "POST")
def framework_detail(request, pk):
    framework, can_write = permissions.scope_framework(request.user, pk)
    frozen = framework_service.frozen_reason(framework)
    problems = []
    if request.method == "POST":
        permissions.require_write(can_write, "Chỉ Sở Nội vụ sửa được bộ tiêu chí.")
        if frozen:
            permissions.require_write(False, frozen)
        formset = CriterionFormSet(request.POST)
        if formset.is_valid():
            try:
                outcome = framework_service.save_tree(
                    user=request.user, framework=framework, drafts=_drafts(formset)
                )
            except DomainError as exc:
                permissions.require_write(False, exc.message)
            if outcome.ok:
                changed = sum(1 for c in outcome.changes if c.status != "unchanged") + len(
                    [a for a in outcome.actions if a.startswith("Xóa")]
                )
                messages.success(request, f"Đã lưu bộ tiêu chí: {changed} tiêu chí thêm, sửa hoặc xóa.")
                return redirect("assessments:framework_detail", pk=framework.pk)
            problems = [str(p) for p in outcome.errors]
    else:
        formset = CriterionFormSet(initial=_initial(framework) if can_write and not frozen else [])
    criteria = []
    if not (can_write and not frozen):
        criteria = list(framework.criteria.order_by("sort_key"))
        for criterion in criteria:
            criterion.max_text = format_score(criterion.max_score)
    context = {
        "criteria": criteria,
        "framework": framework,
        "formset": formset,
        "editable": can_write and not frozen,
        "can_write": can_write,
        "frozen": frozen,
        "problems": problems,
        "grades": [(b.label, format_score(b.min_index)) for b in framework.grade_bands.all()],
        "copy_form": CopyForm(initial={"year": framework.year + 1}),
    }
    status = 400 if problems or (request.method == "POST" and not formset.is_valid()) else 200
    return render(request, "assessments/framework.html", context, status=status)


@protected("POST")
def framework_copy(request, pk):
    framework, can_write = permissions.scope_framework(request.user, pk)
    permissions.require_write(can_write, "Chỉ Sở Nội vụ sao chép được bộ tiêu chí.")
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Năm sao chép không hợp lệ: " + " ".join(form.errors.get("year", [])))
        return redirect("assessments:framework_detail", pk=framework.pk)
    try:
        copy = framework_service.copy_to_year(
            user=request.user,
            source=framework,
            year=form.cleaned_data["year"],
            name=form.cleaned_data["name"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("assessments:framework_detail", pk=framework.pk)
    messages.success(
        request, f"Đã sao chép sang năm {copy.year}: hãy sửa bộ tiêu chí trước khi mở đợt đánh giá."
    )
    return redirect("assessments:framework_detail", pk=copy.pk)
