"""The statistics page's choices: the period and (optionally) one of the viewer's departments."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department

# A longer period makes a table few people can read; managers compare years at most.
MAX_PERIOD_DAYS = 5 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False,
                                        empty_label=_("All my departments"))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start of the period must be on or before its end."), code="order")
            if (end - start) > datetime.timedelta(days=MAX_PERIOD_DAYS):
                raise forms.ValidationError(_("Choose a period of at most five years."), code="too_long")
        return cleaned
