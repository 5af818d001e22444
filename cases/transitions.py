"""The case lifecycle: one table of allowed status changes and who may make each one, and the
words the citizen sees for each status (a service adds its own words and, rarely, transitions:
cases.types.CaseType).

    received ─► under review ⇄ awaiting information
        │            │   ▲
        │            ▼   │ (reopened on appeal)
        │         decided ─► closed
        │            │         │
        │            ▼         ▼
        │         appealed ◄───┘
        ▼
    withdrawn (by the citizen, before a decision)

cases.services.case_transition() is the only code that changes a case's status, and it asks
this table first."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Case
from .types import case_type

S = Case.Status

CITIZEN = "citizen"
CASEWORKER = "caseworker"
SYSTEM = "system"
ACTORS = (CITIZEN, CASEWORKER, SYSTEM)

# (from, to) -> who may make that change. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.RECEIVED, S.UNDER_REVIEW): frozenset({CASEWORKER, SYSTEM}),
    # The automated completeness check may ask for a missing document straight away.
    (S.RECEIVED, S.AWAITING_INFORMATION): frozenset({CASEWORKER, SYSTEM}),
    (S.RECEIVED, S.WITHDRAWN): frozenset({CITIZEN}),
    (S.UNDER_REVIEW, S.AWAITING_INFORMATION): frozenset({CASEWORKER}),
    (S.UNDER_REVIEW, S.DECIDED): frozenset({CASEWORKER}),
    (S.UNDER_REVIEW, S.WITHDRAWN): frozenset({CITIZEN}),
    # The citizen's answer puts the case back in review; so may the caseworker (e.g. the answer
    # came by post) or the system (the request's due date passed).
    (S.AWAITING_INFORMATION, S.UNDER_REVIEW): frozenset({CITIZEN, CASEWORKER, SYSTEM}),
    (S.AWAITING_INFORMATION, S.WITHDRAWN): frozenset({CITIZEN}),
    (S.DECIDED, S.CLOSED): frozenset({CASEWORKER, SYSTEM}),
    # Appeal before the deadline (checked by the service), also after the case was closed.
    (S.DECIDED, S.APPEALED): frozenset({CITIZEN}),
    (S.CLOSED, S.APPEALED): frozenset({CITIZEN}),
    # Reopen on appeal: the case is reviewed again and gets a new decision.
    (S.APPEALED, S.UNDER_REVIEW): frozenset({CASEWORKER}),
}


class TransitionNotAllowed(Exception):
    """This status change is not in the table, or not for this kind of actor."""

    def __init__(self, from_status: str, to_status: str, actor: str):
        self.from_status, self.to_status, self.actor = from_status, to_status, actor
        super().__init__(
            f"A {actor} may not change a case from '{from_status}' to '{to_status}'."
        )

    @property
    def user_message(self) -> str:
        return str(_("The case cannot go from “%(from)s” to “%(to)s” now.") % {
            "from": Case.Status(self.from_status).label, "to": Case.Status(self.to_status).label,
        })


def _table(application_type: str | None) -> dict:
    if not application_type:
        return TRANSITIONS
    extra = case_type(application_type).transitions
    if not extra:
        return TRANSITIONS
    merged = dict(TRANSITIONS)
    for key, actors in extra.items():
        merged[key] = merged.get(key, frozenset()) | frozenset(actors)
    return merged


def is_allowed(from_status: str, to_status: str, actor: str, *, application_type: str | None = None) -> bool:
    """May `actor` move a case from `from_status` to `to_status`? The common table, plus what
    the case's type adds (cases.types.CaseType.transitions)."""
    return actor in _table(application_type).get((from_status, to_status), ())


def allowed_targets(from_status: str, actor: str, *, application_type: str | None = None) -> list[str]:
    return [to for (frm, to), actors in _table(application_type).items() if frm == from_status and actor in actors]


# --- What the citizen reads --------------------------------------------------------------------
# Generic wording per status; a type's own words (CaseType.wording) win where it has them.
# A decided case may be worded by its outcome: key (status, outcome).
GENERIC_WORDING = {
    S.RECEIVED: _("Application received"),
    S.UNDER_REVIEW: _("Being processed"),
    S.AWAITING_INFORMATION: _("Waiting for information from you"),
    S.DECIDED: _("Decision made"),
    (S.DECIDED, "approved"): _("Approved"),
    (S.DECIDED, "partly"): _("Partly approved"),
    (S.DECIDED, "rejected"): _("Rejected"),
    S.CLOSED: _("Completed"),
    S.WITHDRAWN: _("Withdrawn by you"),
    S.APPEALED: _("Appeal received"),
}

def citizen_wording(*, application_type: str, status: str, outcome: str | None = None) -> str:
    """The status in plain language for the citizen: the type's own words first (by outcome,
    then by status; cases.types.CaseType.wording), then the generic words."""
    for table in (case_type(application_type).wording, GENERIC_WORDING):
        if outcome and (status, outcome) in table:
            return str(table[(status, outcome)])
        if status in table:
            return str(table[status])
    return str(Case.Status(status).label)
