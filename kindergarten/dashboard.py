"""Home page: offers waiting for the citizen's answer, with the reply deadline."""

from core.dashboard import section

from .models import Offer
from .selectors import offers_for_party


@section(order=15)  # an offer waits for an answer: near the top, after open case tasks
def offers_to_answer(request):
    if not request.user.is_authenticated or request.user.is_staff:
        return None
    party = getattr(request, "party", None)
    offers = list(offers_for_party(user=request.user, organisation=party.organisation if party else None)
                  .filter(status=Offer.Status.SENT).select_related("kindergarten", "case")
                  .order_by("reply_deadline")[:5])
    offers = [o for o in offers if o.may_answer]
    if not offers:
        return None
    return "kindergarten/dashboard.html", {"offers": offers}
