from django.utils.functional import SimpleLazyObject

from .selectors import Party, organisations_person_may_act_for
from .services import ACT_FOR_SELF, ACTING_FOR_SESSION_KEY


def _party_for(request):
    user = request.user
    if not user.is_authenticated:
        return None
    choice = request.session.get(ACTING_FOR_SESSION_KEY)
    if choice and choice != ACT_FOR_SELF:
        # Re-checked on every request: a representation that ended mid-session stops working.
        organisation = organisations_person_may_act_for(person=user).filter(pk=choice).first()
        if organisation is not None:
            return Party(person=user, organisation=organisation)
        request.session.pop(ACTING_FOR_SESSION_KEY, None)
    return Party(person=user)


class ActingPartyMiddleware:
    """Sets `request.party`: the person and, if chosen, the organisation they act for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.party = SimpleLazyObject(lambda: _party_for(request))
        return self.get_response(request)
