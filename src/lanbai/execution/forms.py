"""The progress report form (web)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lanbai.common.periods import QuarterFormField

from .choices import Progress


class ReportForm(forms.Form):
    unit = forms.ChoiceField(label=_("责任单位"))
    period = QuarterFormField(label=_("报告期（半年：第二或第四季度）"))
    status = forms.ChoiceField(label=_("进展状态"), choices=Progress.choices)
    pct = forms.DecimalField(label=_("完成比例（%）"), required=False, min_value=0, max_value=100)
    narrative = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    late_reason = forms.CharField(label=_("滞后原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label=_("佐证材料"), required=False)
    submit = forms.BooleanField(label=_("保存后报送省创新办"), required=False)

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = units


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}))
