from django import forms
from django.utils.translation import gettext_lazy as _


class OfferAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), widget=forms.RadioSelect,
        choices=[("accept", _("I accept the place")), ("decline", _("I decline the place"))],
        error_messages={"required": _("Choose whether you accept or decline the place.")},
    )
    keep_on_waiting_list = forms.BooleanField(
        label=_("Keep me on the waiting list for a higher wish"), required=False,
        help_text=_("You keep this place until you are offered a place you wished for more."),
    )

    def __init__(self, *args, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offer is None or offer.wish_rank <= 1:
            del self.fields["keep_on_waiting_list"]
