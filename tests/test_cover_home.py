"""The home page's "Focus remboursements" (guide 003) and last three payments (guide 002)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cover.summary import last_payments, twelve_months_before, year_summary
from portal.models import Branding
from tests.factories import PaymentFactory, ReimbursementFactory, make_payment
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def _line(member, *, care_date, care_type="consultation", beneficiary=None, **amounts):
    payment = PaymentFactory(member=member, payment_date=care_date)
    return ReimbursementFactory(
        payment=payment,
        care_date=care_date,
        care_type=care_type,
        beneficiary=beneficiary,
        **{key: Decimal(value) for key, value in amounts.items()},
    )


def _amounts(real, ss, insurer):
    return {"real_cost": real, "ss_share": ss, "insurer_share": insurer}


def _home(client, member):
    _sign_in(client, member.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


# -- The summary -------------------------------------------------------------------------------
def test_it_sums_the_member_and_their_beneficiaries_by_type_of_care(member, other_member):
    lucas = member.beneficiaries.get(first_name="Lucas")
    _line(member, care_date=TODAY, **_amounts("30.00", "19.00", "9.00"))
    _line(member, care_date=TODAY, beneficiary=lucas, **_amounts("25.00", "15.00", "8.00"))
    _line(member, care_date=TODAY, care_type="dental", **_amounts("550.00", "64.50", "258.00"))
    _line(other_member, care_date=TODAY, **_amounts("999.00", "1.00", "1.00"))

    summary = year_summary(member, today=TODAY)

    assert [(row.label, row.real_cost, row.ss_share, row.insurer_share, row.remaining)
            for row in summary.rows] == [
        ("Consultations et visites", Decimal("55.00"), Decimal("34.00"), Decimal("17.00"),
         Decimal("4.00")),
        ("Dentaire", Decimal("550.00"), Decimal("64.50"), Decimal("258.00"), Decimal("227.50")),
    ]  # fmt: skip
    total = summary.total
    assert (total.real_cost, total.ss_share, total.insurer_share, total.remaining) == (
        Decimal("605.00"),
        Decimal("98.50"),
        Decimal("275.00"),
        Decimal("231.50"),
    )


def test_it_counts_the_twelve_months_up_to_today_only(member):
    year_ago = twelve_months_before(TODAY)
    assert year_ago == datetime.date(2025, 3, 15)
    _line(member, care_date=year_ago, **_amounts("10.00", "5.00", "5.00"))
    _line(member, care_date=TODAY, **_amounts("20.00", "10.00", "10.00"))
    _line(member, care_date=year_ago - datetime.timedelta(days=1), **_amounts("40.00", "0", "0"))
    _line(member, care_date=TODAY + datetime.timedelta(days=1), **_amounts("80.00", "0", "0"))

    summary = year_summary(member, today=TODAY)

    assert (summary.start, summary.end) == (year_ago, TODAY)
    assert summary.total.real_cost == Decimal("30.00")


def test_a_29_february_goes_back_to_the_28th():
    assert twelve_months_before(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)


def test_what_is_left_to_pay_is_never_negative_on_a_line(member):
    # A line whose shares exceed its real cost leaves nothing to pay; it does not lower the
    # 12 euros left on the other line.
    _line(member, care_date=TODAY, **_amounts("20.00", "15.00", "10.00"))
    _line(member, care_date=TODAY, **_amounts("30.00", "10.00", "8.00"))

    row = year_summary(member, today=TODAY).rows[0]

    assert row.remaining == Decimal("12.00")


def test_it_is_one_query_whatever_the_number_of_types_and_lines(member):
    for care_type in ("consultation", "pharmacy", "dental", "optics", "hospital"):
        for _ in range(3):
            _line(member, care_date=TODAY, care_type=care_type, **_amounts("10", "5", "2"))

    with CaptureQueriesContext(connection) as queries:
        summary = year_summary(member, today=TODAY)

    assert len(summary.rows) == 5
    assert len(queries) == 1
    assert "GROUP BY" in queries[0]["sql"]


def test_the_last_payments_are_the_three_newest_to_anyone(member, other_member):
    today = timezone.localdate()
    days = {
        "old": 40,
        "professional": 2,
        "member": 10,
        "newest": 1,
    }
    numbers = {}
    for name, ago in days.items():
        payment = make_payment(
            member,
            third_party=name == "professional",
            payment_date=today - datetime.timedelta(days=ago),
        )
        numbers[name] = payment.number
    make_payment(other_member, payment_date=today)

    assert [p.number for p in last_payments(member)] == [
        numbers["newest"],
        numbers["professional"],
        numbers["member"],
    ]


# -- The chart ---------------------------------------------------------------------------------
def _chart(summary, insurer="Mutuelle Démo") -> str:
    template = Template("{% load cover_home %}{% reimbursement_chart summary insurer %}")
    return template.render(Context({"summary": summary, "insurer": insurer}))


def test_the_chart_draws_each_share_with_its_own_pattern_and_legend(member):
    _line(member, care_date=TODAY, **_amounts("100.00", "50.00", "30.00"))
    _line(member, care_date=TODAY, care_type="dental", **_amounts("200.00", "60.00", "40.00"))

    html = _chart(year_summary(member, today=TODAY))

    svg = re.search(r"<svg class=\"rb-chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "viewBox=" in svg and 'width="100%"' in svg
    title = re.search(r"<title id=\"rb-chart-title\">(.*?)</title>", svg).group(1)
    assert "frais réels 300,00 €" in title and "reste à charge 120,00 €" in title
    # Three shares a bar, three distinct patterns, each also named in the legend.
    fills = re.findall(r'<rect class="(rb-[a-z]+)"[^>]*fill="url\(#(rb-[a-z]+-fill)\)"', svg)
    assert fills == [("rb-ss", "rb-ss-fill"), ("rb-insurer", "rb-insurer-fill"),
                     ("rb-left", "rb-left-fill")] * 2  # fmt: skip
    for pattern in ("rb-ss-fill", "rb-insurer-fill", "rb-left-fill"):
        assert f'<pattern id="{pattern}"' in svg
    legend = re.search(r'<ul class="rb-legend".*?</ul>', html, re.S).group(0)
    assert re.findall(r"url\(#(rb-[a-z]+-fill)\)", legend) == [
        "rb-ss-fill",
        "rb-insurer-fill",
        "rb-left-fill",
    ]
    assert "Part complémentaire" in legend and "Reste à charge" in legend


def test_the_bars_are_as_long_as_the_amounts(member):
    _line(member, care_date=TODAY, **_amounts("100.00", "50.00", "30.00"))
    _line(member, care_date=TODAY, care_type="dental", **_amounts("200.00", "60.00", "40.00"))

    svg = _chart(year_summary(member, today=TODAY))

    widths = [
        Decimal(w)
        for w in re.findall(r'<rect class="rb-[a-z]+" x="[\d.]+" y="\d+" width="([\d.]+)"', svg)
    ]
    consultation, dental = sum(widths[:3]), sum(widths[3:])
    assert dental == pytest.approx(2 * consultation, rel=Decimal("0.01"))
    assert widths[0] == pytest.approx(widths[2] * Decimal("2.5"), rel=Decimal("0.01"))


def test_the_chart_names_the_insurers_share_as_the_payment_detail_does(member):
    _line(member, care_date=TODAY, **_amounts("10.00", "5.00", "2.00"))

    html = _chart(year_summary(member, today=TODAY), insurer="<b>Mutuelle</b>")

    assert "<b>" not in html and "Mutuelle" not in html
    assert "Part complémentaire" in html


def test_there_is_no_chart_without_reimbursements(member):
    assert _chart(year_summary(member, today=TODAY)).strip() == ""


# -- The home page -----------------------------------------------------------------------------
def test_the_home_page_shows_the_summary_as_a_chart_a_table_and_totals(client, member):
    Branding.objects.update_or_create(pk=1, defaults={"insurer_name": "Mutuelle Démo"})
    today = timezone.localdate()
    paul = member.beneficiaries.get(first_name="Paul")
    _line(member, care_date=today, **_amounts("1030.00", "600.00", "300.00"))
    _line(member, care_date=today, beneficiary=paul, care_type="optics",
          **_amounts("380.00", "0.05", "250.00"))  # fmt: skip

    html = _home(client, member)

    assert "Focus remboursements" in html
    assert 'role="img"' in html
    table = re.search(r'<table class="responsive-table[^"]*rb-table".*?</table>', html, re.S)
    table = table.group(0)
    assert "Synthèse de vos remboursements sur les 12 derniers mois" in table
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    assert headers == [
        "Type de soins",
        "Frais réels",
        "Part Sécurité sociale",
        "Part complémentaire",
        "Reste à charge",
    ]
    assert re.search(r"Optique</th>\s*<td[^>]*>380,00 €</td>", table)
    total = re.search(r'<tr role="row" class="rb-total">.*?</tr>', table, re.S).group(0)
    # Left to pay: 1030 - 900 = 130 on the consultation, 380 - 250.05 = 129.95 on the glasses.
    assert re.findall(r">([^<]*€)</td>", total) == [
        "1 410,00 €",
        "600,05 €",
        "550,00 €",
        "259,95 €",
    ]


def test_the_home_page_lists_the_last_three_payments_with_a_link_to_each(
    client, member, other_member
):
    today = timezone.localdate()
    payments = [
        make_payment(member, payment_date=today - datetime.timedelta(days=ago), lines=2)
        for ago in (30, 20, 10)
    ]
    clinic = make_payment(member, third_party=True, payment_date=today)
    stranger = make_payment(other_member, payment_date=today)

    html = _home(client, member)

    shown = re.findall(r'href="([^"]+)" class="rb-payment-link"', html)
    assert shown == [
        reverse("cover:payment", args=[payment.number])
        for payment in (clinic, payments[2], payments[1])
    ]
    assert reverse("cover:payment", args=[payments[0].number]) not in html
    assert reverse("cover:payment", args=[stranger.number]) not in html
    assert "à Pharmacie du Centre (tiers payant)" in html
    assert "20,00 €" in html  # two lines of 10 € paid to the member
    assert f"payé le {today:%d/%m/%Y}" in html
    assert f'href="{reverse("cover:reimbursements")}">Tous mes remboursements' in html


def test_a_member_without_reimbursements_reads_a_sentence_not_an_empty_chart(client, member):
    html = _home(client, member)

    assert (
        "Aucun remboursement pour vous ni pour vos bénéficiaires sur les 12 derniers mois" in html
    )
    assert "rb-chart" not in html and "rb-table" not in html
    assert "Aucun remboursement ne vous a encore été versé." in html


def test_the_home_page_offers_the_cover_sections(client, member):
    html = _home(client, member)

    for name, title in [
        ("cover:contract", "Mon contrat"),
        ("cover:card", "Ma carte de tiers payant"),
        ("cover:beneficiaries", "Mes bénéficiaires"),
        ("cover:reimbursements", "Mes remboursements"),
    ]:
        assert re.search(
            rf'href="{re.escape(reverse(name))}"><span class="tile-title">{title}</span>', html
        )


def test_the_home_page_queries_do_not_grow_with_the_history(client, member):
    _sign_in(client, member.user)
    make_payment(member, lines=1)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for days in range(0, 300, 10):
        make_payment(member, lines=3, payment_date=timezone.localdate() - datetime.timedelta(days))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))

    assert len(many) == len(few)


# -- Issue 16, point 14: one person's 12 months ----------------------------------------------
def test_the_summary_of_one_beneficiary_or_of_the_member_alone(client, member):
    today = timezone.localdate()
    lucas = member.beneficiaries.get(first_name="Lucas")
    _line(member, care_date=today, **_amounts("30.00", "19.00", "9.00"))
    _line(member, care_date=today, beneficiary=lucas, **_amounts("25.00", "15.00", "8.00"))
    _sign_in(client, member.user)

    everyone = client.get(reverse("home")).content.decode()
    assert '<option value="" selected>Vous et vos bénéficiaires</option>' in everyone
    assert f'<option value="{lucas.pk}">{lucas.full_name}</option>' in everyone
    assert "55,00" in everyone

    page = client.get(reverse("home"), {"personne": lucas.pk}).content.decode()
    assert f'<option value="{lucas.pk}" selected>' in page
    assert f"La synthèse des remboursements de {lucas.full_name} sur les 12 derniers mois" in page
    totals = page[page.index('class="rb-totals"') :]
    assert "25,00" in totals[:600] and "55,00" not in totals[:600]

    alone = client.get(reverse("home"), {"personne": "adherent"}).content.decode()
    totals = alone[alone.index('class="rb-totals"') :]
    assert "30,00" in totals[:600]

    # Someone else's beneficiary (or nonsense) shows everyone's, never theirs.
    for stranger in ("999999", "x"):
        page = client.get(reverse("home"), {"personne": stranger}).content.decode()
        assert '<option value="" selected>' in page and "55,00" in page


def test_the_last_payments_come_before_the_summary(client, member):
    make_payment(member)
    page = _home(client, member)
    assert page.index("Derniers remboursements") < page.index('class="rb-totals"') or (
        page.index("Derniers remboursements") < page.index("Mes remboursements des 12 derniers")
    )


# -- Issue 16, point 13: the guides' words lead to the same pages ------------------------------
def test_the_words_of_each_guide_lead_to_their_pages(client, member):
    import html as html_lib

    page = html_lib.unescape(_home(client, member))
    header = re.search(r'<nav class="header-nav".*?</nav>', page, re.S).group(0)
    assert re.search(r'href="/compte/mes-informations/"[^>]*>Mon compte</a>', header)
    assert re.search(r'<h2 id="ask-title">Démarche</h2>', page)
    ask = page[page.index('id="ask-title"') :]
    assert re.search(r'href="/demandes/devis/"><span class="tile-title">Transmettre un devis', ask)
    assert re.search(
        r'href="/demandes/declarer-un-changement/"><span class="tile-title">Déclarer un changement'
        r'</span><span class="tile-hint">Ma situation change',
        page,
    )
    sections = re.search(r'<nav class="member-nav".*?</nav>', page, re.S).group(0)
    envelope = r'<svg class="icon icon-envelope"[^>]*aria-hidden="true".*?Messagerie'
    assert re.search(envelope, sections)
    profile = html_lib.unescape(client.get("/compte/mes-informations/").content.decode())
    assert "Mon compte" in profile and "<h1>Mes informations personnelles</h1>" in profile


def test_the_sign_in_page_says_where_the_member_number_is(client):
    import html as html_lib

    page = html_lib.unescape(client.get("/compte/connexion/").content.decode())
    assert "n° assuré, visible en haut à droite de la carte TP" in page


# -- Issue 16, point 23: amounts in the reader's language on screens ----------------------------
def test_amounts_follow_the_language_on_screens_but_not_in_documents(client, member):
    from django.conf import settings

    from cover.money import screen_euros
    from cover.pdf import euros

    today = timezone.localdate()
    _line(member, care_date=today, **_amounts("1234.50", "19.00", "9.00"))
    page = _home(client, member)
    assert "1 234,50 €" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("home")).content.decode()
    assert "€1,234.50" in page and "1 234,50 €" not in page
    assert euros(Decimal("-1234.5")) == "-1 234,50 €"  # documents keep the French format
    from django.utils import translation

    with translation.override("en"):
        assert screen_euros(Decimal("-1234.5")) == "-€1,234.50"
    translation.activate("fr")  # the next tests read French
