from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class NoticePreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("E-mail"), required=False)
    sms = forms.BooleanField(label=_("SMS"), required=False)
    language = forms.ChoiceField(label=_("Language for letters and notices"), choices=User.Language.choices,
                                 widget=forms.RadioSelect)
