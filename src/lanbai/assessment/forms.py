from django import forms
from django.utils.translation import gettext_lazy as _


class ComputeForm(forms.Form):
    year = forms.IntegerField(label=_("考核年度"), min_value=2015, max_value=2030)
    rescore = forms.BooleanField(label=_("按现行评分办法重新评分"), required=False)
