from django.apps import AppConfig


class MinsideConfig(AppConfig):
    """The wiring on top: settings, URLs, Celery, the portal's own pages. Names apps; nothing
    imports it."""

    name = "minside"
    verbose_name = "Min Side"
