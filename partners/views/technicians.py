""" "Gestionnaires Partenaire": the technicians of their structure (guide 001, chapter I)."""

from django.contrib import messages
from django.contrib.auth.base_user import BaseUserManager
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
    technician_invitation_sent_on,
    technician_is_invited,
)


def _context(request, membership, **extra) -> dict:
    technicians = list(structure_technicians(membership.structure))
    for technician in technicians:
        technician.invited = technician_is_invited(technician)
        if technician.invited:
            technician.invited_on = technician_invitation_sent_on(technician)
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
            technician_create(by=request.user, structure=membership.structure, **form.cleaned_data)
        except TechnicianError as error:
            form.add_error("email" if error.field == "email" else None, error.message)
        else:
            # The same answer when the address belongs to an account elsewhere (nothing is
            # created then, and its owner is told): the manager learns nothing about it.
            data = form.cleaned_data
            messages.success(
                request,
                _(
                    "Invitation envoyée à %(email)s : un email invite %(name)s à choisir son "
                    "mot de passe."
                )
                % {
                    "name": f"{data['first_name'].strip()} {data['last_name'].strip().upper()}",
                    "email": BaseUserManager.normalize_email(data["email"].strip()),
                },
            )
            return redirect("partners:technicians")
    return render(
        request, "partners/technician_form.html", _context(request, membership, form=form)
    )


def _technician_or_404(membership, pk):
    return get_object_or_404(structure_technicians(membership.structure), pk=pk)


@partner_manager_required
def technician_deactivate(request, membership, pk):
    """ "Désactiver": a confirmation page, then the deactivation (POST)."""
    technician = _technician_or_404(membership, pk)
    if request.method != "POST":
        return render(
            request,
            "partners/technician_deactivate.html",
            _context(request, membership, technician=technician),
        )
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


@require_POST
@partner_manager_required
def technician_invitation_resend(request, membership, pk):
    technician = _technician_or_404(membership, pk)
    try:
        services.technician_invitation_resend(by=request.user, technician=technician)
    except TechnicianError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Une nouvelle invitation a été envoyée à %(email)s ; le lien précédent ne "
                "fonctionne plus."
            )
            % {"email": technician.email},
        )
    return redirect("partners:technicians")


@require_POST
@partner_manager_required
def technician_invitation_cancel(request, membership, pk):
    technician = _technician_or_404(membership, pk)
    name = technician.get_full_name()
    try:
        services.technician_invitation_cancel(by=request.user, technician=technician)
    except TechnicianError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("L'invitation de %(name)s est annulée.") % {"name": name})
    return redirect("partners:technicians")
