"""Placeholder: replaced by the real views."""

from django.http import HttpResponse
from django.urls import path

app_name = "accounts"


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


urlpatterns = [
    path("connexion/", _todo, name="login"),
    path("deconnexion/", _todo, name="logout"),
]
