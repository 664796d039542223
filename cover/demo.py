"""Demo cover for `make run`: formules and their guarantees, options, contracts, social-security
identities, bank details, and a year of reimbursements for the demo members.

Running it again changes nothing but the dates: the reimbursements are drawn from a seeded
generator, always the same, and placed relative to today (as the demo conventions are), so the
home page's 12-month summary is never empty. Rows are found again by their identifiers (product
code, guarantee label, contract and payment numbers, line `external_id`), never duplicated.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from stdnum import iban, luhn
from stdnum.fr import nir

from accounts.models import Beneficiary, Member
from cover.models import (
    BankDetails,
    CareType,
    Contract,
    ContractKind,
    Guarantee,
    OptionalCover,
    PayeeKind,
    Payment,
    Product,
    Reimbursement,
)
from portal.models import Branding

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# -- Formules, guarantees, options ---------------------------------------------------------------
# care_type, label, coverage, terms, card code, card mention
CONFORT_GUARANTEES = [
    (CareType.CONSULTATION, "Consultations et visites de généralistes", "150 % BR",
     "Remboursé sur la base du décompte de l'Assurance Maladie, sans démarche de votre part "
     "si la télétransmission NOEMIE est active. Dépassements d'honoraires pris en charge "
     "jusqu'à 150 % de la base de remboursement (100 % chez un médecin non adhérent à "
     "l'OPTAM).", "MED", "150"),
    (CareType.CONSULTATION, "Consultations et visites de spécialistes", "150 % BR",
     "Comme les consultations de généralistes ; le parcours de soins coordonnés doit être "
     "respecté (médecin traitant déclaré).", "", ""),
    (CareType.PHARMACY, "Médicaments remboursés par la Sécurité sociale", "100 % BR",
     "Tiers payant en pharmacie sur présentation de votre carte : vous n'avancez pas les "
     "frais.", "PHAR", "100/100"),
    (CareType.LAB, "Analyses et examens de laboratoire, radiologie", "100 % BR",
     "Tiers payant dans les laboratoires et cabinets de radiologie.", "LABO", "100"),
    (CareType.PARAMEDICAL, "Auxiliaires médicaux (kinésithérapeutes, infirmiers...)",
     "100 % BR", "Remboursé automatiquement après l'Assurance Maladie.", "AUXM", "100"),
    (CareType.DENTAL, "Soins dentaires", "100 % BR",
     "Détartrage, soins conservateurs : remboursés après l'Assurance Maladie.", "DENT", "300"),
    (CareType.DENTAL, "Prothèses dentaires", "300 % BR",
     "Envoyez-nous le devis avant les soins : nous vous indiquons votre reste à charge. "
     "Tiers payant chez les dentistes partenaires.", "", ""),
    (CareType.OPTICS, "Lunettes (monture et verres)", "250 € par an",
     "Un équipement tous les deux ans (tous les ans pour les moins de 16 ans ou si la vue "
     "change). Tiers payant chez les opticiens.", "OPTI", "SP"),
    (CareType.OPTICS, "Lentilles de contact", "100 € par an",
     "Envoyez-nous la facture acquittée et la prescription.", "", ""),
    (CareType.AUDIO, "Aides auditives", "900 € par oreille",
     "Une aide par oreille tous les quatre ans. Envoyez-nous le devis avant l'achat.",
     "AUDI", "SP"),
    (CareType.HOSPITAL, "Frais de séjour et honoraires", "100 % FR",
     "Prise en charge à demander avant l'hospitalisation : la clinique est payée "
     "directement.", "HOSP", "100"),
    (CareType.HOSPITAL, "Forfait journalier hospitalier", "100 % FR",
     "Sans limite de durée.", "", ""),
    (CareType.HOSPITAL, "Chambre particulière", "60 € par nuit",
     "Dans la limite de 60 nuits par an.", "", ""),
    (CareType.DEVICES, "Appareillage et orthopédie", "150 % BR",
     "Sur prescription médicale, remboursé après l'Assurance Maladie.", "APPA", "150"),
    (CareType.SOFT_MEDICINE, "Médecine douce (ostéopathie, chiropraxie, acupuncture...)",
     "40 € par séance, 4 séances par an",
     "Envoyez-nous la facture du praticien avec votre demande « Médecine douce ».", "", ""),
]  # fmt: skip

ENTREPRISE_GUARANTEES = [
    (CareType.CONSULTATION, "Consultations et visites", "200 % BR",
     "Remboursé après l'Assurance Maladie, par télétransmission NOEMIE.", "MED", "200"),
    (CareType.PHARMACY, "Pharmacie", "100 % BR", "Tiers payant en pharmacie.", "PHAR",
     "100/100"),
    (CareType.LAB, "Analyses et radiologie", "100 % BR", "Tiers payant.", "LABO", "100"),
    (CareType.PARAMEDICAL, "Auxiliaires médicaux", "100 % BR",
     "Remboursé après l'Assurance Maladie.", "AUXM", "100"),
    (CareType.DENTAL, "Soins et prothèses dentaires", "350 % BR",
     "Envoyez-nous le devis avant les prothèses.", "DENT", "350"),
    (CareType.OPTICS, "Optique", "350 € par an", "Tiers payant chez les opticiens.", "OPTI",
     "SP"),
    (CareType.AUDIO, "Aides auditives", "1 000 € par oreille",
     "Une aide par oreille tous les quatre ans.", "AUDI", "SP"),
    (CareType.HOSPITAL, "Hospitalisation", "100 % FR",
     "Prise en charge à demander avant l'hospitalisation.", "HOSP", "100"),
    (CareType.DEVICES, "Appareillage", "200 % BR", "Sur prescription médicale.", "APPA",
     "200"),
    (CareType.SOFT_MEDICINE, "Médecine douce", "50 € par séance, 5 séances par an",
     "Envoyez-nous la facture du praticien.", "", ""),
]  # fmt: skip

PRODUCTS = [
    # code, name, level, description, guarantees
    ("SANTE-CONFORT-3", "Santé Confort", "Niveau 3",
     "La formule individuelle pour toute la famille : soins courants, optique, dentaire et "
     "hospitalisation bien couverts.", CONFORT_GUARANTEES),
    ("SANTE-ENTREPRISE-2", "Santé Entreprise", "Niveau 2",
     "Le contrat collectif des salariés, négocié par l'employeur.", ENTREPRISE_GUARANTEES),
]  # fmt: skip

OPTIONS = [
    # code, name, description, monthly price
    ("RENFORT-OPTIQUE", "Renfort Optique",
     "100 € de plus par an pour vos lunettes ou lentilles.", "6.50"),
    ("RENFORT-DENTAIRE", "Renfort Dentaire",
     "Prothèses et implants remboursés jusqu'à 400 % BR.", "8.90"),
    ("MEDECINES-DOUCES", "Médecines douces +",
     "Deux séances de plus par an, et la diététique.", "4.20"),
]  # fmt: skip

CONTRACTS = {
    # member number -> [(number, product code, kind, company, SIRET (SIREN without its key,
    # establishment without its key), start, end, options)]
    "100001": [
        ("CT-2016-100001", "SANTE-ENTREPRISE-2", ContractKind.COLLECTIVE, "Librairie du Port",
         ("43219876", "0001"), datetime.date(2016, 9, 1), datetime.date(2020, 12, 31), []),
        ("CT-2021-100001", "SANTE-CONFORT-3", ContractKind.INDIVIDUAL, "", None,
         datetime.date(2021, 1, 1), None, ["RENFORT-OPTIQUE"]),
    ],
    "100002": [
        ("CT-2019-100002", "SANTE-CONFORT-3", ContractKind.INDIVIDUAL, "", None,
         datetime.date(2019, 4, 1), None, ["RENFORT-DENTAIRE", "MEDECINES-DOUCES"]),
    ],
    "100003": [
        ("CT-2024-100003", "SANTE-CONFORT-3", ContractKind.INDIVIDUAL, "", None,
         datetime.date(2024, 2, 1), None, []),
    ],
    "100004": [
        ("CT-2022-100004", "SANTE-ENTREPRISE-2", ContractKind.COLLECTIVE,
         "Transports Aquitains", ("53209186", "0001"), datetime.date(2022, 9, 1), None, []),
    ],
}  # fmt: skip
# Whom a collective member asks for the changes his employer makes (cover.collective).
COMPANY_CONTACTS = {
    "CT-2016-100001": "Service du personnel, 05 56 10 20 30",
    "CT-2022-100004": (
        "Service des ressources humaines, 05 56 44 55 66, rh@transports-aquitains.example"
    ),
}

# -- Social-security identities (the key is computed) ---------------------------------------------
ORGANISM_GIRONDE = "013318001"  # régime général, CPAM de la Gironde
ORGANISM_PAU = "016418001"  # régime général, CPAM de Pau-Pyrénées
# member number -> (first 13 digits of the NIR, organism, NOEMIE teletransmission)
MEMBER_IDENTITIES = {
    "100001": ("2800533063123", ORGANISM_GIRONDE, True),
    "100002": ("1650964445011", ORGANISM_PAU, True),
    "100003": ("2900133063154", ORGANISM_GIRONDE, False),
    "100004": ("1880433063087", ORGANISM_GIRONDE, True),
}
# (member number, first name) -> (NIR, organism, teletransmission, email, phone)
BENEFICIARY_IDENTITIES = {
    ("100001", "Paul"): ("1781175056042", ORGANISM_GIRONDE, True, "paul.martin@example.org",
                         "+33687654321"),
    ("100001", "Lucas"): ("1120333063217", ORGANISM_GIRONDE, False, "", ""),
}  # fmt: skip
# member number -> (bank code, branch code, account number, BIC)
BANK_ACCOUNTS = {
    "100001": ("30006", "00001", "12345678901", "AGRIFRPP"),
    "100002": ("10907", "00001", "23456789012", "CCBPFRPP"),
    "100003": ("30004", "00820", "34567890123", "BNPAFRPP"),
    "100004": ("20041", "01001", "45678901234", "PSSTFRPP"),
}
BRANDING_ADDRESS = "Mutuelle Démo\nService Prestations\n12 cours du Chapeau-Rouge\n33000 Bordeaux"
BRANDING_AMC = "775685399"
# The card's harmonised block and back (issue 15), and the certificates' signatory.
BRANDING_CARD = {
    "card_convention_type": "ST",
    "card_routing_criterion": "01",
    "card_operator": "Réseau Tiers Payant Démo",
    "professional_phone": "05 56 00 11 22",
    "signatory_name": "Claire DURAND",
    "signatory_role": "Responsable du service adhérents",
    "document_legal_mentions": (
        "Mutuelle Démo, mutuelle régie par le livre II du Code de la mutualité, SIREN "
        "123 456 789. Sous le contrôle de l'ACPR, 4 place de Budapest, 75436 Paris cedex 09."
    ),
}


def full_nir(first13: str) -> str:
    return first13 + nir.calc_check_digits(first13)


def french_iban(bank: str, branch: str, account: str) -> str:
    """A French IBAN whose RIB key and IBAN check digits are both right."""
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    return f"FR{iban.calc_check_digits('FR00' + bban)}{bban}"


def valid_siret(siren: str, nic: str) -> str:
    """A SIRET from the first 8 digits of the SIREN and the 4 of the establishment: both keys
    (Luhn) computed."""
    siren += luhn.calc_check_digit(siren)
    return siren + nic + luhn.calc_check_digit(siren + nic)


# -- A year of care ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Act:
    """One kind of reimbursed act and how it is paid back.

    `rule` is the insurer's: ("br", m) pays up to m times the base (m = 1.5 for "150 % BR"),
    ("fr",) the real cost less the Sécurité sociale, ("flat", x) up to x euros. The franchise
    (participation forfaitaire) is never paid back by anyone."""

    care_type: str
    label: str
    practitioner: str
    low: str
    high: str
    base: str | None  # None: the base is the real cost
    ss_rate: str
    franchise: str
    rule: tuple
    payee: str = ""  # a professional paid directly (tiers payant); "" for the member


ACTS = {
    "gp": Act(CareType.CONSULTATION, "Consultation médecin généraliste", "Dr Jeanne LEROY",
              "30", "30", "30", "0.70", "2", ("br", "1")),
    "paediatrician": Act(CareType.CONSULTATION, "Consultation pédiatre", "Dr Antoine FAURE",
                         "45", "50", "32", "0.70", "2", ("br", "1.5")),
    "dermatologist": Act(CareType.CONSULTATION, "Consultation dermatologue",
                         "Dr Claire VIDAL", "60", "80", "31.50", "0.70", "2", ("br", "1.5")),
    "drugs": Act(CareType.PHARMACY, "Médicaments remboursés à 65 %", "Pharmacie du Centre",
                 "8", "48", None, "0.65", "1", ("br", "1"), "Pharmacie du Centre"),
    "drugs_30": Act(CareType.PHARMACY, "Médicaments remboursés à 30 %", "Pharmacie du Centre",
                    "5", "22", None, "0.30", "1", ("br", "1"), "Pharmacie du Centre"),
    "blood": Act(CareType.LAB, "Analyses de sang", "Laboratoire BioAquitaine", "25", "70",
                 None, "0.60", "2", ("br", "1"), "Laboratoire BioAquitaine"),
    "xray": Act(CareType.LAB, "Radiographie", "Cabinet de radiologie des Quinconces", "45",
                "45", "39.90", "0.70", "2", ("br", "1.5")),
    "physio": Act(CareType.PARAMEDICAL, "Séance de kinésithérapie",
                  "M. Julien ROUSSEL, kinésithérapeute", "20", "20", "18.40", "0.60", "1",
                  ("br", "1")),
    "nurse": Act(CareType.PARAMEDICAL, "Soins infirmiers", "Mme Sophie MOREL, infirmière",
                 "15", "15", "15", "0.60", "1", ("br", "1")),
    "scaling": Act(CareType.DENTAL, "Détartrage", "Dr Hélène GARNIER, chirurgien-dentiste",
                   "28.92", "28.92", "28.92", "0.60", "2", ("br", "1")),
    "filling": Act(CareType.DENTAL, "Soins conservateurs (carie)",
                   "Dr Hélène GARNIER, chirurgien-dentiste", "40.97", "40.97", "40.97", "0.60",
                   "2", ("br", "1")),
    "crown": Act(CareType.DENTAL, "Couronne céramique", "Centre dentaire Saint-Jean", "550",
                 "550", "120", "0.60", "0", ("br", "3"), "Centre dentaire Saint-Jean"),
    "glasses": Act(CareType.OPTICS, "Lunettes : monture et deux verres", "Optique du Cours",
                   "380", "460", "0.09", "0.60", "0", ("flat", "250"), "Optique du Cours"),
    "lenses": Act(CareType.OPTICS, "Lentilles de contact", "Optique du Cours", "120", "120",
                  "39.48", "0.60", "0", ("flat", "100")),
    "hearing": Act(CareType.AUDIO, "Aide auditive (classe II)", "Audition Conseil", "1400",
                   "1400", "400", "0.60", "0", ("flat", "900"), "Audition Conseil"),
    "stay": Act(CareType.HOSPITAL, "Frais de séjour (3 jours)", "Clinique des Lilas", "2450",
                "2450", None, "0.80", "0", ("fr",), "Clinique des Lilas"),
    "daily": Act(CareType.HOSPITAL, "Forfait journalier hospitalier (3 jours)",
                 "Clinique des Lilas", "60", "60", "0", "0", "0", ("fr",),
                 "Clinique des Lilas"),
    "surgeon": Act(CareType.HOSPITAL, "Honoraires du chirurgien", "Dr Pierre LAMBERT",
                   "450", "450", "313.50", "1", "0", ("br", "2"), "Clinique des Lilas"),
    "room": Act(CareType.HOSPITAL, "Chambre particulière (3 nuits)", "Clinique des Lilas",
                "210", "210", "0", "0", "0", ("flat", "180"), "Clinique des Lilas"),
    "splint": Act(CareType.DEVICES, "Attelle de poignet", "Orthopédie Mériadeck", "65", "65",
                  "45.73", "0.60", "0", ("br", "1.5")),
    "insoles": Act(CareType.DEVICES, "Semelles orthopédiques", "Orthopédie Mériadeck", "120",
                   "120", "28.86", "0.60", "0", ("br", "1.5")),
    "osteopathy": Act(CareType.SOFT_MEDICINE, "Séance d'ostéopathie",
                      "M. Thomas GIRAUD, ostéopathe", "55", "65", "0", "0", "0",
                      ("flat", "40")),
}  # fmt: skip

# What happens in a month, by weight: [(act, how many lines)].
ROUTINE = [
    (6, [("gp", 1), ("drugs", 1)]),
    (3, [("gp", 1), ("drugs", 1), ("drugs_30", 1)]),
    (2, [("dermatologist", 1)]),
    (2, [("physio", 3)]),
    (2, [("blood", 2)]),
    (1, [("xray", 1)]),
    (1, [("nurse", 2)]),
    (1, [("scaling", 1), ("filling", 1)]),
    (1, [("osteopathy", 1)]),
]
CHILD_ROUTINE = [
    (6, [("paediatrician", 1), ("drugs", 1)]),
    (2, [("gp", 1), ("drugs", 1)]),
    (1, [("scaling", 1)]),
    (1, [("physio", 2)]),
]
# (window, who: 0 the member, 1 the first beneficiary, 2 the second, [(act, lines)]): the rarer
# cares, so that the year shows every type of care.
MARIE_EVENTS = [
    (2, 0, [("glasses", 1)]),
    (3, 0, [("lenses", 1)]),
    (4, 2, [("splint", 1)]),
    (5, 2, [("stay", 1), ("daily", 1), ("surgeon", 1), ("room", 1)]),
    (7, 0, [("crown", 1)]),
    (9, 1, [("hearing", 1)]),
    (10, 1, [("insoles", 1)]),
]
WINDOWS = 12  # of 30 days, back from today
DEMO_PLANS = {
    # member number: (seed, the chance of each routine visit in a month for the member, then
    # for each beneficiary, the rarer events)
    "100001": (1001, (1.0, 0.6), (0.7,), MARIE_EVENTS),
    "100002": (1002, (0.8, 0.3), (), [(4, 0, [("glasses", 1)]), (8, 0, [("crown", 1)])]),
    "100004": (1004, (0.7,), (), [(6, 0, [("osteopathy", 1)])]),
}


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def amounts(act: Act, real: Decimal) -> dict[str, Decimal]:
    """The line's base, Sécurité sociale and insurer shares: never negative, never more than
    the real cost together."""
    base = real if act.base is None else min(real, Decimal(act.base))
    ss_gross = _money(base * Decimal(act.ss_rate))
    ss = max(ZERO, ss_gross - Decimal(act.franchise))
    kind = act.rule[0]
    if kind == "br":
        insurer = min(real, _money(base * Decimal(act.rule[1]))) - ss_gross
    elif kind == "fr":
        insurer = real - ss_gross
    else:
        insurer = Decimal(act.rule[1])
    insurer = max(ZERO, min(insurer, real - ss))
    return {"real_cost": real, "ss_base": base, "ss_share": ss, "insurer_share": insurer}


@dataclass
class PlannedLine:
    days_ago: int
    person: int  # 0 the member, n the n-th beneficiary
    act: Act
    real: Decimal


def plan_lines(number: str, people: list[str]) -> list[PlannedLine]:
    """The member's year of care, drawn from their seed: the same on every run. `people` are
    the relationships of the member ("") and of their beneficiaries, in order."""
    seed, member_visits, beneficiary_visits, events = DEMO_PLANS[number]
    rng = random.Random(seed)
    lines = []

    def add(window: int, person: int, acts):
        # Care at least 4 days ago in the newest window, so it has been paid.
        days_ago = 30 * window + rng.randint(4 if window == 0 else 0, 29)
        for name, count in acts:
            act = ACTS[name]
            for session in range(count):
                low, high = Decimal(act.low), Decimal(act.high)
                real = _money(low + (high - low) * Decimal(rng.random()))
                lines.append(PlannedLine(max(days_ago - 7 * session, 1), person, act, real))

    for window in range(WINDOWS):
        for person, relationship in enumerate(people):
            routine = CHILD_ROUTINE if relationship == "child" else ROUTINE
            weights = [weight for weight, _acts in routine]
            for chance in member_visits if person == 0 else beneficiary_visits:
                if rng.random() < chance:
                    add(window, person, rng.choices([acts for _w, acts in routine], weights)[0])
        for event_window, person, acts in events:
            if event_window == window and person < len(people):
                add(window, person, acts)
    return lines


@dataclass
class PlannedPayment:
    days_ago: int
    payee: str  # "" for the member
    lines: list[PlannedLine]


def plan_payments(lines: list[PlannedLine]) -> list[PlannedPayment]:
    """Tiers payant: one payment to each professional for a week's care. The member's own
    lines: one payment for each month's care (a décompte groups the family's acts), a few days
    after the last."""
    to_professionals: dict[tuple, list[PlannedLine]] = {}
    to_member: dict[int, list[PlannedLine]] = {}
    for line in lines:
        if line.act.payee:
            to_professionals.setdefault((line.days_ago // 7, line.act.payee), []).append(line)
        else:
            to_member.setdefault(line.days_ago // 30, []).append(line)
    payments = [
        PlannedPayment(max(min(line.days_ago for line in group) - 5, 0), payee, group)
        for (_week, payee), group in to_professionals.items()
    ]
    payments += [
        PlannedPayment(max(min(line.days_ago for line in group) - 3, 0), "", group)
        for group in to_member.values()
    ]
    # Oldest first, so that numbers grow with time.
    payments.sort(key=lambda payment: (-payment.days_ago, payment.payee))
    return payments


# -- Loading -------------------------------------------------------------------------------------
@transaction.atomic
def demo_cover_load(*, today: datetime.date | None = None) -> None:
    """Give the demo insurer its formules and options, and the demo members their contracts,
    identities, bank details and reimbursements. Idempotent; only dates follow today."""
    today = today or timezone.localdate()
    branding = Branding.current()
    changed = []
    if not branding.postal_address:
        branding.postal_address = BRANDING_ADDRESS
        changed.append("postal_address")
    if not branding.amc_number:
        branding.amc_number = BRANDING_AMC
        changed.append("amc_number")
    for field, value in BRANDING_CARD.items():
        if not getattr(branding, field):
            setattr(branding, field, value)
            changed.append(field)
    if changed:
        branding.save(update_fields=changed)

    products = {}
    for code, name, level, description, guarantees in PRODUCTS:
        product, _ = Product.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "description": description}
        )
        for position, (care_type, label, coverage, terms, card_code, card_value) in enumerate(
            guarantees
        ):
            Guarantee.objects.get_or_create(
                product=product,
                label=label,
                defaults={
                    "care_type": care_type,
                    "coverage": coverage,
                    "terms": terms,
                    "card_code": card_code,
                    "card_value": card_value,
                    "position": position,
                },
            )
        products[code] = product
    options = {}
    for position, (code, name, description, price) in enumerate(OPTIONS):
        options[code], _ = OptionalCover.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "monthly_price": Decimal(price),
                "position": position,
            },
        )

    members = {m.member_number: m for m in Member.objects.filter(member_number__in=CONTRACTS)}
    for number, member in members.items():
        _identity(member)
        for contract_number, product, kind, company, siret, start, end, chosen in CONTRACTS[number]:
            contract, created = Contract.objects.get_or_create(
                number=contract_number,
                defaults={
                    "member": member,
                    "product": products[product],
                    "kind": kind,
                    "company_name": company,
                    "company_siret": valid_siret(*siret) if siret else "",
                    "company_contact": COMPANY_CONTACTS.get(contract_number, ""),
                    "start_date": start,
                    "end_date": end,
                },
            )
            if created:
                contract.options.set([options[code] for code in chosen])
        if number in BANK_ACCOUNTS:
            bank, branch, account, bic = BANK_ACCOUNTS[number]
            BankDetails.objects.get_or_create(
                member=member,
                defaults={
                    "holder": f"{member.get_civility_display()} {member.full_name}",
                    "iban": french_iban(bank, branch, account),
                    "bic": bic,
                },
            )
        if number in DEMO_PLANS:
            _reimbursements(member, today)


def _identity(member: Member) -> None:
    first13, organism, teletransmission = MEMBER_IDENTITIES[member.member_number]
    if not member.nir:
        member.nir = full_nir(first13)
        member.organism_code = organism
        member.teletransmission = teletransmission
        member.save(update_fields=["nir", "organism_code", "teletransmission"])
    for position, beneficiary in enumerate(member.beneficiaries.order_by("pk"), start=1):
        identity = BENEFICIARY_IDENTITIES.get((member.member_number, beneficiary.first_name))
        if identity is None or beneficiary.nir:
            continue
        first13, organism, teletransmission, email, phone = identity
        beneficiary.nir = full_nir(first13)
        beneficiary.organism_code = organism
        beneficiary.teletransmission = teletransmission
        beneficiary.email = email
        beneficiary.phone = phone
        beneficiary.address_line1 = member.address_line1
        beneficiary.postcode = member.postcode
        beneficiary.city = member.city
        if not beneficiary.external_ref:
            beneficiary.external_ref = f"{member.member_number}-{position:02d}"
        beneficiary.save()


def _people(member: Member) -> list[Beneficiary | None]:
    """The member (None), then their beneficiaries: the spouse first, the children after."""
    beneficiaries = list(member.beneficiaries.all())
    beneficiaries.sort(key=lambda b: (b.relationship != "spouse", b.birth_date, b.pk))
    return [None, *beneficiaries]


def _reimbursements(member: Member, today: datetime.date) -> None:
    people = _people(member)
    relationships = [person.relationship if person else "" for person in people]
    planned = plan_payments(plan_lines(member.member_number, relationships))
    payments = []
    lines = []
    for index, plan in enumerate(planned, start=1):
        number = f"DEMO-{member.member_number}-{index:03d}"
        third_party = bool(plan.payee)
        payment = Payment(
            number=number,
            member=member,
            payment_date=today - datetime.timedelta(days=plan.days_ago),
            payee_kind=PayeeKind.PROFESSIONAL if third_party else PayeeKind.MEMBER,
            payee_name=plan.payee or member.full_name,
            amount=ZERO,
        )
        for position, line in enumerate(plan.lines, start=1):
            shares = amounts(line.act, line.real)
            payment.amount += shares["insurer_share"]
            lines.append(
                (
                    number,
                    Reimbursement(
                        external_id=f"{number}-{position}",
                        member=member,
                        beneficiary=people[line.person],
                        care_date=today - datetime.timedelta(days=line.days_ago),
                        care_type=line.act.care_type,
                        act=line.act.label,
                        practitioner=line.act.practitioner,
                        **shares,
                    ),
                )
            )
        payments.append(payment)
    saved = _sync(Payment, "number", payments, ["payment_date", "amount", "payee_name"])
    for number, line in lines:
        line.payment = saved[number]
    _sync(Reimbursement, "external_id", [line for _number, line in lines], ["care_date"])


def _sync(model, key: str, rows: list, moving: list[str]) -> dict:
    """Create the rows not there yet; move the others' `moving` fields to today's values.
    Returns {key: saved row}."""
    existing = model.objects.in_bulk([getattr(row, key) for row in rows], field_name=key)
    missing = [row for row in rows if getattr(row, key) not in existing]
    model.objects.bulk_create(missing)
    stale = []
    for row in rows:
        saved = existing.get(getattr(row, key))
        if saved is None:
            continue
        if any(getattr(saved, field) != getattr(row, field) for field in moving):
            for field in moving:
                setattr(saved, field, getattr(row, field))
            stale.append(saved)
    if stale:
        model.objects.bulk_update(stale, moving)
    saved = {getattr(row, key): row for row in missing}
    saved.update(existing)
    return saved
