from django.contrib import admin
from django.urls import include, path

from portal import views

portal_patterns = (
    [
        path("logo/", views.logo, name="logo"),
    ],
    "portal",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portail/", include(portal_patterns)),
    path("compte/", include("accounts.urls")),
    path("gestion/", admin.site.urls),
]
