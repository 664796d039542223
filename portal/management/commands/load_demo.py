"""Demo data for `make run`: the personas of the README. Running it twice changes nothing."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Beneficiary, CodeDevice, Member, User
from accounts.services.channels import member_channels_sync
from partners.models import Structure, StructureMembership
from portal.models import Branding
from requests_app.demo import demo_requests_load

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
]

STAFF = [
    # username, email, first, last, role, structure
    ("technicien", "technicien@ccas-bordeaux.example.org", "Sophie", "BERNARD",
     User.Role.TECHNICIAN, "CCAS de Bordeaux"),
    ("gestionnaire.partenaire", "responsable@ccas-bordeaux.example.org", "Hélène", "ROUX",
     User.Role.PARTNER_MANAGER, "CCAS de Bordeaux"),
    ("admin", "admin@guichet.example.org", "Alain", "GESTION", User.Role.INSURER_MANAGER, None),
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

    @transaction.atomic
    def handle(self, *args, **options):
        branding = Branding.current()
        if branding.insurer_name == "Guichet":
            branding.insurer_name = "Mutuelle Démo"
            branding.contact_phone = "01 23 45 67 89"
            branding.opening_hours = "du lundi au vendredi de 8h30 à 18h00"
            branding.save()

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

        demo_requests_load(
            member=Member.objects.get(member_number="100001"),
            manager=User.objects.get(username="admin"),
        )

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Password of every demo account: {DEMO_PASSWORD} "
                "(members: 100001, 100002, 100004; technicien; gestionnaire.partenaire; admin). "
                "Codes arrive in var/outbox/."
            )
        )
