from django import template

from .. import selectors
from ..forms import OfferAnswerForm

register = template.Library()


@register.simple_tag
def offer_for_case(case):
    """The case's latest offer, for the citizen's case page (the page already checked access)."""
    return selectors.offer_latest_for_case(case=case)


@register.simple_tag
def offer_form(offer):
    return OfferAnswerForm(offer=offer)
