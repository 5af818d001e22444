"""Min Side home: the newest letters and conversations, with the unread ones marked."""

from __future__ import annotations

from core.dashboard import section

from .selectors import InboxPage, inbox_unread_count_for_request

DASHBOARD_ITEMS = 3


@section(order=30)
def inbox_section(request):
    party = getattr(request, "party", None)
    if party is None or not request.user.is_citizen:
        return None
    # One UNION page and one query per kind: flat as letters grow.
    items = InboxPage(party=party)[:DASHBOARD_ITEMS]
    if not items:
        return None
    return "correspondence/dashboard.html", {"items": items, "unread": inbox_unread_count_for_request(request)}
