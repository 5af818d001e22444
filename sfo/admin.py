"""The schools that offer SFO, for municipal IT (/admin/) and the caseworkers (/saksbehandling/)."""

from django.contrib import admin

from accounts.adminmixins import MunicipalityOwnedAdmin
from core.admin_site import caseworker_site

from .models import School


@admin.register(School)
@admin.register(School, site=caseworker_site)
class SchoolAdmin(MunicipalityOwnedAdmin, admin.ModelAdmin):
    list_display = ["name", "address", "lowest_grade", "highest_grade", "special_needs_highest_grade", "active"]
    list_filter = ["active"]
    search_fields = ["name", "address"]
