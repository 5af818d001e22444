"""Min Side home: what the citizen must do in their cases (answer a request for information)."""

from __future__ import annotations

from core.dashboard import section

from .models import InformationRequest
from .selectors import cases_for_party


@section(order=10)
def case_tasks_section(request):
    party = getattr(request, "party", None)
    if party is None:
        return None
    # One query: open requests of the party's cases, with the case joined.
    tasks = list(
        InformationRequest.objects.filter(
            case__in=cases_for_party(user=party.person, organisation=party.organisation),
            status=InformationRequest.Status.OPEN,
        ).select_related("case").order_by("due_date")[:20]
    )
    if not tasks:
        return None
    return "cases/dashboard.html", {"tasks": tasks}
