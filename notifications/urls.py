from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("innstillinger/", views.notice_settings, name="settings"),
    path("leveringsstatus/", views.provider_callback, name="provider-callback"),
]
