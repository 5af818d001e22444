"""Min Side home: how the citizen is notified, with a link to change it."""

from __future__ import annotations

from core.dashboard import section

from .selectors import notice_preference_for


@section(order=90)
def notice_settings_section(request):
    party = getattr(request, "party", None)
    if not request.user.is_citizen or (party is not None and party.is_organisation):
        return None
    preference = notice_preference_for(user=request.user)  # one query
    return "notifications/dashboard.html", {"preference": preference,
                                            "language": request.user.get_preferred_language_display()}
