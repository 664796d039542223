""" "Mes données": download my data (a background job the page follows, the ZIP kept 24 hours
for its account only) and, for members, ask for the closure of my space."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import member_required
from portal.exports import kept_file_response
from privacy.decorators import data_owner_required
from privacy.forms import ClosureForm
from privacy.models import DataExport
from privacy.services import closure_request_submit, data_export_request


def _layout(member) -> str:
    return "privacy/member_layout.html" if member else "privacy/partner_layout.html"


@data_owner_required
def my_data(request, member):
    if request.method == "POST":
        export = data_export_request(user=request.user)
        return redirect("privacy:export", pk=export.pk)
    return render(
        request,
        "privacy/my_data.html",
        {"layout": _layout(member), "member": member, "form": ClosureForm() if member else None},
    )


def _export_of(request, pk, **conditions) -> DataExport:
    """The person's own export while it is kept; 404 for anyone else's and after its time."""
    return get_object_or_404(
        DataExport, pk=pk, user=request.user, expires_at__gt=timezone.now(), **conditions
    )


@data_owner_required
def export(request, member, pk):
    """The export being built: how far it got, then the download link. JSON for the page's
    script (`Accept: application/json`); a plain page without it."""
    data_export = _export_of(request, pk)
    ready = data_export.state == DataExport.State.READY
    download = reverse("privacy:export_file", args=[data_export.pk]) if ready else ""
    status = _status(data_export)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"state": data_export.state, "status": status, "download": download})
    return render(
        request,
        "privacy/export.html",
        {
            "layout": _layout(member),
            "export": data_export,
            "status": status,
            "download": download,
        },
    )


def _status(data_export: DataExport) -> str:
    State = DataExport.State
    if data_export.state == State.READY:
        return _("Vos données sont prêtes.")
    if data_export.state == State.FAILED:
        return _("Vos données n'ont pas pu être préparées. Réessayez depuis « Mes données ».")
    if data_export.state == State.RUNNING:
        return _("Préparation de vos données : %(done)d parties prêtes sur %(parts)d.") % {
            "done": data_export.parts_done,
            "parts": data_export.parts,
        }
    return _("Vos données vont être préparées dans un instant.")


@data_owner_required
def export_file(request, member, pk):
    data_export = _export_of(request, pk, state=DataExport.State.READY)
    if not data_export.file:
        raise Http404
    return kept_file_response(
        data_export.file,
        filename=f"mes-donnees-{data_export.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@member_required
def closure(request, member):
    """ "Demander la clôture de mon espace": a request to the managers' queue."""
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = closure_request_submit(
            member=member, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _(
                "Votre demande de clôture a bien été envoyée (référence %(reference)s). Nos "
                "gestionnaires vous répondront dans « Échanger avec nous »."
            )
            % {"reference": sent.reference},
        )
        return redirect("privacy:my_data")
    return render(
        request,
        "privacy/my_data.html",
        {"layout": _layout(member), "member": member, "form": form},
    )


urlpatterns = [
    path("mes-donnees/", my_data, name="my_data"),
    path("mes-donnees/export/<uuid:pk>/", export, name="export"),
    path("mes-donnees/export/<uuid:pk>/mes-donnees.zip", export_file, name="export_file"),
    path("mes-donnees/cloture/", closure, name="closure"),
]
