from django.conf import settings
from django.utils.translation import gettext as _

from accounts.selectors import organisations_person_may_act_for, staff_municipalities


def portal(request):
    """What the base layout needs on every page: the request's municipality (name, coat of arms,
    contact details in the header and footer), who the citizen acts for, and for staff the
    municipalities they work in (the header shows which one this is)."""

    def can_change_party() -> bool:
        # Called by the template only when someone is logged in; one query.
        user = request.user
        return user.is_authenticated and organisations_person_may_act_for(person=user).exists()

    def work_municipalities() -> list:
        # Asked by the header for staff only: where else they may work (a link to each host).
        user = request.user
        return staff_municipalities(user=user) if user.is_authenticated and user.is_staff else []

    municipality = getattr(request, "municipality", None)
    return {
        "municipality": municipality,
        "municipality_name": municipality.display_name if municipality is not None else _("Min Side"),
        "party": getattr(request, "party", None),
        "can_change_party": can_change_party,
        "work_municipalities": work_municipalities,
        "test_idporten_enabled": settings.TEST_IDPORTEN_ENABLED,
    }
