"""Min Side home: applications in progress and submitted cases with their receipts."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from minside.dashboard import section

from .selectors import cases_for_party, drafts_for_party

MAX_CASES = 50


def _url_exists(name: str) -> bool:
    try:
        reverse(name, kwargs={"pk": "00000000-0000-0000-0000-000000000000"})
        return True
    except NoReverseMatch:
        return False


def _list_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


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
        "drafts": drafts, "cases": cases,
        "case_detail": _url_exists("cases:detail"), "letter_pdf": _url_exists("correspondence:letter-pdf"),
        "more_cases_url": _list_url("cases:list") if more else "",
    }
