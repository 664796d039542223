"""Relevés de prestations as PDFs: "Imprimer ce paiement" and "Télécharger tous les relevés de la
période", read back as a member would read them."""

import datetime
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone

from portal.models import Branding
from tests.factories import ReimbursementFactory, make_payment
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

STATEMENTS = "/remboursements/releves.pdf"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def jj(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def pdf_text(response) -> str:
    """The text of every page, its runs of spaces and line breaks made single spaces."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def signed_in(client, member):
    Branding.objects.update_or_create(pk=1, defaults={"insurer_name": "Mutuelle Générale du Sud"})
    _sign_in(client, member.user)
    return client


def test_the_statement_of_a_payment_reads_back_with_its_lines(signed_in, member):
    lucas = member.beneficiaries.get(first_name="Lucas")
    payment = make_payment(member, lines=1, payment_date=days_ago(4))
    ReimbursementFactory(
        payment=payment,
        beneficiary=lucas,
        care_date=days_ago(12),
        care_type="dental",
        act="Couronne céramique",
        practitioner="Dr Hélène FAURE",
        real_cost=Decimal("1234.50"),
        ss_base=Decimal("120.00"),
        ss_share=Decimal("84.00"),
        insurer_share=Decimal("956.00"),
    )

    response = signed_in.get(f"/remboursements/paiements/{payment.number}/releve.pdf")

    text = pdf_text(response)
    assert response["Content-Disposition"] == f'attachment; filename="releve-{payment.number}.pdf"'
    for expected in (
        "Mutuelle Générale du Sud",
        "Relevé de prestations",
        "Marie MARTIN",
        member.member_number,
        payment.number,
        jj(days_ago(4)),
        "Frais réels",
        "Base de remboursement",
        "Sécurité sociale",
        "Part complémentaire",
        "Reste à charge",
        # The factory's consultation, then the crown for Lucas.
        "Dr Jeanne LEROY",
        "30,00 €",
        "18,00 €",
        "Dentaire : Couronne céramique",
        "Dr Hélène FAURE",
        jj(days_ago(12)),
        "Lucas",
        "1 234,50 €",
        "956,00 €",
        "194,50 €",  # reste à charge: 1 234,50 - 84 - 956
        # Totals: 1 264,50 € of frais réels, 966,00 € paid by the insurer.
        "1 264,50 €",
        "966,00 €",
    ):
        assert expected in text, expected


def test_a_statement_of_another_members_payment_is_not_found(signed_in, other_member):
    payment = make_payment(other_member)

    response = signed_in.get(f"/remboursements/paiements/{payment.number}/releve.pdf")

    assert response.status_code == 404


def test_the_period_pdf_holds_every_payment_of_the_period_and_no_other(signed_in, member):
    start, end = days_ago(200), days_ago(20)
    inside = [
        make_payment(member, payment_date=start),
        make_payment(member, payment_date=days_ago(100)),
        make_payment(member, payment_date=end),
    ]
    before = make_payment(member, payment_date=days_ago(201))
    after = make_payment(member, payment_date=days_ago(19))
    to_a_professional = make_payment(member, third_party=True, payment_date=days_ago(100))

    response = signed_in.get(STATEMENTS, {"du": jj(start), "au": jj(end)})

    text = pdf_text(response)
    assert response["Content-Disposition"] == (
        f'attachment; filename="releves-{start:%Y-%m-%d}-{end:%Y-%m-%d}.pdf"'
    )
    assert f"Relevés de prestations du {jj(start)} au {jj(end)}" in text
    for payment in inside:
        assert f"Paiement n° {payment.number} du {jj(payment.payment_date)}" in text
    for payment in (before, after, to_a_professional):
        assert payment.number not in text
    assert "Nombre de paiements 3" in text
    assert "Total payé 30,00 €" in text


def test_the_period_pdf_keeps_the_beneficiary_and_care_searched(signed_in, member):
    lucas = member.beneficiaries.get(first_name="Lucas")
    for_lucas = make_payment(member, lines=0)
    ReimbursementFactory(payment=for_lucas, beneficiary=lucas, care_type="optics")
    for_marie = make_payment(member, lines=1)

    text = pdf_text(signed_in.get(STATEMENTS, {"beneficiaire": lucas.pk, "soins": "optics"}))

    assert for_lucas.number in text
    assert for_marie.number not in text


def test_the_third_party_period_pdf_holds_the_payments_to_professionals(signed_in, member):
    to_pharmacy = make_payment(member, third_party=True)
    to_member = make_payment(member)

    response = signed_in.get(STATEMENTS, {"liste": "tiers"})

    text = pdf_text(response)
    assert to_pharmacy.number in text
    assert "Pharmacie du Centre" in text
    assert to_member.number not in text
    assert re.search(r'filename="releves-tiers-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf"',
                     response["Content-Disposition"])  # fmt: skip


def test_the_period_pdf_never_holds_another_members_payment(signed_in, member, other_member):
    mine = make_payment(member)
    theirs = make_payment(other_member)

    text = pdf_text(signed_in.get(STATEMENTS))

    assert mine.number in text
    assert theirs.number not in text
