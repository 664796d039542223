""" "Gestionnaires Partenaire": the technicians of their structure (guide 001, chapter I)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import technicians as services
from partners.decorators import partner_manager_required
from partners.forms_space import TechnicianForm
from partners.selectors import space_for
from partners.technicians import (
    TechnicianError,
    structure_technician_cap,
    structure_technicians,
    technician_create,
)


def _context(request, membership, **extra) -> dict:
    technicians = list(structure_technicians(membership.structure))
    return {
        "membership": membership,
        "space": space_for(request),
        "technicians": technicians,
        "active_count": sum(1 for technician in technicians if technician.is_active),
        "cap": structure_technician_cap(structure=membership.structure),
        **extra,
    }


@partner_manager_required
def technician_list(request, membership):
    """The structure's technicians, active and inactive, with "Désactiver" / "Réactiver"."""
    return render(request, "partners/technicians.html", _context(request, membership))


@partner_manager_required
def technician_new(request, membership):
    """ "Créer un technicien": an account, a membership and an invitation by email."""
    form = TechnicianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            technician = technician_create(
                by=request.user, structure=membership.structure, **form.cleaned_data
            )
        except TechnicianError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "%(name)s a été créé(e). Un email l'invite à choisir son mot de passe "
                    "(%(email)s)."
                )
                % {"name": technician.get_full_name(), "email": technician.email},
            )
            return redirect("partners:technicians")
    return render(
        request, "partners/technician_form.html", _context(request, membership, form=form)
    )


def _technician_or_404(membership, pk):
    return get_object_or_404(structure_technicians(membership.structure), pk=pk)


@require_POST
@partner_manager_required
def technician_deactivate(request, membership, pk):
    technician = _technician_or_404(membership, pk)
    try:
        services.technician_deactivate(by=request.user, technician=technician)
    except TechnicianError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s est désactivé(e) : il ou elle ne peut plus se connecter.")
            % {"name": technician.get_full_name()},
        )
    return redirect("partners:technicians")


@require_POST
@partner_manager_required
def technician_reactivate(request, membership, pk):
    technician = _technician_or_404(membership, pk)
    try:
        services.technician_reactivate(by=request.user, technician=technician)
    except TechnicianError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s est réactivé(e) : il ou elle peut de nouveau se connecter.")
            % {"name": technician.get_full_name()},
        )
    return redirect("partners:technicians")
