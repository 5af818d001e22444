"""insights on the caseworker site: the statistics page and its link on the front page."""

from django.utils.translation import gettext_lazy as _

from core.admin_site import caseworker_site

from .views import admin_urls

caseworker_site.add_urls(admin_urls)
caseworker_site.add_index_link(url_name="caseworker:insights_statistics",
                               label=_("Statistics: the gains of going digital"))
