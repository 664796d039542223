"""The virtual advisor (guide 003): answers from the FAQ with a link to the page that does the
thing; a plain page without JavaScript, JSON for the panel."""

import json
import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from tests.test_access_matrix import _sign_in
from tests.test_support_faq import entry, page_of

pytestmark = pytest.mark.django_db

URL = "/aide/conseiller/"
JSON = {"HTTP_ACCEPT": "application/json"}
NO_ANSWER = "Je n'ai pas trouvé de réponse à votre question."


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


@pytest.fixture
def card_entry(db):
    """The card entry, linked to a page that exists whatever the state of cover/."""
    entry(
        "Quels sont les délais de remboursement ?",
        "Quelques jours après l'assurance maladie.",
        link_url_name="cover:reimbursements",
    )
    return entry(
        "Comment obtenir ma carte de tiers payant ?",
        "Téléchargez-la depuis votre espace.\n\nElle a la même valeur que celle envoyée par "
        "courrier.",
        theme="Carte de tiers payant",
        link_url_name="requests_app:history",
        link_label="Télécharger ma carte",
    )


def ask(client, question, **extra):
    return client.post(URL, {"question": question}, follow=True, **extra)


def exchanges(page: str) -> list[str]:
    """The member's questions in the conversation shown, oldest first."""
    return re.findall(
        r'<div class="advisor-said advisor-said-member">\s*<p class="advisor-who">Vous</p>\s*'
        r"<p>(.*?)</p>",
        page,
    )


def test_it_answers_how_to_get_the_card_with_a_link_to_do_it(member_client, card_entry):
    response = ask(member_client, "comment obtenir ma carte de tiers payant")
    page = page_of(response)
    assert response.redirect_chain == [(f"{URL}#derniere-reponse", 302)]
    assert exchanges(page) == ["comment obtenir ma carte de tiers payant"]
    assert "<strong>Comment obtenir ma carte de tiers payant ?</strong>" in page
    assert "<p>Téléchargez-la depuis votre espace.</p>" in page
    assert '<a class="button button-small" href="/demandes/">Télécharger ma carte</a>' in page
    assert f'href="/aide/faq/?entree={card_entry.pk}#faq-{card_entry.pk}">Voir dans la FAQ' in page
    assert NO_ANSWER not in page


def test_the_card_answer_leads_to_the_card_page(member_client, db):
    entry(
        "Comment obtenir ma carte de tiers payant ?",
        "Téléchargez-la depuis votre espace.",
        link_url_name="cover:card",
        link_label="Télécharger ma carte",
    )
    page = page_of(ask(member_client, "Où télécharger ma carte de tiers payant ?"))
    assert "<strong>Comment obtenir ma carte de tiers payant ?</strong>" in page
    try:
        card_url = reverse("cover:card")
    except NoReverseMatch:
        # Before the card page exists the answer stands without a dead link.
        assert "Télécharger ma carte" not in page
    else:
        assert f'<a class="button button-small" href="{card_url}">Télécharger ma carte</a>' in page


def test_synonyms_and_accents_find_the_answer(member_client, card_entry):
    page = page_of(ask(member_client, "Je voudrais imprimer mon ATTESTATION de tiers-payant"))
    assert "<strong>Comment obtenir ma carte de tiers payant ?</strong>" in page
    page = page_of(ask(member_client, "délai pour être remboursé ?"))
    assert "<strong>Quels sont les délais de remboursement ?</strong>" in page


def test_without_an_answer_it_offers_to_write_to_us(member_client, card_entry):
    page = page_of(ask(member_client, "Quelle est la météo à Paris demain ?"))
    assert NO_ANSWER in page
    assert "<strong>Comment obtenir" not in page
    assert 'href="/aide/conseiller/ecrire/conseillers/">Écrire à nos conseillers</a>' in page
    assert '<a href="/aide/conseiller/ecrire/message/">Écrire un message</a>' in page
    assert "météo" not in re.sub(r"<p>Quelle est la météo à Paris demain \?</p>", "", page)


def test_a_question_sharing_one_common_word_is_not_answered(member_client, card_entry):
    """ "carte" alone is in the card entry, but "grise" and "voiture" weigh more."""
    page = page_of(ask(member_client, "Comment refaire la carte grise de ma voiture ?"))
    assert NO_ANSWER in page


@pytest.mark.parametrize(
    ("link", "form"), [("conseillers", "/contact/"), ("message", "/messagerie/ecrire/")]
)
def test_the_write_links_bring_the_question_along_outside_the_url(
    member_client, card_entry, link, form
):
    ask(member_client, "Quelle est la météo ?")
    response = member_client.get(f"/aide/conseiller/ecrire/{link}/")
    assert response["Location"] == form
    page = page_of(member_client.get(response["Location"]))
    assert re.search(r"<textarea[^>]*>\s*Quelle est la météo \?</textarea>", page)
    # Handed over once: the form opened again later starts empty.
    again = page_of(member_client.get(form))
    assert not re.search(r"<textarea[^>]*>\s*Quelle est la météo", again)


def test_the_conversation_is_kept_across_pages_without_javascript(member_client, card_entry):
    ask(member_client, "comment obtenir ma carte de tiers payant")
    ask(member_client, "Quelle est la météo ?")
    page = page_of(member_client.get(URL))
    assert exchanges(page) == ["comment obtenir ma carte de tiers payant", "Quelle est la météo ?"]
    assert page.count(NO_ANSWER) == 1
    assert "Effacer la conversation" in page


def test_the_conversation_keeps_the_last_ten_exchanges(member_client, card_entry):
    for number in range(1, 13):
        ask(member_client, f"Question numéro {number}")
    shown = exchanges(page_of(member_client.get(URL)))
    assert shown == [f"Question numéro {number}" for number in range(3, 13)]


def test_a_question_is_never_taken_from_the_address(member_client, card_entry):
    page = page_of(member_client.get(f"{URL}?question=carte+de+tiers+payant"))
    assert exchanges(page) == []


def test_the_conversation_can_be_cleared(member_client, card_entry):
    ask(member_client, "carte de tiers payant")
    response = member_client.post(URL, {"action": "clear"}, follow=True)
    assert exchanges(page_of(response)) == []


def test_an_empty_question_is_asked_again_next_to_the_field(member_client):
    response = member_client.post(URL, {"question": "   "})
    assert response.status_code == 200
    page = page_of(response)
    assert re.search(
        r'<ul class="errors" id="id_question_error"><li>Écrivez votre question\.', page
    )
    assert exchanges(page) == []


def test_a_too_long_question_keeps_what_was_typed(member_client):
    typed = "carte " * 100
    page = page_of(member_client.post(URL, {"question": typed}))
    assert "Votre question ne peut pas dépasser 500 caractères." in page
    assert f'value="{typed.strip()}"' in page or f'value="{typed}"' in page


def test_json_mode_answers_without_a_reload(member_client, card_entry):
    response = member_client.post(
        URL, {"question": "comment obtenir ma carte de tiers payant"}, **JSON
    )
    assert response.status_code == 200
    data = response.json()
    assert data["found"] is True
    assert data["question"] == "comment obtenir ma carte de tiers payant"
    assert data["answer"]["question"] == "Comment obtenir ma carte de tiers payant ?"
    assert data["answer"]["link"] == {"url": "/demandes/", "label": "Télécharger ma carte"}
    html = unescape(data["html"])
    assert html.strip().startswith('<li class="advisor-exchange"')
    assert '<a class="button button-small" href="/demandes/">Télécharger ma carte</a>' in html
    # The exchange is in the conversation the next page shows.
    assert exchanges(page_of(member_client.get(URL))) == [
        "comment obtenir ma carte de tiers payant"
    ]


def test_json_mode_without_an_answer_offers_to_write(member_client, card_entry):
    data = member_client.post(URL, {"question": "horaires de la piscine"}, **JSON).json()
    assert data["found"] is False and data["answer"] is None
    html = unescape(data["html"])
    assert NO_ANSWER in html
    assert "Écrire à nos conseillers" in html


def test_json_mode_refuses_an_empty_question_in_french(member_client):
    response = member_client.post(URL, {"question": ""}, **JSON)
    assert response.status_code == 400
    assert json.loads(response.content)["errors"]["question"][0]["message"] == (
        "Écrivez votre question."
    )


def render_panel(user, session=None, view_name="home"):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else {}
    request.resolver_match = type("Match", (), {"view_name": view_name})()
    return unescape(render_to_string("support/partials/advisor.html", request=request))


def test_the_panel_partial_is_an_accessible_dialog_with_the_conversation(member, card_entry):
    session = {"support_advisor": [{"q": "carte de tiers payant", "e": card_entry.pk}]}
    panel = render_panel(member.user, session)
    assert (
        '<a class="advisor-toggle" href="/aide/conseiller/" data-advisor-link>Une question ?</a>'
        in (panel)
    )
    assert 'aria-controls="advisor-panel"' in panel and 'aria-expanded="false"' in panel
    assert 'role="dialog"' in panel and 'aria-labelledby="advisor-title"' in panel
    assert '<h2 id="advisor-title" tabindex="-1">Votre conseiller virtuel</h2>' in panel
    assert 'role="log" aria-live="polite"' in panel
    assert '<form method="post" action="/aide/conseiller/"' in panel
    assert 'name="csrfmiddlewaretoken"' in panel
    assert "/static/js/advisor.js" in panel
    assert exchanges(panel) == ["carte de tiers payant"]
    assert '<a class="button button-small" href="/demandes/">Télécharger ma carte</a>' in panel


def test_the_panel_is_only_for_members_and_not_on_the_advisor_page(member, technician):
    assert render_panel(technician).strip() == ""
    assert render_panel(member.user, view_name="support:advisor").strip() == ""
