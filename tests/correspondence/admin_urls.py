"""The project's URLs plus a test admin site with a Case admin that uses our inlines, as the
cases app's case page does (so the inlines are tested without depending on its admin)."""

from django.contrib import admin
from django.urls import path

from cases.models import Case
from core.admin_site import CaseworkerAdminSite
from correspondence.admin import CaseMessageInline
from minside.urls import urlpatterns as project_urlpatterns
from notifications.admin import CaseLetterInline

site = CaseworkerAdminSite(name="casetest")


class CaseAdmin(admin.ModelAdmin):
    inlines = [CaseMessageInline, CaseLetterInline]
    fields = ("case_number", "title")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)


site.register(Case, CaseAdmin)

urlpatterns = [*project_urlpatterns, path("casetest/", site.urls)]
