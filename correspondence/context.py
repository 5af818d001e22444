"""Values for every template (core.context): the header's unread count."""

from core.context import template_values

from .selectors import inbox_unread_count_for_request


@template_values
def inbox(request):
    """`inbox_unread` for the header's Inbox link: unread letters and messages of the party the
    citizen acts for. Two COUNT queries, only for logged-in citizens."""
    user = getattr(request, "user", None)
    party = getattr(request, "party", None)
    if user is None or not user.is_authenticated or not user.is_citizen or party is None:
        return {}
    return {"inbox_unread": inbox_unread_count_for_request(request)}
