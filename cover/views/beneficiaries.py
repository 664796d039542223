""" "Mes bénéficiaires" (guide 003): the member and each beneficiary with their social-security
number (masked), organism, personal details and NOEMIE teletransmission state.

Every action is a request to the insurer (`requests_app` changes "teletransmission",
"ajout-beneficiaire", "retrait-beneficiaire") with the documents it needs, never an instant
change of these rows.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import member_required
from cover.collective import employers_in_charge
from cover.selectors import Person, member_people

HIDDEN = "•"


def mask_nir(nir: str) -> str:
    """2 95 10 99 126 111 93 -> "2 •• •• •• ••• ••• 93": the sex digit and the key only, so a
    screen (or a shoulder) never shows the number itself."""
    compact = "".join(nir.split())
    if len(compact) != 15:
        return HIDDEN * 3 if compact else ""
    groups = [compact[0], *(HIDDEN * size for size in (2, 2, 2, 3, 3)), compact[-2:]]
    return " ".join(groups)


@dataclass(frozen=True)
class Row:
    """What the page shows of one person."""

    person: Person
    relationship: str
    nir: str
    organism_code: str
    birth_date: object
    email: str
    phone: str
    address: list[str]
    teletransmission: bool
    cover_end: object
    covered: bool


def _row(person: Person, today) -> Row:
    record = person.record
    if person.is_member:
        relationship = _("Adhérent(e)")
        phone = record.mobile_phone
        address = [record.address_line1, record.address_line2]
    else:
        relationship = record.get_relationship_display()
        phone = record.phone
        address = [record.address_line1]
    address.append(" ".join(part for part in (record.postcode, record.city) if part))
    return Row(
        person=person,
        relationship=relationship,
        nir=mask_nir(record.nir),
        organism_code=record.organism_code,
        birth_date=record.birth_date,
        email=record.email,
        phone=phone.as_national if phone else "",
        address=[line for line in address if line],
        teletransmission=record.teletransmission,
        cover_end=None if person.is_member else record.cover_end,
        covered=person.covered_on(today),
    )


@member_required
def beneficiaries(request, member):
    today = timezone.localdate()
    return render(
        request,
        "cover/beneficiaries/beneficiaries.html",
        {
            "tab": "beneficiaries",
            "member": member,
            "rows": [_row(person, today) for person in member_people(member)],
            # Collective contract: what the insurer leaves to the employer (cover.collective).
            "employers": employers_in_charge(member),
        },
    )


urlpatterns = [
    path("beneficiaires/", beneficiaries, name="beneficiaries"),
]
