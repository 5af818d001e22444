from django.apps import AppConfig


class MinsideConfig(AppConfig):
    name = "minside"
    verbose_name = "Min Side"

    def ready(self):
        # Each app may contribute sections to the Min Side home page (see minside/dashboard.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("dashboard")
