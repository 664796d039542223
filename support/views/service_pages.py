""" "Mes services" (guide 003): pages written by the insurer in the admin."""

from django.shortcuts import render
from django.urls import path

from accounts.decorators import member_required
from support.selectors import published_service_pages, service_page_or_404


@member_required
def services(request, member):
    return render(request, "support/services.html", {"pages": published_service_pages()})


@member_required
def service(request, member, slug):
    return render(request, "support/service.html", {"page": service_page_or_404(slug)})


urlpatterns = [
    path("services/", services, name="services"),
    path("services/<slug:slug>/", service, name="service"),
]
