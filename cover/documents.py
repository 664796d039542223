"""The documents of "Mes contrats" and "Ma carte de tiers payant" (guides 002 and 003), as PDFs.

Each is a `cover.pdf.Document` (the insurer's logo, name, colours and footer on every page):
the table of guarantees (tableau des garanties), the certificates of affiliation and of
radiation, and the tiers-payant card. `tiers_payant_card` decides what a card shows, for the
HTML page and the PDF alike, so both always say the same thing.
"""

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Table, TableStyle

from accounts.models import Beneficiary, Member
from cover.models import CareType, Contract, Guarantee
from cover.pdf import Document, day, euros, text
from cover.selectors import Person, current_contract

# -- What the member's documents show ----------------------------------------------------------


def covered_beneficiaries(member: Member, on: datetime.date) -> list[Beneficiary]:
    """The member's beneficiaries not removed from the contract on `on`."""
    return [b for b in member.beneficiaries.all() if b.cover_end is None or on <= b.cover_end]


@dataclass(frozen=True)
class CardHolder:
    """Someone printed on a card or a certificate."""

    name: str
    birth_date: datetime.date
    relationship: str


def _holder(record) -> CardHolder:
    if isinstance(record, Beneficiary):
        return CardHolder(record.full_name, record.birth_date, record.get_relationship_display())
    return CardHolder(record.full_name, record.birth_date, _("Adhérent(e)"))


@dataclass(frozen=True)
class TiersPayantCard:
    """Carte de tiers payant: what it shows, computed once for the page and the PDF."""

    contract: Contract
    member: Member
    person: Person
    people: list[CardHolder]
    valid_from: datetime.date
    valid_until: datetime.date
    # (code, mention) of each guarantee printed on the card: ("PHAR", "100/100").
    codes: list[tuple[str, str]]


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
    return TiersPayantCard(
        contract=contract,
        member=member,
        person=person,
        people=people,
        valid_from=max(contract.start_date, datetime.date(today.year, 1, 1)),
        valid_until=min(ends),
        codes=[
            (g.card_code, g.card_value) for g in contract.product.guarantees.all() if g.card_code
        ],
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
        (_("Adhérent(e)"), f"{member.get_civility_display()} {member.full_name}"),
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


def guarantees_pdf(contract: Contract) -> bytes:
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
    return document.render()


# -- Certificates --------------------------------------------------------------------------------


def _people_table(document: Document, people: list[CardHolder]):
    document.table(
        [_("Nom et prénom"), _("Qualité"), _("Date de naissance")],
        [[p.name, p.relationship, day(p.birth_date)] for p in people],
        widths=[75 * mm, 45 * mm, None],
    )


def _issued(document: Document, today: datetime.date):
    document.spacer(8 * mm)
    document.paragraph(
        _("Fait pour servir et valoir ce que de droit, le %(today)s.") % {"today": day(today)}
    )
    document.paragraph(
        _("%(insurer)s, service gestion des adhérents") % {"insurer": document.brand.name}
    )


def affiliation_pdf(contract: Contract, *, today: datetime.date | None = None) -> bytes:
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
    }
    if contract.end_date and contract.end_date < today:
        sentence = _(
            "%(insurer)s certifie que %(civility)s %(name)s, adhérent(e) n° %(number)s, a été "
            "affilié(e) au contrat n° %(contract)s, formule %(product)s, du %(start)s au "
            "%(end)s inclus."
        )
        on = contract.end_date
    elif contract.start_date > today:
        sentence = _(
            "%(insurer)s certifie que %(civility)s %(name)s, adhérent(e) n° %(number)s, est "
            "affilié(e) au contrat n° %(contract)s, formule %(product)s, à compter du %(start)s."
        )
        on = contract.start_date
    else:
        sentence = _(
            "Nous certifions que %(civility)s %(name)s, adhérent(e) n° %(number)s, est "
            "affilié(e) au contrat n° %(contract)s, formule %(product)s, auprès de "
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
    return document.render()


def radiation_pdf(contract: Contract, *, today: datetime.date | None = None) -> bytes:
    """Certificat de radiation: the last day the contract covered the member (end_date set)."""
    today = today or timezone.localdate()
    member = contract.member
    document = Document(
        _("Certificat de radiation"), subject=_("Contrat %(number)s") % {"number": contract.number}
    )
    if contract.end_date < today:
        sentence = _(
            "Nous certifions que %(civility)s %(name)s, adhérent(e) n° %(number)s, a été "
            "radié(e) du contrat n° %(contract)s, formule %(product)s, souscrit auprès de "
            "%(insurer)s. Ce contrat l'a couvert(e) du %(start)s au %(end)s inclus, date de sa "
            "radiation."
        )
    else:
        sentence = _(
            "Nous certifions que %(civility)s %(name)s, adhérent(e) n° %(number)s, sera "
            "radié(e) du contrat n° %(contract)s, formule %(product)s, souscrit auprès de "
            "%(insurer)s. Ce contrat le (la) couvre du %(start)s au %(end)s inclus, date de sa "
            "radiation."
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
        }
    )
    document.facts(_contract_facts(contract))
    _issued(document, today)
    return document.render()


# -- Carte de tiers payant -----------------------------------------------------------------------
CARD_WIDTH = 160 * mm
CODES_PER_ROW = 7


class Logo(Flowable):
    """The insurer's logo (the brand's image bytes) at a given height, never wider than
    `max_width`."""

    def __init__(self, data: bytes, *, height: float, max_width: float):
        super().__init__()
        reader = ImageReader(io.BytesIO(data))
        image_width, image_height = reader.getSize()
        self.reader = reader
        self.height = height
        self.width = min(height * image_width / image_height, max_width)
        self.height = self.width * image_height / image_width

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


def _card_table(document: Document, card: TiersPayantCard) -> Table:
    """The card itself: a bordered, rounded block in the insurer's colours."""
    brand, styles = document.brand, document.styles
    on_brand = ParagraphStyle("card_band", parent=styles.body, textColor=colors.white)
    title = ParagraphStyle(
        "card_title", parent=styles.heading, spaceBefore=0, spaceAfter=0, alignment=2
    )
    strong = ParagraphStyle("card_strong", parent=styles.cell, fontName="Helvetica-Bold")
    if brand.logo is not None:
        identity = Logo(brand.logo, height=10 * mm, max_width=CARD_WIDTH * 0.4)
    else:
        identity = text(brand.name, title.clone("card_name", alignment=0))
    heading = [text(_("Carte de tiers payant"), title)]
    if brand.amc_number:
        heading.append(text(_("N° AMC : %(amc)s") % {"amc": brand.amc_number}, styles.right))
    # Without a logo, the insurer's name already heads the card.
    identity_block = [text(brand.name, strong)] if brand.logo is not None else []
    identity_block += [
        text(_("N° d'adhérent : %(number)s") % {"number": card.member.member_number}, styles.cell),
        text(_("Titulaire : %(name)s") % {"name": card.member.full_name}, styles.cell),
        text(_("Contrat n° %(number)s") % {"number": card.contract.number}, styles.cell),
        text(str(card.contract.product), styles.cell),
    ]
    people_block = [text(_("Bénéficiaires de la carte"), strong)] + [
        text(f"{p.name} · {day(p.birth_date)} · {p.relationship}", styles.cell) for p in card.people
    ]
    rows = [
        [identity, heading],
        [
            text(
                _("Période de validité : du %(start)s au %(end)s")
                % {"start": day(card.valid_from), "end": day(card.valid_until)},
                on_brand,
            ),
            "",
        ],
        [identity_block, people_block],
    ]
    commands = [
        ("ROUNDEDCORNERS", [3 * mm] * 4),
        ("BOX", (0, 0), (-1, -1), 1.2, brand.primary),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("SPAN", (0, 1), (-1, 1)),
        ("BACKGROUND", (0, 1), (-1, 1), brand.primary),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
    ]
    if card.codes:
        columns = min(len(card.codes), CODES_PER_ROW)
        codes_rows = []
        for start in range(0, len(card.codes), CODES_PER_ROW):
            chunk = card.codes[start : start + CODES_PER_ROW]
            padding = [""] * (columns - len(chunk))
            codes_rows.append([text(code, strong) for code, _value in chunk] + padding)
            codes_rows.append([text(value, styles.cell) for _code, value in chunk] + padding)
        codes = Table(
            codes_rows, colWidths=[(CARD_WIDTH - 8 * mm) / CODES_PER_ROW] * columns, hAlign="LEFT"
        )
        codes_style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c2cc"))]
        for index in range(0, len(codes_rows), 2):
            codes_style.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#eef1f5")))
        codes.setStyle(TableStyle(codes_style))
        rows.append([[text(_("Garanties (codes carte)"), strong), codes], ""])
        commands.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
    rows.append([text(same_value_mention(brand.name), styles.small), ""])
    commands += [
        ("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
        ("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 0.6, brand.accent),
        ("BOTTOMPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 3 * mm),
    ]
    table = Table(rows, colWidths=[CARD_WIDTH * 0.45, CARD_WIDTH * 0.55], hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def card_pdf(card: TiersPayantCard) -> bytes:
    """The tiers-payant card to print, with how to use it."""
    document = Document(
        _("Carte de tiers payant"),
        subject=_("Carte de %(name)s") % {"name": card.person.full_name},
    )
    document.story.append(_card_table(document, card))
    document.spacer(6 * mm)
    document.paragraph(
        _(
            "Présentez cette carte, avec votre carte Vitale, à votre pharmacien, à votre "
            "laboratoire ou à l'établissement de santé pour ne pas avancer les frais pris en "
            "charge par l'assurance maladie et par %(insurer)s. En cas de perte ou de vol, "
            "vous pouvez l'imprimer de nouveau depuis votre espace."
        )
        % {"insurer": document.brand.name}
    )
    return document.render()
