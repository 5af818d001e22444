"""Admin pages of a municipality's own data (departments, kindergartens, fees, services):
shown and edited inside the request's municipality only (its scope: accounts.tenancy), and a
new row belongs to it. The municipality is never a field on the form: nobody can move a row to
another municipality."""

from __future__ import annotations


class MunicipalityOwnedAdmin:
    """Mixin for a ModelAdmin whose model has `municipality` and a ScopedManager."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), "municipality"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.municipality = request.municipality
        super().save_model(request, obj, form, change)
