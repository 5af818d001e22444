from django.conf import settings

from accounts.selectors import organisations_person_may_act_for


def portal(request):
    """What the base layout needs on every page."""

    def can_change_party() -> bool:
        # Called by the template only when someone is logged in; one query.
        user = request.user
        return user.is_authenticated and organisations_person_may_act_for(person=user).exists()

    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "party": getattr(request, "party", None),
        "can_change_party": can_change_party,
        "test_idporten_enabled": settings.TEST_IDPORTEN_ENABLED,
    }
