"""allauth's staff forms with our labels, so the staff pages read the same in bokmål, nynorsk
and English (allauth has no nynorsk catalogue)."""

from allauth.account.forms import LoginForm, ReauthenticateForm
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.utils.translation import gettext_lazy as _


def _no_placeholders(form) -> None:
    # allauth repeats the label as a placeholder (untranslated in nynorsk); the label is enough.
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class StaffLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["password"].label = _("Password")
        # Staff ask municipal IT for a new password; there is no self-service reset link.
        self.fields["password"].help_text = ""
        self.fields.pop("remember", None)
        _no_placeholders(self)


class StaffReauthenticateForm(ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["password"].help_text = ""
        _no_placeholders(self)


class OneTimeCodeForm(AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("One-time code")
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
        _no_placeholders(self)


class ActivateOneTimeCodeForm(ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from the app")
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})
        _no_placeholders(self)
