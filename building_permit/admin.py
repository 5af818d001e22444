"""The building permit fee schedule, for municipal IT (/admin/) and the caseworkers
(/saksbehandling/)."""

from django.contrib import admin

from accounts.adminmixins import MunicipalityOwnedAdmin
from core.admin_site import caseworker_site

from .models import BuildingFee


@admin.register(BuildingFee)
@admin.register(BuildingFee, site=caseworker_site)
class BuildingFeeAdmin(MunicipalityOwnedAdmin, admin.ModelAdmin):
    list_display = ["permit_kind", "category", "amount", "valid_from"]
    list_filter = ["permit_kind", "category"]
    date_hierarchy = "valid_from"
