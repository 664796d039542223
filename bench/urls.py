"""The portal's URLs plus the bench-only reference pages (never mounted by portal.urls)."""

from django.urls import path

from bench import views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/bare/", views.bare, name="bench_bare"),
    path("bench/partner-bare/", views.partner_bare, name="bench_partner_bare"),
    *portal_urlpatterns,
]
