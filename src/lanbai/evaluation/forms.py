"""Forms of the evaluation management pages (省创新办: organisations, members, assignments; conflicts)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OrganisationForm(forms.Form):
    """Blank fields pass the form: the service checks every field at once and names each problem."""

    name = forms.CharField(label=_("评估机构名称"), max_length=200, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=200, required=False)


class MemberForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名（新建账号时填写）"), max_length=150, required=False)
    password = forms.CharField(
        label=_("初始密码（新建账号时填写）"), required=False, widget=forms.PasswordInput(render_value=False)
    )


class AssignForm(forms.Form):
    year = forms.IntegerField(label=_("评估年度"))
    units = forms.MultipleChoiceField(label=_("评估单位"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = units


class ConflictForm(forms.Form):
    unit = forms.ChoiceField(label=_("存在利益冲突的单位"))
    nature = forms.CharField(label=_("利益冲突情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = units
