from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils.translation import gettext_lazy as _

from . import idporten


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by municipal IT, never by sign-up."""

    # In our words and catalogues (allauth has no nynorsk).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("Wrong e-mail address or password."),
        "account_inactive": _("This account is closed. Contact municipal IT."),
        "too_many_login_attempts": _("Too many failed attempts. Wait 15 minutes and try again."),
        "incorrect_password": _("Wrong password."),
    }

    def is_open_for_signup(self, request):
        return False


class IDPortenSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Citizens from ID-porten. The rules allauth lacks (nonce, acr, pid, logout) are in
    accounts/idporten.py; these hooks wire them in."""

    def get_provider(self, request, provider, client_id=None):
        return idporten.get_provider(request, super().get_provider(request, provider, client_id))

    def pre_social_login(self, request, sociallogin):
        # We log the citizen in ourselves (matched by pid) and answer from here, so allauth
        # never creates a SocialAccount or a user from the token's claims.
        raise ImmediateHttpResponse(idporten.complete_citizen_login(request, sociallogin))

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        # A bad token (signature, issuer, audience, expiry), a lost state or a cancel: our page.
        raise ImmediateHttpResponse(idporten.on_authentication_error(request, error=error))

    def is_open_for_signup(self, request, sociallogin):
        return False


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("Wrong code. Use the code the app shows now; it changes every 30 seconds."),
    }
