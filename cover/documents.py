"""The documents of "Mes contrats" and "Ma carte de tiers payant" (guides 002 and 003), as PDFs.

Each is a `cover.pdf.Document` (the insurer's logo, name, colours and footer on every page):
the table of guarantees (tableau des garanties), the certificates of affiliation and of
radiation, and the tiers-payant card. `tiers_payant_card` decides what a card shows, for the
HTML page and the PDF alike, so both always say the same thing.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from accounts.models import Beneficiary, Civility, Member
from cover.models import CareType, Contract, Guarantee
from cover.pdf import Document, day, euros
from cover.selectors import Person, current_contract
from portal.models import Branding

# -- What the member's documents show ----------------------------------------------------------


def covered_beneficiaries(member: Member, on: datetime.date) -> list[Beneficiary]:
    """The member's beneficiaries not removed from the contract on `on`."""
    return [b for b in member.beneficiaries.all() if b.cover_end is None or on <= b.cover_end]


@dataclass(frozen=True)
class CardHolder:
    """Someone printed on a card or a certificate: with their social security number (NIR),
    birth rank and fund on the tiers-payant card."""

    name: str
    birth_date: datetime.date
    relationship: str
    nir: str = ""
    birth_rank: int = 1
    organism_code: str = ""

    @property
    def nir_spaced(self) -> str:
        """ "1 85 05 75 123 456 78", as on the carte Vitale."""
        nir = self.nir
        if len(nir) != 15:
            return nir
        return " ".join([nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]])

    @property
    def nir_masked(self) -> str:
        """What screens show: the sex and birth year and month, the rest hidden."""
        if len(self.nir) != 15:
            return ""
        return f"{self.nir[0]} {self.nir[1:3]} {self.nir[3:5]} •• ••• ••• ••"

    @property
    def organism_spaced(self) -> str:
        """The fund (régime, caisse, centre): "01 331 0000"."""
        code = self.organism_code
        return f"{code[:2]} {code[2:5]} {code[5:]}" if len(code) == 9 else code


def _holder(record) -> CardHolder:
    if isinstance(record, Beneficiary):
        relationship = record.get_relationship_display()
    else:
        relationship = member_label(record)
    return CardHolder(
        record.full_name,
        record.birth_date,
        relationship,
        nir=record.nir,
        birth_rank=record.birth_rank,
        organism_code=record.organism_code,
    )


# What the card says of a domain when the guarantee gives no rate: "TP", tiers payant; "SP",
# tiers payant on a prior agreement (prise en charge) asked by the professional.
CARD_MENTIONS = {"OUI": "TP", "TP": "TP", "SP": "SP", "PEC": "SP"}


def card_mention(value: str) -> str:
    """The guarantee's card mention as the harmonised card prints it: a rate ("100/100") as
    it is, "OUI" as "TP"."""
    value = (value or "").strip()
    return CARD_MENTIONS.get(value.upper(), value) if value else "TP"


@dataclass(frozen=True)
class TiersPayantCard:
    """Carte de tiers payant: what it shows, computed once for the page and the PDF."""

    contract: Contract
    member: Member
    person: Person
    people: list[CardHolder]
    valid_from: datetime.date
    valid_until: datetime.date
    # (code, mention) of each care domain printed on the card: ("PHAR", "100/100"), ("OPTI",
    # "SP"); one per code, the first guarantee's.
    codes: list[tuple[str, str]]
    # The harmonised block (inter-AMC attestation) and the back, from the branding.
    amc_number: str = ""
    convention_type: str = ""
    routing_criterion: str = ""
    operator: str = ""
    professional_phone: str = ""
    # Contrat responsable: an "R" on the card.
    responsible: bool = False

    @property
    def routing_data(self) -> str:
        """What the card's DataMatrix carries: the routing data of the harmonised block, in
        the characters the code writes safely (capitals, digits, space, "|", "/")."""
        fields = [
            ("AMC", self.amc_number),
            ("CONV", self.convention_type),
            ("CSR", self.routing_criterion),
            ("ADH", self.member.member_number),
            ("DEB", self.valid_from.strftime("%d/%m/%Y")),
            ("FIN", self.valid_until.strftime("%d/%m/%Y")),
        ]
        if self.responsible:
            fields.append(("R", "1"))
        data = "|".join(f"{label} {value}" for label, value in fields)
        return "TPH1|" + "".join(c for c in data.upper() if c.isalnum() or c in " |/-.")


def tiers_payant_card(
    member: Member, person: Person, *, today: datetime.date | None = None
) -> TiersPayantCard | None:
    """The card of `person` (the member or one of their beneficiaries), or None when no card
    may be offered: no contract covers the member today, or the beneficiary was removed.

    A card is valid for the calendar year, within the contract's dates (and the beneficiary's
    own end of cover). The member's card lists the member and the beneficiaries still covered;
    a beneficiary's card lists that beneficiary.
    """
    today = today or timezone.localdate()
    contract = current_contract(member, today)
    if contract is None or not person.covered_on(today):
        return None
    ends = [datetime.date(today.year, 12, 31)]
    if contract.end_date:
        ends.append(contract.end_date)
    if person.beneficiary is not None and person.beneficiary.cover_end:
        ends.append(person.beneficiary.cover_end)
    if person.is_member:
        people = [_holder(member), *map(_holder, covered_beneficiaries(member, today))]
    else:
        people = [_holder(person.beneficiary)]
    codes: dict[str, str] = {}
    for guarantee in contract.product.guarantees.all():
        if guarantee.card_code and guarantee.card_code not in codes:
            codes[guarantee.card_code] = card_mention(guarantee.card_value)
    branding = Branding.current()
    return TiersPayantCard(
        contract=contract,
        member=member,
        person=person,
        people=people,
        valid_from=max(contract.start_date, datetime.date(today.year, 1, 1)),
        valid_until=min(ends),
        codes=list(codes.items()),
        amc_number=branding.amc_number,
        convention_type=branding.card_convention_type,
        routing_criterion=branding.card_routing_criterion,
        operator=branding.card_operator,
        professional_phone=branding.professional_phone,
        responsible=contract.product.responsible,
    )


def card_refusal(member: Member, person: Person, *, today: datetime.date | None = None) -> str:
    """Why no card is offered for `person` ("" when one is)."""
    today = today or timezone.localdate()
    if current_contract(member, today) is None:
        return _(
            "Aucun contrat ne vous couvre aujourd'hui : aucune carte de tiers payant ne peut "
            "être délivrée. Pour toute question, contactez-nous."
        )
    if not person.covered_on(today):
        return _(
            "%(name)s n'est plus couvert(e) par votre contrat depuis le %(end)s : sa carte de "
            "tiers payant ne peut plus être délivrée."
        ) % {"name": person.full_name, "end": day(person.beneficiary.cover_end)}
    return ""


def same_value_mention(insurer: str) -> str:
    return _(
        "Cette carte de tiers payant a la même valeur que celle adressée par courrier par "
        "%(insurer)s."
    ) % {"insurer": insurer}


def _contract_facts(contract: Contract) -> list[tuple[str, str]]:
    member = contract.member
    facts = [
        (member_label(member), f"{member.get_civility_display()} {member.full_name}"),
        (_("Numéro d'adhérent"), member.member_number),
        (_("Numéro de contrat"), contract.number),
        (_("Formule"), str(contract.product)),
        (_("Type de contrat"), contract.get_kind_display()),
    ]
    if contract.is_collective and contract.company_name:
        facts.append((_("Société"), contract.company_name))
    facts.append((_("Date d'entrée"), day(contract.start_date)))
    if contract.end_date:
        facts.append((_("Date de radiation"), day(contract.end_date)))
    return facts


# -- Tableau des garanties -----------------------------------------------------------------------


def guarantees_document(contract: Contract) -> Document:
    """The table of guarantees of the contract's formule, with its subscribed options."""
    document = Document(
        _("Tableau des garanties"), subject=_("Contrat %(number)s") % {"number": contract.number}
    )
    document.facts(_contract_facts(contract))
    document.heading(_("Garanties de la formule %(product)s") % {"product": contract.product})
    care_labels = dict(CareType.choices)
    guarantees: list[Guarantee] = list(contract.product.guarantees.all())
    if guarantees:
        document.table(
            [_("Type de soins"), _("Garantie"), _("Remboursement")],
            [[care_labels.get(g.care_type, g.care_type), g.label, g.coverage] for g in guarantees],
            widths=[45 * mm, 85 * mm, None],
        )
    else:
        document.paragraph(_("Aucune garantie n'est enregistrée pour cette formule."))
    options = list(contract.options.all())
    if options:
        document.heading(_("Options souscrites"))
        document.table(
            [_("Option"), _("Description"), _("Prix mensuel")],
            [[o.name, o.description, euros(o.monthly_price)] for o in options],
            widths=[45 * mm, 95 * mm, None],
            numeric=(2,),
        )
    document.spacer()
    document.paragraph(
        _(
            "BR : base de remboursement de la Sécurité sociale. FR : frais réels. Les "
            "remboursements incluent ceux de la Sécurité sociale, sauf mention contraire."
        ),
        document.styles.small,
    )
    return document


def guarantees_pdf(contract: Contract) -> bytes:
    return guarantees_document(contract).render()


# -- Certificates --------------------------------------------------------------------------------


def _people_table(document: Document, people: list[CardHolder]):
    document.table(
        [_("Nom et prénom"), _("Qualité"), _("Date de naissance")],
        [[p.name, p.relationship, day(p.birth_date)] for p in people],
        widths=[75 * mm, 45 * mm, None],
    )


def member_label(member: Member) -> str:
    """ "Adhérente" or "Adhérent", from the civility."""
    return _("Adhérente") if member.civility == Civility.MADAME else _("Adhérent")


def _agreement(member: Member) -> dict[str, str]:
    """The words of a certificate that agree with the member's civility ("Madame … adhérente,
    affiliée"; "Monsieur … adhérent, affilié"), never "adhérent(e)"."""
    if member.civility == Civility.MADAME:
        return {
            "member_word": _("adhérente"),
            "affiliated": _("affiliée"),
            "struck_off": _("radiée"),
            "covered": _("couverte"),
        }
    return {
        "member_word": _("adhérent"),
        "affiliated": _("affilié"),
        "struck_off": _("radié"),
        "covered": _("couvert"),
    }


def _issued(document: Document, today: datetime.date):
    """The place of issue and the signature block: the signatory's name and role from the
    branding, else the members' department."""
    document.spacer(8 * mm)
    document.paragraph(
        _("Fait pour servir et valoir ce que de droit, le %(today)s.") % {"today": day(today)}
    )
    branding = Branding.current()
    document.spacer(4 * mm)
    document.paragraph(_("Pour %(insurer)s,") % {"insurer": document.brand.name})
    if branding.signatory_name:
        document.paragraph(branding.signatory_name, document.styles.strong)
        if branding.signatory_role:
            document.paragraph(branding.signatory_role)
    else:
        document.paragraph(_("Le service gestion des adhérents"))


def affiliation_document(contract: Contract, *, today: datetime.date | None = None) -> Document:
    """Certificat d'affiliation: the contract's period and the people it covers (the member and
    the beneficiaries not removed on the last day it applies to)."""
    today = today or timezone.localdate()
    member = contract.member
    document = Document(
        _("Certificat d'affiliation"), subject=_("Contrat %(number)s") % {"number": contract.number}
    )
    values = {
        "insurer": document.brand.name,
        "civility": member.get_civility_display(),
        "name": member.full_name,
        "number": member.member_number,
        "contract": contract.number,
        "product": contract.product,
        "start": day(contract.start_date),
        "end": day(contract.end_date),
        **_agreement(member),
    }
    if contract.end_date and contract.end_date < today:
        sentence = _(
            "%(insurer)s certifie que %(civility)s %(name)s, %(member_word)s n° %(number)s, a été "
            "%(affiliated)s au contrat n° %(contract)s, formule %(product)s, du %(start)s au "
            "%(end)s inclus."
        )
        on = contract.end_date
    elif contract.start_date > today:
        sentence = _(
            "%(insurer)s certifie que %(civility)s %(name)s, %(member_word)s n° %(number)s, "
            "est %(affiliated)s au contrat n° %(contract)s, formule %(product)s, à compter du "
            "%(start)s."
        )
        on = contract.start_date
    else:
        sentence = _(
            "Nous certifions que %(civility)s %(name)s, %(member_word)s n° %(number)s, est "
            "%(affiliated)s au contrat n° %(contract)s, formule %(product)s, auprès de "
            "%(insurer)s depuis le %(start)s."
        )
        on = today
    document.paragraph(sentence % values)
    if contract.end_date and contract.end_date >= today:
        document.paragraph(
            _("Ce contrat prend fin le %(end)s (date de radiation).") % {"end": values["end"]}
        )
    document.facts(_contract_facts(contract))
    document.heading(_("Personnes couvertes par ce contrat"))
    _people_table(document, [_holder(member), *map(_holder, covered_beneficiaries(member, on))])
    _issued(document, today)
    return document


def affiliation_pdf(contract: Contract, *, today: datetime.date | None = None) -> bytes:
    return affiliation_document(contract, today=today).render()


def radiation_document(contract: Contract, *, today: datetime.date | None = None) -> Document:
    """Certificat de radiation: the last day the contract covered the member (end_date set)."""
    today = today or timezone.localdate()
    member = contract.member
    document = Document(
        _("Certificat de radiation"), subject=_("Contrat %(number)s") % {"number": contract.number}
    )
    if contract.end_date < today:
        sentence = _(
            "Nous certifions que %(civility)s %(name)s, %(member_word)s n° %(number)s, a été "
            "%(struck_off)s du contrat n° %(contract)s, formule %(product)s, souscrit auprès de "
            "%(insurer)s. Ce contrat l'a %(covered)s du %(start)s au %(end)s inclus, date de sa "
            "radiation."
        )
    else:
        sentence = _(
            "Nous certifions que %(civility)s %(name)s, %(member_word)s n° %(number)s, sera "
            "%(struck_off)s du contrat n° %(contract)s, formule %(product)s, souscrit auprès de "
            "%(insurer)s. Ce contrat couvre %(civility)s %(name)s du %(start)s au %(end)s "
            "inclus, date de sa radiation."
        )
    document.paragraph(
        sentence
        % {
            "insurer": document.brand.name,
            "civility": member.get_civility_display(),
            "name": member.full_name,
            "number": member.member_number,
            "contract": contract.number,
            "product": contract.product,
            "start": day(contract.start_date),
            "end": day(contract.end_date),
            **_agreement(member),
        }
    )
    document.facts(_contract_facts(contract))
    _issued(document, today)
    return document


def radiation_pdf(contract: Contract, *, today: datetime.date | None = None) -> bytes:
    return radiation_document(contract, today=today).render()
