from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by municipal IT, never by sign-up."""

    def is_open_for_signup(self, request):
        return False


class IDPortenSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Citizens from ID-porten. Completed in accounts/idporten.py: acr check, pid matching."""
