"""La FAQ (guide 002, "Suivi"), its search and the suggestions shown while a member writes."""

import re
from html import unescape

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from support.models import FaqEntry, FaqTheme
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

FAQ = "/aide/faq/"
SUGGEST = "/aide/faq/suggestions/"


def page_of(response) -> str:
    return unescape(response.content.decode())


def entry(question, answer="Réponse.", *, theme="Remboursements", **fields) -> FaqEntry:
    found, _created = FaqTheme.objects.get_or_create(name=theme)
    return FaqEntry.objects.create(theme=found, question=question, answer=answer, **fields)


def questions_in(page: str) -> list[str]:
    """The questions of the FAQ entries shown, in order."""
    return re.findall(r'<summary class="faq-question">(.*?)</summary>', page)


@pytest.fixture
def some_faq(db):
    return {
        "card": entry(
            "Comment obtenir ma carte de tiers payant ?",
            "Téléchargez-la depuis votre espace, rubrique « Ma carte de tiers payant ».",
            theme="Carte de tiers payant",
        ),
        "delays": entry(
            "Quels sont les délais des Remboursements ?",
            "Quelques jours après l'assurance maladie.\n\nSuivez-les dans votre espace.",
        ),
        "noemie": entry(
            "Qu'est-ce que la Télétransmission NOEMIE ?",
            "Votre caisse nous transmet directement vos feuilles de soins.",
            theme="Télétransmission",
        ),
        "hidden": entry(
            "Comment être remboursé d'une cure thermale ?",
            "Brouillon à relire.",
            published=False,
        ),
    }


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


def test_the_faq_shows_the_published_questions_under_their_theme(member_client, some_faq):
    page = page_of(member_client.get(FAQ))
    assert "La FAQ regroupe les questions les plus fréquemment posées." in page
    for theme in ("Carte de tiers payant", "Remboursements", "Télétransmission"):
        assert f">{theme}</h2>" in page
    assert "Comment obtenir ma carte de tiers payant ?" in page
    assert "<p>Quelques jours après l'assurance maladie.</p>" in page
    assert "cure thermale" not in page
    assert 'href="/contact/"' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("remboursement", ["Quels sont les délais des Remboursements ?"]),
        ("REMBOURSEMENTS", ["Quels sont les délais des Remboursements ?"]),
        ("teletransmission", ["Qu'est-ce que la Télétransmission NOEMIE ?"]),
        ("délai", ["Quels sont les délais des Remboursements ?"]),
        # A word typed in part, as the last word.
        ("rembour", ["Quels sont les délais des Remboursements ?"]),
        # Words of the answer count too.
        ("feuilles de soins", ["Qu'est-ce que la Télétransmission NOEMIE ?"]),
        ("carte tiers payant", ["Comment obtenir ma carte de tiers payant ?"]),
    ],
)
def test_the_search_ignores_accents_and_case(member_client, some_faq, query, expected):
    page = page_of(member_client.get(FAQ, {"q": query}))
    assert questions_in(page) == expected
    assert f"1 réponse pour « {query} »" in page


def test_the_search_never_shows_an_unpublished_entry(member_client, some_faq):
    page = page_of(member_client.get(FAQ, {"q": "thermale"}))
    assert questions_in(page) == []
    assert "cure thermale" not in page
    assert "Aucune réponse ne correspond à « thermale »." in page


def test_a_search_without_an_answer_offers_to_contact_us(member_client, some_faq):
    page = page_of(member_client.get(FAQ, {"q": "lunettes de soleil"}))
    assert "Aucune réponse ne correspond à « lunettes de soleil »." in page
    assert '<a class="button" href="/contact/">Nous contacter</a>' in page


def test_an_empty_search_asks_for_words_and_lists_nothing(member_client, some_faq):
    page = page_of(member_client.get(FAQ, {"q": "  "}))
    assert "Saisissez un ou plusieurs mots à rechercher." in page
    assert questions_in(page) == []


def test_an_entry_leads_to_the_page_that_does_the_thing(member_client, db):
    entry(
        "Comment suivre mes demandes ?",
        link_url_name="requests_app:history",
        link_label="Voir mes demandes",
    )
    entry("Comment joindre un conseiller ?", link_url_name="support:contact")
    page = page_of(member_client.get(FAQ))
    assert '<a class="button button-small faq-do" href="/demandes/">Voir mes demandes</a>' in page
    # Without a label, the page's name.
    assert '<a class="button button-small faq-do" href="/contact/">Nous contacter</a>' in page


def test_a_link_to_a_page_that_does_not_exist_is_left_out(member_client, db):
    entry("Une question ?", link_url_name="nowhere:page", link_label="Y aller")
    page = page_of(member_client.get(FAQ))
    assert "Une question ?" in page
    assert "Y aller" not in page


def test_a_linked_entry_opens_on_the_faq_page(member_client, some_faq):
    card = some_faq["card"]
    page = page_of(member_client.get(FAQ, {"entree": card.pk}))
    assert f'<details class="faq-entry" id="faq-{card.pk}" open>' in page
    delays = some_faq["delays"]
    assert f'<details class="faq-entry" id="faq-{delays.pk}">' in page


def test_follow_up_groups_the_faq_and_the_history(member_client):
    page = page_of(member_client.get("/suivi/"))
    assert "<h1>Suivi</h1>" in page
    assert 'href="/aide/faq/"' in page and "Foire aux questions (FAQ)" in page
    assert 'href="/demandes/"' in page and "Échanger avec nous" in page


# -- Suggestions while writing ----------------------------------------------------------------
def suggestions(client, text) -> list[dict]:
    response = client.post(SUGGEST, {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_suggestions_put_the_entry_matching_most_words_first(member_client, some_faq):
    results = suggestions(
        member_client, "Bonjour, je n'arrive pas à télécharger ma carte de tiers payant"
    )
    assert results[0]["question"] == "Comment obtenir ma carte de tiers payant ?"
    card = some_faq["card"]
    assert results[0]["url"] == f"/aide/faq/?entree={card.pk}#faq-{card.pk}"
    assert results[0]["answer"].startswith("Téléchargez-la depuis votre espace")


def test_suggestions_ignore_accents_and_rank_by_words(member_client, some_faq):
    results = suggestions(member_client, "delai de remboursement de ma teletransmission")
    assert [r["question"] for r in results] == [
        "Quels sont les délais des Remboursements ?",
        "Qu'est-ce que la Télétransmission NOEMIE ?",
    ]


def test_suggestions_ignore_french_stop_words(member_client, some_faq):
    # Every one of these words is in some entry ("ma", "de", "la", "que"...).
    assert suggestions(member_client, "Bonjour, est-ce que vous pouvez me dire la") == []


def test_suggestions_never_offer_an_unpublished_entry(member_client, some_faq):
    assert suggestions(member_client, "cure thermale") == []


def test_suggestions_are_five_at_most_and_carry_the_do_it_link(member_client, db):
    for number in range(7):
        entry(f"Carte numéro {number} ?", link_url_name="requests_app:history")
    results = suggestions(member_client, "carte")
    assert len(results) == 5
    assert results[0]["link"] == {
        "url": "/demandes/",
        "label": "Échanger avec nous (historique des demandes)",
    }


def test_the_suggestions_script_attaches_to_a_form_with_two_template_lines(member):
    """The change the lead makes in requests_app/request_form.html, rendered."""
    request = RequestFactory().get("/demandes/poser-une-question/")
    request.user = member.user
    template = Template(
        '{% load i18n %}<form method="post"{% if kind == "question" or kind == "message" %}'
        ' data-faq-suggest{% endif %}><textarea name="message"></textarea></form>'
        '{% if kind == "question" or kind == "message" %}'
        '{% include "support/partials/faq_suggest_script.html" %}{% endif %}'
    )
    page = unescape(template.render(RequestContext(request, {"kind": "question"})))
    assert '<form method="post" data-faq-suggest>' in page
    assert 'src="/static/js/faq_suggest.js"' in page
    assert 'data-url="/aide/faq/suggestions/"' in page
    assert 'data-title="Ces réponses de la FAQ peuvent vous aider"' in page
    other = template.render(Context({"kind": "document"}))
    assert "data-faq-suggest" not in other and "faq_suggest.js" not in other


def test_the_server_side_box_shows_the_faq_matching_a_text(some_faq):
    template = Template("{% load support_tags %}{% faq_suggestions_box text %}")
    page = unescape(template.render(Context({"text": "Mes remboursements tardent"})))
    assert "Ces réponses de la FAQ peuvent vous aider" in page
    assert "Quels sont les délais des Remboursements ?" in page
    assert template.render(Context({"text": ""})).strip() == ""


def test_entries_with_the_words_in_their_question_come_first(member_client, db):
    entry("Quels sont les délais de remboursement ?", "Quelques jours.", theme="Remboursements")
    entry(
        "Qu'est-ce que la télétransmission ?",
        "Vos remboursements nous arrivent directement.",
        theme="Affiliation",  # before "Remboursements" in the FAQ
    )
    entry("Comment activer la télétransmission ?", "Dans « Mes bénéficiaires ».", theme="Zz")
    page = page_of(member_client.get(FAQ, {"q": "télétransmission"}))
    assert questions_in(page) == [
        "Qu'est-ce que la télétransmission ?",
        "Comment activer la télétransmission ?",
    ]
    page = page_of(member_client.get(FAQ, {"q": "remboursements"}))
    assert questions_in(page) == [
        "Quels sont les délais de remboursement ?",
        "Qu'est-ce que la télétransmission ?",
    ]
