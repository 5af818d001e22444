"""The caseworkers' admin site (/saksbehandling/), separate from the IT admin (/admin/).

Every app registers its caseworker-facing models here, and may add pages and links to its
front page:
    from core.admin_site import caseworker_site
    @admin.register(Model, site=caseworker_site)
    caseworker_site.add_urls(lambda site: [path("statistikk/", site.admin_view(view), name=...)])
    caseworker_site.add_index_link(url_name="caseworker:insights_statistics", label=_("Statistics"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .staff import request_is_caseworker


@dataclass(frozen=True)
class IndexLink:
    url_name: str
    label: str


class CaseworkerAdminSite(admin.AdminSite):
    site_header = _("Min Side – case handling")
    site_title = _("Case handling")
    index_title = _("Your queue")
    index_template = "core/admin_index.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._url_providers: list[Callable] = []
        self._index_links: list[IndexLink] = []

    def has_permission(self, request):
        # Staff who belong to at least one department (or superusers) may work cases.
        return request_is_caseworker(request)

    def each_context(self, request):
        # The header says which municipality the caseworker works in now (the host's: a person
        # with roles in several works in each on its own host).
        context = super().each_context(request)
        municipality = getattr(request, "municipality", None)
        if municipality is not None:
            context["site_header"] = f"{self.site_header} – {municipality.display_name}"
        return context

    def add_urls(self, provider: Callable) -> None:
        """provider(site) -> [path(...)]: pages an app adds to the site (behind admin_view)."""
        self._url_providers.append(provider)

    def add_index_link(self, *, url_name: str, label: str) -> None:
        """A link on the site's front page, above the models (e.g. the statistics page)."""
        self._index_links.append(IndexLink(url_name=url_name, label=label))

    def get_urls(self):
        extra = [pattern for provider in self._url_providers for pattern in provider(self)]
        return extra + super().get_urls()

    def index(self, request, extra_context=None):
        links = [{"url": reverse(link.url_name), "label": link.label} for link in self._index_links]
        return super().index(request, {"index_links": links, **(extra_context or {})})


caseworker_site = CaseworkerAdminSite(name="caseworker")
