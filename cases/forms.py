"""Forms for the citizen's answers and the caseworker's actions. They parse input only; the
rules are in cases.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.uploads import MultipleFileField

from .models import Decision


class InformationAnswerForm(forms.Form):
    files = MultipleFileField(label=_("Upload documents"), required=False,
                              help_text=_("PDF, PNG or JPEG, at most 10 MB each. You can choose several files."))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}))


class AppealForm(forms.Form):
    text = forms.CharField(label=_("Why do you appeal the decision?"), max_length=8000,
                           help_text=_("Say what you want changed in the decision, and why."),
                           widget=forms.Textarea(attrs={"class": "ds-input", "rows": 6}))


# --- The caseworker's actions (admin) --------------------------------------------------------

class VersionForm(forms.Form):
    """Every action carries the version of the case the caseworker saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignForm(VersionForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False,
                                      empty_label=_("Nobody (unassigned)"))

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            self.fields["assignee"].queryset = colleagues


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)


class RequestInformationForm(VersionForm):
    text = forms.CharField(label=_("What do you need from the applicant?"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=8000)
    documents_requested = forms.CharField(label=_("Documents to upload"), required=False, max_length=2000,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due <= timezone.localdate():
            raise forms.ValidationError(_("The answer date must be after today."))
        return due


class DecideForm(VersionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)


class TransitionForm(VersionForm):
    internal_text = forms.CharField(label=_("Internal comment"), required=False, max_length=4000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
