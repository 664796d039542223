"""Compliance pages, "Mes données" (export and closure)."""

from privacy.views import my_data, pages

app_name = "privacy"

urlpatterns = [*pages.urlpatterns, *my_data.urlpatterns]
