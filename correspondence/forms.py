from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import MultipleFileField

from .services import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=MESSAGE_MAX_LENGTH)
    attachments = MultipleFileField(
        label=_("Attachments (optional)"), required=False,
        help_text=_("PDF, PNG or JPEG."),
    )
