"""Issue 16, member space, where a person notices it: the home page's last payments come before
the chart, and the 12-month summary can show one beneficiary (guide 003)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from requests_app.models import RequestKind
from requests_app.services import member_request_submit
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


def test_a_requests_reference_stays_on_one_line_in_its_heading_on_a_small_phone(
    new_page, live_server, member
):
    """ "Demande DEM-2026-000002" at 320 px broke after a hyphen ("DEM-2026-" / "000002")."""
    sent = member_request_submit(
        member=member, kind=RequestKind.QUESTION, by=member.user, message="Une question"
    )
    page = open_signed_in(new_page, live_server, member.user, f"/demandes/{sent.reference}/")
    page.set_viewport_size({"width": 320, "height": 640})
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"Demande {sent.reference}"
    # The line of each character of the reference (a range over its text, wherever the markup
    # puts it): one line only.
    reference_tops = heading.evaluate(
        """(h1, reference) => {
            const text = h1.textContent, start = text.indexOf(reference);
            const range = document.createRange(), tops = new Set();
            let seen = 0;
            const walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (let i = 0; i < node.length; i++, seen++) {
                    if (seen < start || seen >= start + reference.length) continue;
                    range.setStart(node, i); range.setEnd(node, i + 1);
                    tops.add(Math.round(range.getBoundingClientRect().top));
                }
            }
            return [...tops];
        }""",
        sent.reference,
    )
    assert len(reference_tops) == 1, reference_tops
