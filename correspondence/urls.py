from django.urls import path

from . import views

app_name = "correspondence"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("brev/<uuid:pk>/", views.letter_detail, name="letter-detail"),
    path("brev/<uuid:pk>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("meldinger/<uuid:pk>/", views.thread_detail, name="thread-detail"),
    path("saker/<uuid:case_pk>/melding/", views.case_message_create, name="case-message-create"),
    path("kontakt/", views.contact, name="contact"),
    path("vedlegg/<uuid:pk>/", views.attachment_download, name="attachment"),
]
