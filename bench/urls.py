"""The portal's URLs plus the bench-only reference page (never mounted by portal.urls)."""

from django.urls import path

from bench import views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/bare/", views.bare, name="bench_bare"),
    *portal_urlpatterns,
]
