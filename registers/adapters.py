"""Load the adapter for an external system from the dotted path in settings."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _instance(dotted_path: str):
    return import_string(dotted_path)()


def get_adapter(setting_name: str):
    """The configured adapter instance, e.g. get_adapter("POPULATION_REGISTER_ADAPTER")."""
    return _instance(getattr(settings, setting_name))
