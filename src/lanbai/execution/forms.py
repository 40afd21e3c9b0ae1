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


class FeedbackForm(forms.Form):
    """The public's message on a measure; ``website`` is a honeypot hidden from people."""

    measure = forms.ChoiceField(label=_("举措"))
    name = forms.CharField(label=_("姓名（选填）"), max_length=60, required=False)
    contact = forms.CharField(label=_("联系方式（选填）"), max_length=100, required=False)
    message = forms.CharField(label=_("留言"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    website = forms.CharField(label=_("请勿填写此项"), required=False)

    def __init__(self, *args, measures: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = measures


class ReleaseForm(forms.Form):
    period = QuarterFormField(label=_("报告期（半年：第二或第四季度）"))
