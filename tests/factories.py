import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Beneficiary, Member
from accounts.services.channels import member_channels_sync
from partners.catalogue import SERVICES, Service
from partners.models import Convention, Organism, OrganismService, Structure, StructureMembership

User = get_user_model()

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Camille"
    last_name = "Durand"
    role = User.Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MemberFactory(factory.django.DjangoModelFactory):
    """A policyholder record, without a web account unless `user` is given."""

    class Meta:
        model = Member

    member_number = factory.Sequence(lambda n: f"{100000 + n}")
    civility = "MME"
    last_name = factory.Sequence(lambda n: f"MARTIN{n}")
    first_name = "Marie"
    birth_date = datetime.date(1980, 5, 17)
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    mobile_phone = "+33612345678"
    address_line1 = "12 rue des Lilas"
    postcode = "33000"
    city = "Bordeaux"


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    member = factory.SubFactory(MemberFactory)
    civility = "M"
    last_name = factory.SelfAttribute("member.last_name")
    first_name = "Lucas"
    birth_date = datetime.date(2012, 3, 1)
    relationship = Beneficiary.Relationship.CHILD


def make_member_account(member: Member | None = None, **member_kwargs) -> Member:
    """A member whose space is activated: account, password PASSWORD, email and SMS channels."""
    from django.utils import timezone

    member = member or MemberFactory(**member_kwargs)
    user = UserFactory(
        username=member.member_number,
        email=member.email,
        first_name=member.first_name,
        last_name=member.last_name,
        role=User.Role.MEMBER,
    )
    member.user = user
    member.activated_at = timezone.now()
    member.save()
    member.refresh_from_db()  # mobile_phone as a PhoneNumber, as the app reads it
    member_channels_sync(user=user, email=member.email, mobile_phone=member.mobile_phone)
    return member


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"CCAS numéro {n}")


def make_partner_user(role, structure=None, **kwargs):
    user = UserFactory(role=role, **kwargs)
    StructureMembership.objects.create(user=user, structure=structure or StructureFactory())
    user.refresh_from_db()
    return user


# -- Partner space -----------------------------------------------------------------------------
class OrganismFactory(factory.django.DjangoModelFactory):
    """An organism offering the five ODS with every motif (ask `services=[...]` for fewer)."""

    class Meta:
        model = Organism
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"CPAM NUMÉRO {n}")
    code = factory.Sequence(lambda n: f"{(n % 900) + 100:03d}")

    @factory.post_generation
    def services(obj, create, extracted, **kwargs):
        if not create:
            return
        for service in extracted if extracted is not None else Service.values:
            OrganismService.objects.create(organism=obj, service=service)


class ConventionFactory(factory.django.DjangoModelFactory):
    """Active today, for a year, unless told otherwise."""

    class Meta:
        model = Convention

    structure = factory.SubFactory(StructureFactory)
    organism = factory.SubFactory(OrganismFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    technician_cap = 5


PERSON = {
    "civility": "MME",
    "last_name": "TUTU",
    "first_name": "Joséphine",
    "birth_date": datetime.date(1971, 10, 10),
    "birth_place": "44",
    "phone": "0700000000",
}


def make_partner_request(*, technician, organism, service=Service.CASE_STUDY, **kwargs):
    """A request filed through the service, as a technician would (numbered, audited)."""
    from partners.services import partner_request_submit

    motif = kwargs.pop("motif", None)
    if motif is None and service != Service.DOCUMENT:
        motif = next(iter(SERVICES[Service(service)].motifs))
    kwargs.setdefault("comment", "Hospitalisation en cours")
    if SERVICES[Service(service)].has_person:
        kwargs.setdefault("person", dict(PERSON))
    if service == Service.DOCUMENT:
        kwargs.setdefault("documents", ["attestation_droits"])
    if service == Service.CONTACT:
        kwargs.setdefault("appointment_modes", ["distance"])
    return partner_request_submit(
        by=technician,
        structure=technician.partner_membership.structure,
        organism=organism,
        service=service,
        motif=motif or "",
        **kwargs,
    )
