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
    """Zones / parks and / or plan measures: the service asks for at least one of the two."""

    year = forms.IntegerField(label=_("评估年度"))
    units = forms.MultipleChoiceField(label=_("评估单位"), widget=forms.CheckboxSelectMultiple, required=False)
    measures = forms.MultipleChoiceField(
        label=_("评估举措"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, units: list[tuple[str, str]], measures: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in (("units", units), ("measures", measures)):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = choices


RESPONSIBLE_PREFIX = "ru:"  # a responsible unit's choice value (the organisation units' are their codes)


class ConflictForm(forms.Form):
    """A conflict with an organisation unit (a zone, a park) or with a measure's lead unit."""

    unit = forms.ChoiceField(label=_("存在利益冲突的单位"))
    nature = forms.CharField(label=_("利益冲突情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args, units: list[tuple[str, str]], responsible: list[tuple[str, str]] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (_("园区与区域"), units),
            (_("举措牵头单位"), [(RESPONSIBLE_PREFIX + code, name) for code, name in responsible or []]),
        ]

    def party(self) -> dict[str, str]:
        """The service's keyword for the chosen party: ``unit_code`` or ``responsible_code``."""
        value = self.cleaned_data["unit"]
        if value.startswith(RESPONSIBLE_PREFIX):
            return {"responsible_code": value.removeprefix(RESPONSIBLE_PREFIX)}
        return {"unit_code": value}


class RetireForm(forms.Form):
    """The service requires the reason (and says so under this field)."""

    reason = forms.CharField(label=_("撤销理由"), max_length=500, required=False)
