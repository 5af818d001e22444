from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("ny/<slug:type_key>/", views.start, name="start"),
    path("<uuid:pk>/steg/<slug:step>/", views.step_view, name="step"),
    path("<uuid:pk>/oppsummering/", views.summary, name="summary"),
    path("<uuid:pk>/kvittering/", views.receipt, name="receipt"),
    path("<uuid:pk>/slett/", views.delete, name="delete"),
    path("<uuid:pk>/vedlegg/<uuid:attachment_pk>/slett/", views.attachment_delete, name="attachment-delete"),
    path("vedlegg/<uuid:attachment_pk>/", views.attachment_download, name="attachment-download"),
]
