""" "Ma carte de tiers payant" (guide 003): the card of the member or of one of their
beneficiaries ("la vôtre ou celle d'un de vos bénéficiaires"), shown on the page and downloaded
as a PDF. A card is offered only while the cover is valid: without a current contract, or for
a beneficiary removed from it, the page says why and the PDF is a 404.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.utils.text import slugify

from accounts.decorators import member_required
from cover import documents
from cover.card_pdf import card_explanations, card_sheet_pdf, card_wallet_pdf
from cover.pdf import pdf_response
from cover.selectors import MEMBER_KEY, member_people, person_or_404
from portal.models import Branding


@member_required
def card(request, member):
    """Choose whose card ("Afficher", a plain GET form), then see it and download it."""
    today = timezone.localdate()
    person = person_or_404(member, request.GET.get("personne") or MEMBER_KEY)
    shown = documents.tiers_payant_card(member, person, today=today)
    return render(
        request,
        "cover/card/card.html",
        {
            "tab": "card",
            "member": member,
            # Everyone, with those no longer covered marked: choosing them says why.
            "choices": [(p, p.covered_on(today)) for p in member_people(member)],
            "person": person,
            "card": shown,
            "refusal": "" if shown else documents.card_refusal(member, person, today=today),
        },
    )


def _card_or_404(member, key):
    person = person_or_404(member, key)
    shown = documents.tiers_payant_card(member, person)
    if shown is None:
        raise Http404
    return person, shown


@member_required
def card_pdf(request, member, key):
    """The A4 sheet: the card (front and back, cut marks) and its explanations."""
    # Read by French professionals (pharmacists, laboratories): French in every language,
    # the card's facts (relationships, labels) included.
    with translation.override("fr"):
        person, shown = _card_or_404(member, key)
        filename = f"carte-tiers-payant-{slugify(person.full_name) or key}.pdf"
        return pdf_response(card_sheet_pdf(shown), filename)


@member_required
def card_wallet_pdf_view(request, member, key):
    """The card at its real size (85.6 x 54 mm), front and back, with cut marks."""
    with translation.override("fr"):
        person, shown = _card_or_404(member, key)
        filename = f"carte-tiers-payant-{slugify(person.full_name) or key}-format-carte.pdf"
        return pdf_response(card_wallet_pdf(shown), filename)


@member_required
def card_html(request, member, key):
    """The accessible alternative of the PDFs: the same content as a page."""
    person, shown = _card_or_404(member, key)
    return render(
        request,
        "cover/card/card_html.html",
        {
            "tab": "card",
            "member": member,
            "person": person,
            "card": shown,
            "explanations": card_explanations(shown, Branding.current().insurer_name),
        },
    )


urlpatterns = [
    path("carte/", card, name="card"),
    path("carte/<str:key>/carte-tiers-payant.pdf", card_pdf, name="card_pdf"),
    path(
        "carte/<str:key>/carte-tiers-payant-format-carte.pdf",
        card_wallet_pdf_view,
        name="card_wallet_pdf",
    ),
    path("carte/<str:key>/carte-tiers-payant/", card_html, name="card_html"),
]
