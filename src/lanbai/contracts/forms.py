"""The filing form (Chinese labels) and the small forms of the registrar's decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lanbai.common.periods import QuarterFormField

from .choices import ContractType, RefusalGround


class ContractForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    contract_type = forms.ChoiceField(label=_("合同类型"), choices=ContractType.choices)
    signed_on = forms.DateField(label=_("签订日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_until = forms.DateField(label=_("合同有效期至"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    seller_name = forms.CharField(label=_("卖方名称"), max_length=200)
    seller_credit_code = forms.CharField(label=_("卖方统一社会信用代码"), max_length=18)
    seller_region = forms.CharField(label=_("卖方行政区划代码"), max_length=6)
    seller_zone = forms.CharField(label=_("卖方所在园区（代码或名称）"))
    buyer_name = forms.CharField(label=_("买方名称"), max_length=200)
    buyer_credit_code = forms.CharField(label=_("买方统一社会信用代码"), max_length=18)
    buyer_region = forms.CharField(label=_("买方行政区划代码"), max_length=6)
    buyer_zone = forms.CharField(label=_("买方所在园区（区外可空）"), required=False)
    amount = forms.DecimalField(label=_("成交金额（万元）"), max_digits=14, decimal_places=2)
    equipment_cost = forms.DecimalField(label=_("设备、仪器费用（万元）"), required=False, max_digits=14,
                                        decimal_places=2)
    materials_cost = forms.DecimalField(label=_("零部件、原材料费用（万元）"), required=False, max_digits=14,
                                        decimal_places=2)
    other_non_tech_cost = forms.DecimalField(label=_("其他非技术性费用（万元）"), required=False, max_digits=14,
                                             decimal_places=2)
    supplement_of = forms.CharField(label=_("补充合同：原合同登记编号"), required=False)


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label=_("不予登记理由"), choices=RefusalGround.choices)
    reason = forms.CharField(label=_("说明"), required=False)


class PeriodForm(forms.Form):
    period = QuarterFormField(label=_("报告期"))
