import datetime
from decimal import Decimal

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


# -- Cover (contracts, guarantees, reimbursements) ---------------------------------------------
GUARANTEES = [
    # care_type, label, coverage, card_code, card_value
    ("consultation", "Consultation d'un médecin généraliste", "150 % BR", "MED", "150"),
    ("pharmacy", "Médicaments remboursés par la Sécurité sociale", "100 % BR", "PHAR", "100/100"),
    ("lab", "Analyses et examens de laboratoire", "100 % BR", "LABO", "100"),
    ("dental", "Prothèses dentaires", "300 % BR", "DENT", "300"),
    ("optics", "Lunettes (verres et monture)", "250 € par an", "OPTI", "OUI"),
    ("hospital", "Frais de séjour en hospitalisation", "100 % FR", "HOSP", "100"),
]


class ProductFactory(factory.django.DjangoModelFactory):
    """A formule with the six guarantee lines of GUARANTEES (ask `guarantees=[]` for none)."""

    class Meta:
        model = "cover.Product"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"SANTE-{n}")
    name = "Santé Essentielle"
    level = "Niveau 3"

    @factory.post_generation
    def guarantees(obj, create, extracted, **kwargs):
        from cover.models import Guarantee

        if not create:
            return
        lines = GUARANTEES if extracted is None else extracted
        for position, (care_type, label, coverage, code, value) in enumerate(lines):
            Guarantee.objects.create(
                product=obj,
                care_type=care_type,
                label=label,
                coverage=coverage,
                terms=f"{label} : remboursé à {coverage}, en tiers payant chez le professionnel.",
                card_code=code,
                card_value=value,
                position=position,
            )


class ContractFactory(factory.django.DjangoModelFactory):
    """An individual contract that started two years ago and still covers the member."""

    class Meta:
        model = "cover.Contract"

    number = factory.Sequence(lambda n: f"CT-{2024000 + n}")
    member = factory.SubFactory(MemberFactory)
    product = factory.SubFactory(ProductFactory)
    kind = "individual"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=730))
    end_date = None


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cover.Payment"

    number = factory.Sequence(lambda n: f"PAI-{900000 + n}")
    member = factory.SubFactory(MemberFactory)
    payment_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    payee_kind = "member"
    payee_name = factory.LazyAttribute(lambda o: o.member.full_name)


class ReimbursementFactory(factory.django.DjangoModelFactory):
    """A consultation at 30 €: 18 € from the Sécurité sociale, 10 € from the insurer, 2 € left
    to pay."""

    class Meta:
        model = "cover.Reimbursement"

    external_id = factory.Sequence(lambda n: f"L{n:08d}")
    payment = factory.SubFactory(PaymentFactory)
    member = factory.SelfAttribute("payment.member")
    beneficiary = None
    care_date = factory.LazyAttribute(lambda o: o.payment.payment_date - datetime.timedelta(days=5))
    care_type = "consultation"
    act = "Consultation médecin généraliste"
    practitioner = "Dr Jeanne LEROY"
    real_cost = Decimal("30.00")
    ss_base = Decimal("30.00")
    ss_share = Decimal("18.00")
    insurer_share = Decimal("10.00")


def make_payment(member, *, lines=1, third_party=False, **kwargs):
    """A payment to the member (or, `third_party`, to a professional) with `lines` acts whose
    amount is the sum of their insurer shares, as the import leaves it."""
    from cover.models import Payment

    payment = PaymentFactory(
        member=member,
        payee_kind="professional" if third_party else "member",
        payee_name="Pharmacie du Centre" if third_party else member.full_name,
        **kwargs,
    )
    for _ in range(lines):
        ReimbursementFactory(payment=payment)
    Payment.objects.filter(pk=payment.pk).update(
        amount=sum(line.insurer_share for line in payment.lines.all())
    )
    payment.refresh_from_db()
    return payment
