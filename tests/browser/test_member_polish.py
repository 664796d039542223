"""Issue 16, member space, where a person notices it: the home page's last payments come before
the chart, and the 12-month summary can show one beneficiary (guide 003)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.conftest import open_signed_in
from tests.factories import PaymentFactory, ReimbursementFactory, make_payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_shows_the_last_payments_first_and_one_persons_summary(
    new_page, live_server, viewport, member
):
    today = timezone.localdate()
    lucas = member.beneficiaries.get(first_name="Lucas")
    for _ in range(3):
        make_payment(member)
    payment = PaymentFactory(member=member, payment_date=today)
    ReimbursementFactory(
        payment=payment, care_date=today, beneficiary=lucas, care_type="dental",
        real_cost=Decimal("550.00"), ss_share=Decimal("64.50"), insurer_share=Decimal("258.00"),
    )  # fmt: skip
    page = open_signed_in(new_page, live_server, member.user, "/")
    payments = page.get_by_role("list", name="Derniers remboursements")
    first = payments.get_by_role("listitem").first.bounding_box()
    chart = page.locator("svg.rb-chart").bounding_box()
    assert first["y"] < chart["y"]
    # On a phone too, the newest payment is on the first screens, not ~1,850 px down.
    assert first["y"] < 1000

    page.get_by_label("Remboursements de", exact=True).select_option(label=lucas.full_name)
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**personne=**")
    assert page.get_by_text(
        f"La synthèse des remboursements de {lucas.full_name} sur les 12 derniers mois"
    ).is_visible()
    totals = page.locator(".rb-totals")
    assert "550,00" in totals.inner_text()
    assert (
        page.get_by_label("Remboursements de", exact=True).evaluate(
            "select => select.selectedOptions[0].text"
        )
        == lucas.full_name
    )
