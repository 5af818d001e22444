from django.conf import settings


def portal(request):
    """What the base layout needs on every page."""
    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "party": getattr(request, "party", None),
        "test_idporten_enabled": settings.TEST_IDPORTEN_ENABLED,
    }
