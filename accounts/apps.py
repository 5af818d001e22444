from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")
    urls = {"konto/": "urls"}

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import tenancy
        from .models import Municipality, MunicipalityHost

        # The host table each process keeps (accounts.tenancy) is cleared when it changes here.
        for model in (Municipality, MunicipalityHost):
            post_save.connect(tenancy.cache_clear, sender=model, dispatch_uid=f"tenancy-save-{model.__name__}")
            post_delete.connect(tenancy.cache_clear, sender=model, dispatch_uid=f"tenancy-delete-{model.__name__}")
