""" "Mes services" (guide 003): pages written by the insurer in the admin."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify

from accounts.decorators import member_required
from support.selectors import (
    published_service_pages,
    service_actions,
    service_guide_or_404,
    service_page_or_404,
)


@member_required
def services(request, member):
    return render(request, "support/services.html", {"pages": published_service_pages()})


@member_required
def service(request, member, slug):
    page = service_page_or_404(slug)
    return render(request, "support/service.html", {"page": page, "actions": service_actions(page)})


@member_required
def service_guide(request, member, slug, pk):
    """A service page's guide, downloaded (never shown inline)."""
    action = service_guide_or_404(slug, pk)
    try:
        handle = action.guide.open("rb")
    except OSError as error:  # the file went missing from the storage
        raise Http404 from error
    name = f"{slugify(action.label) or 'guide'}.pdf"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("services/", services, name="services"),
    path("services/<slug:slug>/", service, name="service"),
    path("services/<slug:slug>/guide/<int:pk>/", service_guide, name="service_guide"),
]
