"""Django forms of the collection pages; the zone entry form is generated from the FormSpec."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from lanbai.common.periods import QuarterFormField
from lanbai.core.collection import FormSpec
from lanbai.plans import selectors as plan_selectors

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import OrgUnit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    # the form metaclass moves declared fields into base_fields, so BaseForm.files (the uploads) is intact
    files = MultipleFileField(label=_("填好的报表文件（.xlsx，可多选）"))  # type: ignore[assignment]
    dry_run = forms.BooleanField(label=_("仅校验，不保存（试运行）"), required=False)


def _form_choices():
    from .intake.parsing import forms as all_forms

    return [(f.code, f"{f.code} {f.name}") for f in all_forms().values()]


class TemplateForm(forms.Form):
    form_code = forms.ChoiceField(label=_("报表"), choices=_form_choices)
    period = QuarterFormField(label=_("报告期（如 2018Q2）"))
    unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(label=_("填报单位"), queryset=None, to_field_name="code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the zones of the plan in force, read when the form is made (not when the module is imported)
        self.fields["unit"].queryset = plan_selectors.zone_list(plan=plan_selectors.plan_current())


class PeriodForm(forms.Form):
    period = QuarterFormField(label=_("报告期（如 2018Q2）"))
    form_code = forms.ChoiceField(label=_("报表"), choices=_form_choices)


class ZoneEntryForm(forms.Form):
    """One field per FormSpec field, as text: the engine (not Django) parses and validates the values."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, spec: FormSpec, **kwargs):
        super().__init__(*args, **kwargs)
        for f in spec.fields:
            label = f"{f.label}（{f.unit}）" if f.unit else f.label
            self.fields[f.code] = forms.CharField(
                label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
            )


class ReportEntryForm(forms.Form):
    """Any form's web entry, generated from the FormSpec: category fields are drop-downs, bool fields
    是/否, the rest text; the engine (not Django) parses and validates the values.  ``fixed`` fields
    (the enterprise's credit code and name) are shown read-only and never taken from the request."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, spec: FormSpec, fixed: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        fixed = fixed or {}
        for f in spec.fields:
            label = f"{f.label}（{f.unit}）" if f.unit else f.label
            if f.type == "category":
                choices = [("", "—")] + [(c.code, c.label) for c in f.choices]
                field: forms.Field = forms.ChoiceField(label=label, required=False, choices=choices)
            elif f.type == "bool":
                stored = self.initial.get(f.code)
                self.initial[f.code] = {"1": "是", "0": "否", True: "是", False: "否"}.get(stored, stored)
                field = forms.ChoiceField(
                    label=label, required=False, choices=[("", "—"), ("是", "是"), ("否", "否")]
                )
            else:
                attrs = {"inputmode": "decimal"} if f.nature else {}
                field = forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))
            if f.code in fixed:
                field.disabled = True
            self.fields[f.code] = field


class LateRequestForm(forms.Form):
    """申请逾期填报: the unit (its code), the locked period and why it is late."""

    unit = forms.CharField(label=_("填报单位（代码或名称）"), max_length=200)
    period = QuarterFormField(label=_("报告期（如 2018Q2）"))
    form_code = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}))


class LateGrantForm(forms.Form):
    """准予逾期填报: how many days the permission runs."""

    days = forms.IntegerField(label=_("许可天数"), min_value=1, max_value=365, initial=14)
    reason = forms.CharField(label=_("批准意见"), required=False, max_length=500)
