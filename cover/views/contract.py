""" "Mes contrats" (guide 003) and "Mon contrat" (guide 002): the member's contracts, their
guarantees and options, the "Modalités de remboursement", and their documents as PDFs (table of
guarantees, certificates of affiliation and of radiation).

Adding an option is a request to the insurer (`requests_app`, change "option-facultative"),
never an edit of the contract; members of a collective contract go through their employer.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.decorators import member_required
from cover import documents
from cover.collective import ChangeArea, employer_in_charge
from cover.models import CareType, OptionalCover
from cover.money import screen_euros as euros
from cover.pdf import pdf_response
from cover.selectors import contract_or_404, current_contract, member_contracts

STATE_ORDER = {"current": 0, "upcoming": 1, "ended": 2}


def _state(item, today) -> str:
    """The contract's state as a badge says it: "current", "ended" or "upcoming"."""
    if item.start_date > today:
        return "upcoming"
    if item.end_date is not None and item.end_date < today:
        return "ended"
    return "current"


@member_required
def contract(request, member):
    """ "Mes contrats": each contract, its formule, dates, options and table of guarantees."""
    contracts = list(member_contracts(member))
    # Collective contract: options may be the employer's (insurer setting, cover.collective).
    options_employer = employer_in_charge(member, ChangeArea.OPTIONS)
    current = next((c for c in contracts if c.is_active), None)
    can_add_option = (
        current is not None
        and options_employer is None
        and OptionalCover.objects.filter(active=True).exclude(contracts=current).exists()
    )
    care_labels = dict(CareType.choices)
    today = timezone.localdate()
    items = [
        {
            "contract": item,
            "is_current": item is current,
            "guarantees": [
                (care_labels.get(g.care_type, g.care_type), g)
                for g in item.product.guarantees.all()
            ],
            "options": [(o, euros(o.monthly_price)) for o in item.options.all()],
            "state": _state(item, today),
        }
        for item in contracts
    ]
    # The contract covering the member first, then one to come, then the past ones.
    items.sort(key=lambda entry: STATE_ORDER[entry["state"]])
    return render(
        request,
        "cover/contract/contracts.html",
        {
            "tab": "contract",
            "member": member,
            "items": items,
            "employer": options_employer,
            "can_add_option": can_add_option,
        },
    )


@member_required
def contract_terms(request, member):
    """ "Modalités de remboursement": by type of care, how the current contract reimburses."""
    current = current_contract(member)
    groups = []
    if current is not None:
        by_type: dict[str, list] = {}
        for guarantee in current.product.guarantees.all():
            by_type.setdefault(guarantee.care_type, []).append(guarantee)
        # In the order of the types of care, as everywhere else in the space.
        groups = [(label, by_type[value]) for value, label in CareType.choices if value in by_type]
    return render(
        request,
        "cover/contract/terms.html",
        {"tab": "contract", "member": member, "contract": current, "groups": groups},
    )


@member_required
def guarantees_pdf(request, member, number):
    item = contract_or_404(member, number)
    return pdf_response(documents.guarantees_pdf(item), f"tableau-des-garanties-{item.number}.pdf")


@member_required
def affiliation_pdf(request, member, number):
    item = contract_or_404(member, number)
    # A certificate for French administrations and employers: French in every language.
    with translation.override("fr"):
        return pdf_response(
            documents.affiliation_pdf(item), f"certificat-affiliation-{item.number}.pdf"
        )


@member_required
def radiation_pdf(request, member, number):
    """Only a contract with a radiation date has a certificate of radiation."""
    item = contract_or_404(member, number)
    if item.end_date is None:
        raise Http404
    # A certificate for French administrations and employers: French in every language.
    with translation.override("fr"):
        return pdf_response(
            documents.radiation_pdf(item), f"certificat-radiation-{item.number}.pdf"
        )


def document_page(request, document, *, pdf_url: str, back_url: str, back_label: str):
    """The HTML page of a document: its accessible alternative, the same content as its PDF."""
    document.finish()
    return render(
        request,
        "cover/document.html",
        {"document": document, "pdf_url": pdf_url, "back_url": back_url, "back_label": back_label},
    )


def _contract_document(request, item, document, pdf_name: str):
    return document_page(
        request,
        document,
        pdf_url=reverse(pdf_name, args=[item.number]),
        back_url=reverse("cover:contract"),
        back_label=_("Mon contrat"),
    )


@member_required
def guarantees_html(request, member, number):
    item = contract_or_404(member, number)
    return _contract_document(
        request, item, documents.guarantees_document(item), "cover:guarantees_pdf"
    )


@member_required
def affiliation_html(request, member, number):
    item = contract_or_404(member, number)
    return _contract_document(
        request, item, documents.affiliation_document(item), "cover:affiliation_pdf"
    )


@member_required
def radiation_html(request, member, number):
    item = contract_or_404(member, number)
    if item.end_date is None:
        raise Http404
    return _contract_document(
        request, item, documents.radiation_document(item), "cover:radiation_pdf"
    )


urlpatterns = [
    path("contrat/", contract, name="contract"),
    path("contrat/modalites-de-remboursement/", contract_terms, name="contract_terms"),
    path("contrat/<str:number>/tableau-des-garanties.pdf", guarantees_pdf, name="guarantees_pdf"),
    path(
        "contrat/<str:number>/certificat-affiliation.pdf",
        affiliation_pdf,
        name="affiliation_pdf",
    ),
    path("contrat/<str:number>/certificat-radiation.pdf", radiation_pdf, name="radiation_pdf"),
    path("contrat/<str:number>/tableau-des-garanties/", guarantees_html, name="guarantees_html"),
    path("contrat/<str:number>/certificat-affiliation/", affiliation_html, name="affiliation_html"),
    path("contrat/<str:number>/certificat-radiation/", radiation_html, name="radiation_html"),
]
