"""The demo cover of `load_demo`: formules, contracts, identities and a year of reimbursements."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone
from stdnum import iban
from stdnum.fr import nir, siret

from accounts.models import Member
from cover import demo
from cover.models import (
    BankDetails,
    CareType,
    Contract,
    Guarantee,
    OptionalCover,
    Payment,
    Product,
    Reimbursement,
)
from cover.summary import year_summary
from portal.models import Branding

pytestmark = pytest.mark.django_db

COVER_MODELS = (Product, Guarantee, OptionalCover, Contract, BankDetails, Payment, Reimbursement)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COVER_MODELS}


def _load():
    call_command("load_demo", stdout=StringIO())


def test_loading_the_demo_twice_adds_nothing():
    _load()
    first = _counts()
    lines = list(Reimbursement.objects.order_by("external_id").values_list("pk", "external_id"))
    _load()

    assert _counts() == first
    assert list(Reimbursement.objects.order_by("external_id").values_list("pk", "external_id")) == (
        lines
    )
    assert first["Reimbursement"] > 50


def test_a_later_run_moves_the_year_to_the_new_today():
    # Loaded long ago, run again today: the lines are the same ones, dated as if loaded today.
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    demo_members()
    demo.demo_cover_load(today=long_ago)
    marie = Member.objects.get(member_number="100001")
    assert year_summary(marie).is_empty
    before = _counts()

    demo.demo_cover_load()

    assert _counts() == before
    assert not year_summary(marie).is_empty


def demo_members():
    """The personas of load_demo without the rest of it (requests, partners)."""
    from portal.management.commands.load_demo import MEMBERS
    from tests.factories import BeneficiaryFactory, MemberFactory

    for data in MEMBERS:
        member = MemberFactory(
            member_number=data["member_number"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        for civility, last, first, birth, relationship in data["beneficiaries"]:
            BeneficiaryFactory(
                member=member,
                civility=civility,
                last_name=last,
                first_name=first,
                birth_date=birth,
                relationship=relationship,
            )


def test_marie_has_reimbursements_in_each_of_the_last_twelve_months():
    _load()
    marie = Member.objects.get(member_number="100001")
    today = timezone.localdate()
    dates = list(Reimbursement.objects.filter(member=marie).values_list("care_date", flat=True))

    for month in range(12):
        newest = today - datetime.timedelta(days=30 * month)
        oldest = newest - datetime.timedelta(days=29)
        assert any(oldest <= day <= newest for day in dates), f"nothing {month} months ago"
    assert max(dates) <= today


def test_the_year_covers_every_type_of_care_for_each_person():
    _load()
    marie = Member.objects.get(member_number="100001")
    lines = Reimbursement.objects.filter(member=marie)

    assert set(lines.values_list("care_type", flat=True)) == set(CareType.values)
    people = set(lines.values_list("beneficiary__first_name", flat=True))
    assert people == {None, "Paul", "Lucas"}
    assert len(year_summary(marie).rows) == len(CareType.values)


def test_the_amounts_are_consistent():
    _load()
    lines = Reimbursement.objects.all()

    for line in lines:
        assert 0 < line.ss_share + line.insurer_share <= line.real_cost, line.external_id
    assert not lines.filter(care_date__gt=F("payment__payment_date")).exists()
    for payment in Payment.objects.annotate(lines_total=Sum("lines__insurer_share")):
        assert payment.amount == payment.lines_total
    # Several lines per payment, and tiers payant to the professionals of the guide.
    assert Payment.objects.filter(lines__external_id__endswith="-3").exists()
    payees = set(
        Payment.objects.filter(payee_kind="professional").values_list("payee_name", flat=True)
    )
    assert {"Pharmacie du Centre", "Centre dentaire Saint-Jean", "Clinique des Lilas"} <= payees


def test_the_identities_contracts_and_bank_details_are_valid():
    _load()
    marie = Member.objects.get(member_number="100001")
    assert nir.is_valid(marie.nir) and len(marie.organism_code) == 9
    for beneficiary in marie.beneficiaries.all():
        assert nir.is_valid(beneficiary.nir)
    assert iban.is_valid(marie.bank_details.iban)

    confort = Product.objects.get(name="Santé Confort", level="Niveau 3")
    assert set(confort.guarantees.values_list("care_type", flat=True)) == set(CareType.values)
    codes = set(confort.guarantees.exclude(card_code="").values_list("card_code", flat=True))
    assert {"PHAR", "MED", "DENT", "OPTI", "HOSP", "AUDI", "LABO", "AUXM"} <= codes
    assert OptionalCover.objects.filter(active=True, monthly_price__gt=0).count() >= 2

    current = Contract.objects.get(member=marie, end_date__isnull=True)
    assert current.product == confort and not current.is_collective and current.is_active
    thomas = Contract.objects.get(member__member_number="100004")
    assert thomas.is_collective and thomas.company_name and siret.is_valid(thomas.company_siret)

    branding = Branding.current()
    assert branding.postal_address and branding.amc_number


def test_the_demo_member_sees_the_summary_on_the_home_page(client):
    from tests.test_access_matrix import _sign_in

    _load()
    marie = Member.objects.get(member_number="100001")
    _sign_in(client, marie.user)

    html = client.get("/").content.decode()

    assert "Synthèse de vos remboursements sur les 12 derniers mois" in html
    assert html.count('class="rb-payment-link"') == 3
