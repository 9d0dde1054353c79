"""Forms of the HR pages (filters of the dashboard, decisions on external records)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.reports import compliance
from training.models import Category, Department


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    department = forms.TypedChoiceField(label=_("部门"), coerce=int, required=False, empty_value=None)
    category = forms.ChoiceField(label=_("人员类别"), required=False)
    pace = forms.ChoiceField(label=_("进度"), required=False)
    credential = forms.ChoiceField(label=_("执法证"), required=False)
    search = forms.CharField(label=_("姓名或工号"), max_length=64, required=False)
    ordering = forms.ChoiceField(label=_("排序"), required=False)

    ORDERING_LABELS = (
        ("department", _("部门")),
        ("staff_number", _("工号")),
        ("name", _("姓名")),
        ("-hours", _("学时从高到低")),
        ("hours", _("学时从低到高")),
        ("expiry", _("执法证到期日")),
    )

    def __init__(self, *args, departments: list[Department], **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("全部"))]
        cast(forms.ChoiceField, self.fields["department"]).choices = everyone + [
            (d.pk, "\u3000" * max(d.path.count("/") - 2, 0) + d.name) for d in departments
        ]
        cast(forms.ChoiceField, self.fields["category"]).choices = everyone + list(Category.choices)
        cast(forms.ChoiceField, self.fields["pace"]).choices = everyone + list(compliance.PACE_CHOICES)
        cast(forms.ChoiceField, self.fields["credential"]).choices = everyone + list(compliance.CREDENTIAL_CHOICES)
        cast(forms.ChoiceField, self.fields["ordering"]).choices = list(self.ORDERING_LABELS)

    def filter(self) -> tuple[int | None, compliance.ComplianceFilter]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # the fields that are valid; a bad one is left out
        return data.get("department"), compliance.ComplianceFilter(
            year=data.get("year") or timezone.localdate().year,
            category=data.get("category") or "",
            pace=data.get("pace") or "",
            credential=data.get("credential") or "",
            search=data.get("search") or "",
            ordering=data.get("ordering") or "department",
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=(("approve", pgettext_lazy("decision", "通过")), ("reject", _("驳回"))), label=_("审核")
    )
    reason = forms.CharField(label=_("理由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("驳回时必须填写理由。"))
        return data
