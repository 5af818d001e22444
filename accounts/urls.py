from django.conf import settings
from django.urls import path

from . import idporten, views

app_name = "accounts"
urlpatterns = [
    path("logg-inn/", views.login_choice, name="login"),
    path("logg-inn/idporten/", views.idporten_login, name="idporten-login"),
    # The redirect_uri registered at ID-porten: <site>/konto/idporten/callback/
    path("idporten/callback/", idporten.callback, name="idporten-callback"),
    # The frontchannel_logout_uri registered at ID-porten: <site>/konto/idporten/logget-ut/
    path("idporten/logget-ut/", idporten.frontchannel_logout, name="idporten-frontchannel-logout"),
    path("logg-ut/", views.logout, name="logout"),
    path("logget-ut/", views.logged_out, name="logged-out"),
    path("velg-aktor/", views.choose_party, name="choose-party"),
]
if settings.TEST_IDPORTEN_ENABLED:
    urlpatterns.append(path("test-idporten/", views.test_idporten, name="test-idporten"))
