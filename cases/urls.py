from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<uuid:pk>/", views.case_detail, name="detail"),
    path("<uuid:pk>/svar/<uuid:request_pk>/", views.case_answer, name="answer"),
    path("<uuid:pk>/trekk/", views.case_withdraw, name="withdraw"),
    path("<uuid:pk>/klage/", views.case_appeal, name="appeal"),
    path("<uuid:pk>/dokumenter/<uuid:document_pk>/", views.case_document, name="document"),
]
