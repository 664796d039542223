"""The health-professional locator."""

from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("professionnels-de-sante/", views.search, name="search"),
]
