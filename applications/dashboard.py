"""Min Side home: applications in progress and submitted cases with their receipts."""

from __future__ import annotations

from django.urls import reverse

from core.dashboard import section

from .selectors import cases_for_party, drafts_for_party

MAX_CASES = 50


@section(order=20)
def applications_section(request):
    party = getattr(request, "party", None)
    if party is None:
        return None
    # Two queries for drafts and cases, one for all receipts (prefetch): flat as rows grow.
    drafts = list(drafts_for_party(party=party))
    cases = list(cases_for_party(party=party)[:MAX_CASES + 1])
    more = len(cases) > MAX_CASES
    cases = cases[:MAX_CASES]
    if not drafts and not cases:
        return None
    return "applications/dashboard.html", {
        "drafts": drafts, "cases": cases, "more_cases_url": reverse("cases:list") if more else "",
    }
