"""The citizen's answer to an offer (/opptak/). Thin: the offer is fetched through the access
check (a miss is a 404), the answer is one service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import OfferAnswerForm


@login_required
def offer_detail(request, pk):
    party = getattr(request, "party", None)
    offer = selectors.offer_get_for_user(user=request.user, pk=pk,
                                         organisation=party.organisation if party else None)
    form = OfferAnswerForm(request.POST if request.method == "POST" else None, offer=offer)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            accept = form.cleaned_data["answer"] == "accept"
            try:
                services.offer_answer(offer=offer, by=request.user, accept=accept,
                                      keep_on_waiting_list=form.cleaned_data.get("keep_on_waiting_list", False))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you. You accepted the place.") if accept
                                 else _("Thank you. You declined the place."))
                return redirect("cases:detail", pk=offer.case_id)
        status = 400
        offer.refresh_from_db()
    return render(request, "kindergarten/offer_detail.html", {"offer": offer, "case": offer.case, "form": form},
                  status=status)
