"""Guide 001, chapters IV and V: the five ODS forms, "VALIDER", and the confirmation with the
request's number.

The form is filled, checked and sent on one page (no summary step, as in the guide); an error
brings the page back with everything typed and every file attached. Works without JavaScript.
"""

from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.form_resume import form_resume_take
from casework.services import CaseError
from partners.catalogue import SERVICES_BY_SLUG
from partners.decorators import partner_required
from partners.forms import PartnerRequestForm
from partners.selectors import get_partner_request_or_404
from partners.services import partner_request_submit


@require_http_methods(["GET", "POST"])
@partner_required(filing=True)
def new_request(request, space, slug):
    """ "Nouvelle demande" of one ODS, for the organism chosen, while the convention allows it."""
    info = SERVICES_BY_SLUG.get(slug)
    if info is None:
        raise Http404
    offered = space.organism.services.filter(service=info.service).first()
    if offered is None:
        raise Http404
    if request.method == "POST":
        form = PartnerRequestForm(
            request.POST, request.FILES, info=info, offered=offered, user=request.user
        )
        # is_valid() also stores the files sent with the form (no JavaScript).
        if form.is_valid():
            try:
                sent = partner_request_submit(
                    by=request.user,
                    structure=space.structure,
                    organism=space.organism,
                    service=info.service,
                    **form.submission(),
                )
            except CaseError as error:
                form.add_error(None, error.message)
            else:
                return redirect("partners:submitted", number=sent.number)
    elif (kept := form_resume_take(request)) is not None:
        # Signed in again after the session expired on "VALIDER": the form as it was sent,
        # files included, to check and send again (nothing is sent without the partner).
        form = PartnerRequestForm(kept, info=info, offered=offered, user=request.user)
        form.is_valid()
        form._errors = ErrorDict()
    else:
        form = PartnerRequestForm(info=info, offered=offered, user=request.user)
    return render(
        request,
        "partners/ods_form.html",
        {"space": space, "info": info, "form": form, "title": info.service.label},
    )


@require_http_methods(["GET"])
@partner_required
def submitted(request, space, number):
    """ "Votre demande a bien été envoyée à l'organisme ..." with its 10-digit number."""
    sent = get_partner_request_or_404(space, number)
    return render(request, "partners/submitted.html", {"space": space, "sent": sent})
