"""Placeholder: replaced by the real views."""

from django.http import HttpResponse
from django.urls import path

app_name = "accounts"


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


urlpatterns = [
    path("creer-mon-espace/", _todo, name="signup"),
    path("activer-mon-espace/", _todo, name="activate"),
]
