"""What kindergarten shows on the citizen's case page (cases.panels): the latest offer, with
the answer form while it may be answered."""

from cases.panels import citizen_panel

from .application import KindergartenPlace
from .forms import OfferAnswerForm
from .selectors import offer_latest_for_case


@citizen_panel(order=10, position="before_timeline")
def offer(request, case):
    if case.application_type != KindergartenPlace.key:
        return None
    latest = offer_latest_for_case(case=case)
    if latest is None:
        return None
    return "kindergarten/case_offer.html", {"offer": latest, "form": OfferAnswerForm(offer=latest)}
