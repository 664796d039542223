"""Collective contracts (contrats collectifs): per kind of change, who makes it (issue 14).

The insurer chooses, in "Identité de l'organisme", for each kind of change whether a member of a
collective contract makes it in his space or asks his employer. Guide 002's profile sends every
change to the employer ("toutes modifications de coordonnées et de contrat"); guide 003's, a
collective product too, lets the member switch NOEMIE and add or remove beneficiaries. Pages
ask `employer_in_charge(member, area)`: None means the member goes on as anyone else.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Member
from cover.models import Contract, ContractKind
from portal.models import Branding, CollectiveHandling


class ChangeArea(models.TextChoices):
    CONTACT_DETAILS = "contact_details", _("vos coordonnées (adresse postale)")
    BANK_DETAILS = "bank_details", _("vos coordonnées bancaires")
    BENEFICIARIES = "beneficiaries", _("l'ajout ou le retrait d'un bénéficiaire")
    TELETRANSMISSION = "teletransmission", _("la télétransmission NOEMIE")
    OPTIONS = "options", _("les options facultatives")


# The two profiles of the guides, as `Branding` field values (load_demo and tests apply them).
EMPLOYER, MEMBER = CollectiveHandling.EMPLOYER, CollectiveHandling.MEMBER
PROFILES = {
    "guide-002": dict.fromkeys(ChangeArea.values, EMPLOYER),
    "guide-003": {
        ChangeArea.CONTACT_DETAILS: EMPLOYER,
        ChangeArea.BANK_DETAILS: EMPLOYER,
        ChangeArea.BENEFICIARIES: MEMBER,
        ChangeArea.TELETRANSMISSION: MEMBER,
        ChangeArea.OPTIONS: EMPLOYER,
    },
}


@dataclass(frozen=True)
class Employer:
    """The company of the member's collective contract, as the contract names it."""

    name: str
    contact: str
    area_label: str
    # Every kind of change goes to the employer (guide 002): its sentence says so at once.
    everything: bool


def collective_profile_apply(*, profile: str) -> None:
    """Set the insurer's collective-contract rules to one of the guides' `PROFILES`."""
    branding = Branding.current()
    for area, handling in PROFILES[profile].items():
        setattr(branding, f"collective_{area}", handling)
    branding.save()


def _collective_contract(member: Member) -> Contract | None:
    """The member's collective contract in force (the latest one), if any."""
    for contract in member.contracts.filter(kind=ContractKind.COLLECTIVE).order_by("-start_date"):
        if contract.is_active:
            return contract
    return None


def employer_in_charge(member: Member, area: str, branding: Branding | None = None):
    """The `Employer` to ask for a change of `area`, or None when the member makes it here."""
    contract = _collective_contract(member)
    if contract is None and not member.collective_contract:
        return None
    branding = branding or Branding.current()
    if getattr(branding, f"collective_{area}") != EMPLOYER:
        return None
    return Employer(
        name=contract.company_name if contract else "",
        contact=contract.company_contact if contract else "",
        area_label=str(ChangeArea(area).label),
        everything=all(
            getattr(branding, f"collective_{other}") == EMPLOYER for other in ChangeArea.values
        ),
    )


def employers_in_charge(member: Member) -> dict[str, Employer | None]:
    """`employer_in_charge` for every area at once (one read of the settings)."""
    branding = Branding.current()
    return {area: employer_in_charge(member, area, branding) for area in ChangeArea.values}
