"""The case lifecycle: one table of allowed status changes and who may make each one, and the
words the citizen sees for each status (per application type where it differs).

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
from django.utils.translation import pgettext_lazy

from .models import Case

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


def is_allowed(from_status: str, to_status: str, actor: str) -> bool:
    return actor in TRANSITIONS.get((from_status, to_status), ())


def allowed_targets(from_status: str, actor: str) -> list[str]:
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == from_status and actor in actors]


# --- What the citizen reads --------------------------------------------------------------------
# Generic wording per status, and per application type where the type's own words differ.
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

TYPE_WORDING = {
    "kindergarten": {
        (S.DECIDED, "approved"): pgettext_lazy("kindergarten", "Offer sent"),
        (S.DECIDED, "partly"): pgettext_lazy("kindergarten", "Offer sent, on the waiting list for a higher wish"),
        (S.DECIDED, "rejected"): pgettext_lazy("kindergarten", "On the waiting list"),
        (S.CLOSED, "approved"): pgettext_lazy("kindergarten", "Accepted"),
        (S.CLOSED, "partly"): pgettext_lazy("kindergarten", "Accepted, on the waiting list for a higher wish"),
        (S.CLOSED, "rejected"): pgettext_lazy("kindergarten", "On the waiting list"),
    },
    "building_permit": {
        (S.DECIDED, "approved"): pgettext_lazy("building permit", "Permit granted"),
        (S.DECIDED, "partly"): pgettext_lazy("building permit", "Permit granted with conditions"),
        (S.DECIDED, "rejected"): pgettext_lazy("building permit", "Permit refused"),
        (S.CLOSED, "approved"): pgettext_lazy("building permit", "Permit granted"),
        (S.CLOSED, "partly"): pgettext_lazy("building permit", "Permit granted with conditions"),
        (S.CLOSED, "rejected"): pgettext_lazy("building permit", "Permit refused"),
    },
}


def citizen_wording(*, application_type: str, status: str, outcome: str | None = None) -> str:
    """The status in plain language for the citizen: the type's own words first (by outcome,
    then by status), then the generic words."""
    type_words = TYPE_WORDING.get(application_type, {})
    for table in (type_words, GENERIC_WORDING):
        if outcome and (status, outcome) in table:
            return str(table[(status, outcome)])
        if status in table:
            return str(table[status])
    return str(Case.Status(status).label)
