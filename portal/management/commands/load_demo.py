"""Demo data for `make run`: the personas of the README. Running it twice changes nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Beneficiary, CodeDevice, Member, User
from accounts.services.channels import member_channels_sync
from casework.demo import case_backdate, case_emails_silence, demo_answer_templates_load
from casework.services import case_move
from cover.collective import PROFILES, collective_profile_apply
from cover.demo import demo_cover_load
from directory.demo import demo_professionals_load
from documents.rules import ANSWER, PARTNER_REQUEST
from documents.services import stored_file_create
from oversight.demo import demo_oversight_load
from partners.catalogue import Service
from partners.models import (
    Convention,
    Organism,
    OrganismService,
    PartnerRequest,
    Structure,
    StructureMembership,
)
from partners.services import partner_request_submit
from portal.models import Branding
from privacy.demo import demo_privacy_load
from requests_app.demo import _pdf, demo_requests_load
from support.demo import demo_support_load

DEMO_PASSWORD = "demo-guichet-2026"  # noqa: S105 - published in the README on purpose

MEMBERS = [
    {
        "member_number": "100001",
        "civility": "MME",
        "last_name": "MARTIN",
        "first_name": "Marie",
        "birth_date": datetime.date(1980, 5, 17),
        "email": "marie.martin@example.org",
        "mobile_phone": "+33612345678",
        "address_line1": "12 rue des Lilas",
        "postcode": "33000",
        "city": "Bordeaux",
        "activated": True,
        "beneficiaries": [
            ("M", "MARTIN", "Paul", datetime.date(1978, 11, 2), "spouse"),
            ("M", "MARTIN", "Lucas", datetime.date(2012, 3, 1), "child"),
        ],
    },
    {
        "member_number": "100002",
        "civility": "M",
        "last_name": "DUPONT",
        "first_name": "Jean",
        "birth_date": datetime.date(1965, 9, 30),
        "email": "jean.dupont@example.org",
        "mobile_phone": "+33698765432",
        "address_line1": "3 place du Marché",
        "postcode": "64000",
        "city": "Pau",
        "activated": True,
        "beneficiaries": [],
    },
    {
        # A collective contract (through an employer): changes go through the employer.
        "member_number": "100004",
        "civility": "M",
        "last_name": "LEROY",
        "first_name": "Thomas",
        "birth_date": datetime.date(1988, 4, 12),
        "email": "thomas.leroy@example.org",
        "mobile_phone": "+33622334455",
        "address_line1": "5 cours de l'Intendance",
        "postcode": "33000",
        "city": "Bordeaux",
        "collective_contract": True,
        "activated": True,
        "beneficiaries": [],
    },
    {
        # No mobile phone on file: at sign-in, guide 003's security screen asks for one (the
        # demo insurer requires a verified mobile), after the code sent by email.
        "member_number": "100005",
        "civility": "MME",
        "last_name": "ROBERT",
        "first_name": "Léa",
        "birth_date": datetime.date(1992, 8, 21),
        "email": "lea.robert@example.org",
        "mobile_phone": "",
        "address_line1": "21 rue Sainte-Catherine",
        "postcode": "33000",
        "city": "Bordeaux",
        "activated": True,
        "beneficiaries": [],
    },
    {
        # Not activated: try "Créer mon espace" or "Activer mon espace" with this card.
        "member_number": "100003",
        "civility": "MME",
        "last_name": "PETIT",
        "first_name": "Claire",
        "birth_date": datetime.date(1990, 1, 2),
        "email": "claire.petit@example.org",
        "mobile_phone": "+33611223344",
        "address_line1": "8 avenue Thiers",
        "postcode": "33100",
        "city": "Bordeaux",
        "activated": False,
        "beneficiaries": [],
    },
    {
        # Not activated and no mobile: "Activer mon espace" by SMS says so and offers the email.
        "member_number": "100006",
        "civility": "M",
        "last_name": "LEROY",
        "first_name": "Hugo",
        "birth_date": datetime.date(1984, 11, 9),
        "email": "hugo.leroy@example.org",
        "mobile_phone": "",
        "address_line1": "3 place Gambetta",
        "postcode": "33000",
        "city": "Bordeaux",
        "activated": False,
        "beneficiaries": [],
    },
]

STAFF = [
    # username, email, first, last, role, structure
    ("technicien", "technicien@ccas-bordeaux.example.org", "Sophie", "BERNARD",
     User.Role.TECHNICIAN, "CCAS de Bordeaux"),
    ("gestionnaire.partenaire", "responsable@ccas-bordeaux.example.org", "Hélène", "ROUX",
     User.Role.PARTNER_MANAGER, "CCAS de Bordeaux"),
    ("admin", "admin@guichet.example.org", "Alain", "GESTION", User.Role.INSURER_MANAGER, None),
]  # fmt: skip


PARTNER_STRUCTURE = "CCAS de Bordeaux"
ALL_ODS = list(Service)
# name, code, ODS offered, convention start and end in days from today (None: no end).
# One organism per situation of guide 001, chapter II.
ORGANISMS = [
    ("CPAM GIRONDE", "331", ALL_ODS, -400, 330),  # active
    ("CPAM COTE D'OPALE", "622", [Service.CONTACT, Service.CASE_STUDY, Service.DOCUMENT],
     -200, None),  # active, 3 ODS
    ("CPAM LOT ET GARONNE", "471", ALL_ODS, -700, 20),  # ends in 20 days: a warning
    ("CPAM DORDOGNE", "241", ALL_ODS, 61, 61 + 3 * 365),  # starts in 2 months: logout only
    ("CPAM LANDES", "401", ALL_ODS, -800, -10),  # ended 10 days ago, a request still open
]  # fmt: skip
# The "délégué à la protection des données": reads the access journal, nothing else to work.
DPO = ("dpo", "dpo@mutuelle-demo.example.org", "Nadia", "BENALI")
# The insurer manager of CPAM GIRONDE (not a superuser: sees that organism's requests only).
ORGANISM_MANAGER = ("gestionnaire.cpam", "gestion@cpam-gironde.example.org", "Paul", "FERRAND")
PERSONS = [
    {"civility": "MME", "last_name": "TUTU", "first_name": "Joséphine",
     "birth_date": datetime.date(1971, 10, 10), "birth_place": "44", "phone": "0700000000"},
    {"civility": "M", "last_name": "PAIN", "first_name": "François",
     "birth_date": datetime.date(1970, 10, 5), "birth_place": "24", "phone": "0600000000"},
    {"civility": "MME", "last_name": "CHEMIN", "first_name": "Marie",
     "birth_date": datetime.date(1975, 6, 1), "birth_place": "47", "phone": "0611223344"},
]  # fmt: skip


def _ensure_user(**fields) -> User:
    username = fields.pop("username")
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if user.email:
        CodeDevice.objects.get_or_create(
            user=user, channel="email", defaults={"name": "email", "target": user.email}
        )
    return user


class Command(BaseCommand):
    help = "Load the demo insurer, members, partner accounts and manager (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--collective-profile",
            choices=sorted(PROFILES),
            help=(
                "Who makes the changes of a collective contract's members: guide-002 (the "
                "employer, every change: the default of a new insurer) or guide-003 (the "
                "member switches NOEMIE and adds or removes beneficiaries)."
            ),
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if options.get("collective_profile"):
            collective_profile_apply(profile=options["collective_profile"])
        branding = Branding.current()
        if branding.insurer_name == "Guichet":
            branding.insurer_name = "Mutuelle Démo"
            branding.contact_phone = "01 23 45 67 89"
            branding.opening_hours = "du lundi au vendredi de 8h30 à 18h00"
            # Guide 003's security screen: a member without a verified mobile confirms one.
            branding.signin_phone_required = True
            branding.save()
        if not branding.public_site_url:
            branding.public_site_url = "https://www.mutuelle-demo.example/"
            branding.save(update_fields=["public_site_url"])

        for data in MEMBERS:
            data = dict(data)
            beneficiaries = data.pop("beneficiaries")
            activated = data.pop("activated")
            member, _ = Member.objects.get_or_create(
                member_number=data["member_number"], defaults=data
            )
            for civility, last, first, birth, relationship in beneficiaries:
                Beneficiary.objects.get_or_create(
                    member=member,
                    first_name=first,
                    last_name=last,
                    defaults={
                        "civility": civility,
                        "birth_date": birth,
                        "relationship": relationship,
                    },
                )
            if activated and member.user_id is None:
                member.user = _ensure_user(
                    username=member.member_number,
                    email=member.email,
                    first_name=member.first_name,
                    last_name=member.last_name,
                    role=User.Role.MEMBER,
                )
                member.activated_at = timezone.now()
                member.save(update_fields=["user", "activated_at"])
            if member.user_id:
                member_channels_sync(
                    user=member.user, email=member.email, mobile_phone=member.mobile_phone
                )

        for username, email, first, last, role, structure_name in STAFF:
            is_manager = role == User.Role.INSURER_MANAGER
            user = _ensure_user(
                username=username,
                email=email,
                first_name=first,
                last_name=last,
                role=role,
                is_staff=is_manager,
                is_superuser=is_manager,
            )
            if structure_name:
                structure, _ = Structure.objects.get_or_create(name=structure_name)
                StructureMembership.objects.get_or_create(
                    user=user, defaults={"structure": structure}
                )

        # The data-protection officer reads the access journal (and member records).
        demo_oversight_load(
            dpo=_ensure_user(
                username=DPO[0],
                email=DPO[1],
                first_name=DPO[2],
                last_name=DPO[3],
                role=User.Role.INSURER_MANAGER,
                is_staff=True,
            ),
            manager=User.objects.get(username="admin"),
            member=Member.objects.get(member_number="100001"),
        )

        # Formules, contracts, identities, bank details and a year of reimbursements.
        demo_cover_load()
        demo_requests_load(
            member=Member.objects.get(member_number="100001"),
            manager=User.objects.get(username="admin"),
        )
        demo_support_load()
        demo_answer_templates_load()
        demo_professionals_load()
        demo_privacy_load()
        _partners_load(
            structure=Structure.objects.get(name=PARTNER_STRUCTURE),
            technician=User.objects.get(username="technicien"),
        )

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Password of every demo account: {DEMO_PASSWORD} "
                "(members: 100001, 100002, 100004; technicien; gestionnaire.partenaire; admin; "
                "gestionnaire.cpam; dpo). "
                "Codes arrive in var/outbox/."
            )
        )


def _partners_load(*, structure: Structure, technician: User) -> None:
    """Five organisms in the five situations of the chooser, and a history at CPAM GIRONDE.

    Convention dates are set relative to today on every run, so the chooser always shows the
    situations listed in ORGANISMS; the requests are filed once, through the services (real
    numbers and audit entries), and nobody is emailed about them.
    """
    today = timezone.localdate()
    organisms = {}
    for name, code, services, start, end in ORGANISMS:
        organism, _ = Organism.objects.get_or_create(code=code, defaults={"name": name})
        if not organism.public_site_url:  # the top bar's "ameli.fr" (guide 001, III)
            organism.public_site_url = "https://www.ameli.fr/"
            organism.save(update_fields=["public_site_url"])
        for service in services:
            OrganismService.objects.get_or_create(organism=organism, service=service)
        Convention.objects.update_or_create(
            structure=structure,
            organism=organism,
            defaults={
                "start_date": today + datetime.timedelta(days=start),
                "end_date": today + datetime.timedelta(days=end) if end is not None else None,
                "technician_cap": 5,
            },
        )
        organisms[code] = organism

    username, email, first, last = ORGANISM_MANAGER
    manager = _ensure_user(
        username=username, email=email, first_name=first, last_name=last,
        role=User.Role.INSURER_MANAGER, is_staff=True, is_superuser=False,
    )  # fmt: skip
    organisms["331"].managers.add(manager)

    gironde, landes = organisms["331"], organisms["401"]
    if not PartnerRequest.objects.filter(structure=structure, organism=gironde).exists():
        _gironde_history(structure, gironde, technician, manager)
    if not PartnerRequest.objects.filter(structure=structure, organism=landes).exists():
        # Filed while the convention still ran, taken in charge, never resolved.
        convention = Convention.objects.get(structure=structure, organism=landes)
        filed_on = convention.end_date - datetime.timedelta(days=25)
        request = partner_request_submit(
            by=technician, structure=structure, organism=landes, service=Service.CASE_STUDY,
            motif="etude_c2s", person=PERSONS[2], on=filed_on,
            comment="Renouvellement de la C2S : ressources du foyer à étudier.",
        )  # fmt: skip
        case_move(case=request, move="take", by=manager)
        _backdate(request, days=(today - filed_on).days, handled_after=3)
    case_emails_silence(PartnerRequest.objects.filter(structure=structure))


def _gironde_history(structure, gironde, technician, manager) -> None:
    """Seven requests in the guide's three statuses, one of them waiting for a complement,
    spread over the last weeks."""
    sent = stored_file_create(
        uploaded=SimpleUploadedFile("avis-imposition.pdf", _pdf("Avis d'imposition 2025")),
        rules=PARTNER_REQUEST,
        by=technician,
    )
    filed = [
        # (days ago, service, motif, person, comment, attachments, then, days to handle)
        (40, Service.CASE_STUDY, "aide_financiere", PERSONS[0],
         "Demande de rééquilibre budgétaire.", [sent], "resolve", 30),
        # Resolved 10 and 3 days ago: their answers' files are kept 15 days from then.
        (33, Service.APPOINTMENT, "capital_deces", PERSONS[1],
         "Demande de capital décès pour son épouse décédée.", [], "resolve", 30),
        (21, Service.CONTACT, "convention", None,
         "Je souhaite un rendez-vous pour fixer les modalités de renouvellement de la "
         "convention.", [], "take", 1),
        (12, Service.DIFFICULTY, "urgence", PERSONS[1],
         "L'assuré a besoin de soins urgents.", [], "ask", 1),
        (6, Service.DOCUMENT, "", PERSONS[2], "L'assurée a perdu son portefeuille.", [], "", 0),
        (2, Service.CASE_STUDY, "etude_c2s", PERSONS[0], "Hospitalisation en cours.", [], "",
         0),
        (0, Service.DIFFICULTY, "droits", PERSONS[2],
         "Rupture de droits depuis le déménagement de l'assurée.", [], "", 0),
    ]  # fmt: skip
    for days, service, motif, person, comment, attachments, then, handled_after in filed:
        request = partner_request_submit(
            by=technician, structure=structure, organism=gironde, service=service,
            motif=motif, person=person, comment=comment, attachments=attachments,
            documents=["attestation_droits", "ceam"] if service == Service.DOCUMENT else (),
            appointment_modes=["distance"] if service == Service.CONTACT else (),
        )  # fmt: skip
        if then:
            case_move(case=request, move="take", by=manager)
        if then == "ask":
            case_move(
                case=request, move="ask", by=manager,
                text="Bonjour, merci de nous transmettre l'attestation d'hébergement de "
                     "l'assuré : nous ne pouvons pas étudier sa situation sans elle.",
            )  # fmt: skip
        if then == "resolve":
            answer = stored_file_create(
                uploaded=SimpleUploadedFile("reponse-cpam.pdf", _pdf("Reponse de la CPAM")),
                rules=ANSWER,
                by=manager,
            )
            case_move(
                case=request, move="resolve", by=manager, attachments=[answer],
                text="Bonjour, le dossier a été étudié : vous trouverez notre réponse jointe.",
            )  # fmt: skip
        _backdate(request, days=days, handled_after=handled_after)


def _backdate(request: PartnerRequest, *, days: int, handled_after: int) -> None:
    """Move a request `days` back, its status changes `handled_after` days after filing (at
    most today), so the history reads like weeks of use."""
    now = timezone.now()
    filed_at = now - datetime.timedelta(days=days)
    handled_at = min(filed_at + datetime.timedelta(days=handled_after), now)
    case_backdate(request, filed_at=filed_at, handled_at=handled_at)
