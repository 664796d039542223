"""Placeholder: replaced by the real views."""

from django.http import HttpResponse
from django.urls import path

app_name = "accounts"


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


urlpatterns = [
    path("mes-informations/", _todo, name="profile"),
]
