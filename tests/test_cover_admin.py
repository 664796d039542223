"""Cover data in the admin (/gestion/): insurer managers list, search and correct it, and a
payment's amount always follows its lines."""

import datetime
from decimal import Decimal
from html import unescape

import pytest

from cover.models import BankDetails, Contract, OptionalCover, Payment, Reimbursement
from tests.factories import (
    BeneficiaryFactory,
    ContractFactory,
    MemberFactory,
    ProductFactory,
    make_payment,
)
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

ADMIN = "/gestion/cover"


@pytest.fixture
def manager_client(client, insurer_manager):
    _sign_in(client, insurer_manager)
    return client


@pytest.fixture
def payment(member):
    """A payment of 20,00 €: two consultations with 10,00 € each from the insurer."""
    return make_payment(member, lines=2, number="PAI-100", payment_date=datetime.date(2025, 3, 10))


def _page(response) -> str:
    return unescape(response.content.decode())


def _form_data(response) -> dict:
    """What the browser would send back from a change page left as it is."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)
    return data


def _line_prefix(response, line) -> str:
    formset = response.context["inline_admin_formsets"][0].formset
    form = next(form for form in formset.forms if form.instance.pk == line.pk)
    return form.prefix


def test_a_manager_opens_every_cover_list(manager_client, payment, member):
    ContractFactory(member=member)
    OptionalCover.objects.create(code="DENT+", name="Renfort dentaire", monthly_price="9.90")
    BankDetails.objects.create(
        member=member, holder="Marie MARTIN", iban="FR7630006000011234567890189"
    )

    for model in [
        "product",
        "optionalcover",
        "contract",
        "bankdetails",
        "payment",
        "reimbursement",
    ]:
        response = manager_client.get(f"{ADMIN}/{model}/")
        assert response.status_code == 200, model

    payments = _page(manager_client.get(f"{ADMIN}/payment/"))
    assert "PAI-100" in payments and "20,00 €" in payments
    banks = _page(manager_client.get(f"{ADMIN}/bankdetails/"))
    assert "FR76 •••• •••• •••• •••• ••90 189" in banks
    assert "FR7630006000011234567890189" not in banks


def test_payments_and_lines_are_found_by_member_number(
    manager_client, payment, member, other_member
):
    make_payment(other_member, number="PAI-200")

    found = manager_client.get(f"{ADMIN}/payment/", {"q": member.member_number})
    lines = manager_client.get(f"{ADMIN}/reimbursement/", {"q": member.member_number})
    by_number = manager_client.get(f"{ADMIN}/payment/", {"q": "PAI-2"})

    assert [p.number for p in found.context["cl"].result_list] == ["PAI-100"]
    assert {line.payment.number for line in lines.context["cl"].result_list} == {"PAI-100"}
    assert [p.number for p in by_number.context["cl"].result_list] == ["PAI-200"]


def test_editing_a_line_in_the_payment_recomputes_its_amount(manager_client, payment):
    line = payment.lines.order_by("pk").first()
    url = f"{ADMIN}/payment/{payment.pk}/change/"
    page = manager_client.get(url)
    data = _form_data(page)
    data[f"{_line_prefix(page, line)}-insurer_share"] = "12.00"

    response = manager_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    payment.refresh_from_db()
    assert payment.amount == Decimal("22.00")
    assert "22,00 €" in _page(manager_client.get(url))


def test_adding_and_deleting_lines_keeps_the_amount_and_the_member(manager_client, payment, member):
    lucas = member.beneficiaries.get(first_name="Lucas")
    url = f"{ADMIN}/payment/{payment.pk}/change/"
    page = manager_client.get(url)
    data = _form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    first = payment.lines.order_by("pk").first()
    data[f"{_line_prefix(page, first)}-DELETE"] = "on"
    new = f"{prefix}-2"
    data[f"{prefix}-TOTAL_FORMS"] = "3"
    data.update(
        {
            f"{new}-external_id": "ADMIN-1",
            f"{new}-care_date": "2025-03-01",
            f"{new}-beneficiary": str(lucas.pk),
            f"{new}-care_type": "pharmacy",
            f"{new}-act": "Médicaments",
            f"{new}-real_cost": "25.00",
            f"{new}-ss_base": "20.00",
            f"{new}-ss_share": "13.00",
            f"{new}-insurer_share": "7.00",
        }
    )

    response = manager_client.post(url, data)

    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.lines.count() == 2
    assert payment.amount == Decimal("17.00")
    added = Reimbursement.objects.get(external_id="ADMIN-1")
    assert added.member == member and added.beneficiary == lucas


def test_a_line_whose_shares_exceed_the_real_cost_is_refused(manager_client, payment):
    line = payment.lines.order_by("pk").first()
    url = f"{ADMIN}/payment/{payment.pk}/change/"
    page = manager_client.get(url)
    data = _form_data(page)
    data[f"{_line_prefix(page, line)}-insurer_share"] = "40.00"

    response = manager_client.post(url, data)

    assert response.status_code == 200
    assert (
        "Parts Sécurité sociale et complémentaire (58,00 €) supérieures aux frais réels (30,00 €)."
        in _page(response).replace("\u202f", " ")
    )
    line.refresh_from_db()
    payment.refresh_from_db()
    assert line.insurer_share == Decimal("10.00") and payment.amount == Decimal("20.00")


def test_only_the_members_beneficiaries_are_offered_on_a_line(
    manager_client, payment, other_member
):
    BeneficiaryFactory(member=other_member, first_name="Étranger")

    page = _page(manager_client.get(f"{ADMIN}/payment/{payment.pk}/change/"))

    assert "Lucas" in page and "Étranger" not in page


def test_correcting_a_line_on_its_own_page_updates_its_payment(manager_client, payment):
    line = payment.lines.order_by("pk").first()
    url = f"{ADMIN}/reimbursement/{line.pk}/change/"
    data = _form_data(manager_client.get(url))
    data["insurer_share"] = "2.00"

    response = manager_client.post(url, data)

    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.amount == Decimal("12.00")


def test_a_new_payment_gets_its_lines_member_and_amount(manager_client, member):
    url = f"{ADMIN}/payment/add/"
    page = manager_client.get(url)
    data = _form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data.update(
        {
            "number": "PAI-NEW",
            "member": str(member.pk),
            "payment_date": "2025-05-02",
            "payee_kind": "member",
            "payee_name": member.full_name,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-external_id": "ADMIN-2",
            f"{prefix}-0-care_date": "2025-04-28",
            f"{prefix}-0-care_type": "consultation",
            f"{prefix}-0-act": "Consultation",
            f"{prefix}-0-real_cost": "30",
            f"{prefix}-0-ss_base": "30",
            f"{prefix}-0-ss_share": "18",
            f"{prefix}-0-insurer_share": "12",
        }
    )

    response = manager_client.post(url, data)

    assert response.status_code == 302
    payment = Payment.objects.get(number="PAI-NEW")
    assert payment.amount == Decimal("12.00")
    assert payment.lines.get().member == member


def test_option_prices_are_edited_from_the_list(manager_client):
    option = OptionalCover.objects.create(
        code="DENT+", name="Renfort dentaire", monthly_price="9.90"
    )
    page = manager_client.get(f"{ADMIN}/optionalcover/")
    formset = page.context["cl"].formset
    data = {
        f"{formset.prefix}-TOTAL_FORMS": "1",
        f"{formset.prefix}-INITIAL_FORMS": "1",
        f"{formset.prefix}-0-id": str(option.pk),
        f"{formset.prefix}-0-monthly_price": "11.50",
        f"{formset.prefix}-0-position": "0",
        "_save": "Enregistrer",
    }

    response = manager_client.post(f"{ADMIN}/optionalcover/", data)

    assert response.status_code == 302
    option.refresh_from_db()
    assert option.monthly_price == Decimal("11.50") and option.active is False


def test_a_collective_contract_needs_its_company(manager_client):
    member = MemberFactory()
    product = ProductFactory()
    response = manager_client.post(
        f"{ADMIN}/contract/add/",
        {
            "number": "CT-9",
            "member": str(member.pk),
            "product": str(product.pk),
            "kind": "collective",
            "start_date": "2025-01-01",
            "end_date": "2024-12-31",
            "company_siret": "123",
        },
    )

    assert response.status_code == 200
    page = _page(response)
    assert "Indiquez la société d'un contrat collectif." in page
    assert "La date de radiation ne peut pas précéder la date d'entrée." in page
    assert "Ce SIRET n'est pas valide" in page
    assert not Contract.objects.filter(number="CT-9").exists()


def test_a_contract_made_collective_in_the_admin_sends_its_member_to_the_employer(
    manager_client, member
):
    contract = ContractFactory(member=member)
    url = f"{ADMIN}/contract/{contract.pk}/change/"
    data = _form_data(manager_client.get(url))
    data.update(kind="collective", company_name="ACME Restauration")

    response = manager_client.post(url, data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.collective_contract
    # And the member space says so instead of offering contract changes.
    _sign_in(manager_client, member.user)
    page = _page(manager_client.get("/demandes/declarer-un-changement/"))
    assert "solliciter votre employeur" in page
