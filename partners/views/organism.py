"""Guide 001, chapters II and III: choosing the organism, the home page, the identification card
and the user manual."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from partners.catalogue import SERVICES, Service
from partners.conventions import State, structure_situations
from partners.decorators import partner_required
from partners.forms_space import OrganismChoiceForm
from partners.models import StructureMembership
from partners.selectors import SESSION_ORGANISM, membership_of, space_for
from partners.services import membership_organism_remember


def _membership_or_404(request) -> StructureMembership:
    membership = membership_of(request.user)
    if membership is None:
        raise Http404
    return membership


def _organism_remember(request, membership: StructureMembership, situation) -> None:
    """Keep the choice for this session (when the space may be used) and for the next sign-in.

    An upcoming convention leaves the session without an organism: only "Se déconnecter" works.
    """
    organism = situation.organism
    if situation.state is State.UPCOMING:
        request.session.pop(SESSION_ORGANISM, None)
    else:
        request.session[SESSION_ORGANISM] = organism.pk
    membership_organism_remember(membership=membership, organism=organism)


@login_required
@never_cache
def choose(request):
    """ "Sélectionner l'organisme sur lequel vous souhaitez vous connecter.", then the
    situation's message (guide 001, II) or the home page."""
    membership = _membership_or_404(request)
    situations = structure_situations(membership.structure)
    # Preselect the last organism only if it can be entered: one whose convention has not
    # started leads to "Se déconnecter" only.
    enterable = {
        situation.organism.pk for situation in situations if situation.state is not State.UPCOMING
    }
    initial = {}
    if membership.last_organism_id in enterable:
        initial["organism"] = str(membership.last_organism_id)
    form = OrganismChoiceForm(request.POST or None, situations=situations, initial=initial)
    if request.method == "POST" and form.is_valid():
        situation = form.situation
        _organism_remember(request, membership, situation)
        if situation.state is State.ACTIVE:
            return redirect("partners:home")
        return render(
            request,
            "partners/situation.html",
            {
                "situation": situation,
                "space": space_for(request),
                "logout_only": situation.state is State.UPCOMING,
            },
        )
    return render(
        request,
        "partners/choose.html",
        {"form": form, "space": space_for(request), "membership": membership},
    )


@partner_required
def home(request, space):
    """The ODS the selected organism offers (1 to 5), or, once the convention has ended, why
    no new request can be filed."""
    cards = []
    if space.situation.may_file:
        for offered in space.organism.services.order_by("service"):
            cards.append(SERVICES[Service(offered.service)])
    return render(
        request,
        "partners/home.html",
        {"space": space, "cards": cards, "ended": not space.situation.may_file},
    )


@login_required
@never_cache
def identity(request):
    """ "Fiche d'identification": first and last name, structure, "Se déconnecter"."""
    membership = _membership_or_404(request)
    return render(
        request,
        "partners/identity.html",
        {"membership": membership, "space": space_for(request)},
    )


@login_required
@never_cache
def manual(request):
    """ "Manuel utilisateur": the technicians' guide in short."""
    membership = _membership_or_404(request)
    return render(
        request, "partners/manual.html", {"membership": membership, "space": space_for(request)}
    )
