"""The URL conf: the portal's own pages, the admin sites, the API schema, and every app's URLs
under the prefix its AppConfig declares (core.discovery.app_url_patterns)."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.admin_site import caseworker_site
from core.discovery import app_url_patterns

from . import views
from .health import healthz

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz/", healthz, name="healthz"),
    path("minside/", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility_statement, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
    path("sprak/", views.language_switch, name="set-language"),
    path("logg-inn/", RedirectView.as_view(pattern_name="accounts:login"), name="login"),
    # allauth: staff login (e-mail, password, TOTP) and the ID-porten OIDC callback.
    path("auth/", include("allauth.urls")),
    # Both admin sites log in through allauth, so TOTP and the lockout apply there too.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("saksbehandling/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", admin.site.urls),
    path("saksbehandling/", caseworker_site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *app_url_patterns(),
]

handler500 = "minside.views.server_error"
