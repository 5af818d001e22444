"""The caseworkers' admin site (/saksbehandling/), separate from the IT admin (/admin/).

Every app registers its caseworker-facing models here:
    from cases.admin_site import caseworker_site
    @admin.register(Model, site=caseworker_site)
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class CaseworkerAdminSite(admin.AdminSite):
    site_header = _("Min Side – case handling")
    site_title = _("Case handling")
    index_title = _("Your queue")
    # insights: the index links to the managers' statistics page.
    index_template = "insights/admin_index.html"

    def has_permission(self, request):
        # Staff who belong to at least one department (or superusers) may work cases.
        # Asked several times per page: cached on the request.
        if not hasattr(request, "_cases_is_caseworker"):
            user = request.user
            request._cases_is_caseworker = bool(
                user.is_active and user.is_staff and (user.is_superuser or user.departments.exists())
            )
        return request._cases_is_caseworker

    def get_urls(self):
        from insights.views import admin_urls  # insights: /saksbehandling/statistikk/

        return admin_urls(self) + super().get_urls()


caseworker_site = CaseworkerAdminSite(name="caseworker")
