from django.urls import path

from . import views

app_name = "kindergarten"
urlpatterns = [
    path("tilbud/<uuid:pk>/", views.offer_detail, name="offer"),
]
