"""The virtual advisor on the demo FAQ (issue 15): everyday questions in the members' own words
(tests/data/advisor_questions.tsv: no accents, typos, their phrasing) get the right entry, never
a wrong one with confidence; when two entries fit it asks which; the questions it could not
answer are counted for the managers."""

from pathlib import Path

import pytest
from django.urls import reverse

from portal.models import Branding
from support.demo import demo_support_load
from support.models import FaqEntry, UnansweredQuestion
from tests.test_access_matrix import _sign_in
from tests.test_support_faq import page_of

pytestmark = pytest.mark.django_db

URL = "/aide/conseiller/"
JSON = {"HTTP_ACCEPT": "application/json"}
NO_ANSWER = "Je n'ai pas trouvé de réponse à votre question."
QUESTIONS = Path(__file__).parent / "data" / "advisor_questions.tsv"


def everyday_questions() -> list[tuple[str, list[str]]]:
    rows = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            question, expected = line.split("\t")
            rows.append((question, [e.strip() for e in expected.split("|")]))
    return rows


@pytest.fixture
def demo_faq(db):
    demo_support_load()


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


def ask_json(client, question):
    response = client.post(URL, {"question": question}, **JSON)
    assert response.status_code == 200
    return response.json()


def test_the_test_set_is_forty_everyday_questions_each_naming_a_demo_entry(demo_faq):
    rows = everyday_questions()
    assert len(rows) >= 40
    questions = set(FaqEntry.objects.values_list("question", flat=True))
    for question, expected in rows:
        assert question not in questions  # the members' words, not the FAQ's
        assert set(expected) <= questions, expected


def test_everyday_questions_get_the_right_entry_and_never_a_wrong_one(member_client, demo_faq):
    right, wrong, unsure = [], [], []
    for question, expected in everyday_questions():
        data = ask_json(member_client, question)
        if data["found"]:
            (right if data["answer"]["question"] in expected else wrong).append(question)
        else:
            unsure.append((question, [c["question"] for c in data["choices"]]))
    assert wrong == []
    assert len(right) >= 0.9 * len(everyday_questions()), unsure
    # When it hesitates, the right entry is one of the two it offers.
    expected_of = dict(everyday_questions())
    for question, choices in unsure:
        assert set(choices) & set(expected_of[question]), (question, choices)


@pytest.mark.parametrize(
    "question",
    [
        "Comment refaire la carte grise de ma voiture ?",
        "quelle est la meteo demain a Bordeaux",
        "je cherche une recette de gateau au chocolat",
    ],
)
def test_questions_outside_the_faq_get_no_answer_but_an_offer_to_write(
    member_client, demo_faq, question
):
    data = ask_json(member_client, question)
    assert (data["found"], data["choices"]) == (False, [])
    assert NO_ANSWER in data["html"]
    assert "Écrire à nos conseillers" in data["html"]


def test_forgotten_password_leads_to_the_reset_page(member_client, demo_faq):
    data = ask_json(member_client, "mot de passe oublié")
    assert data["answer"]["question"] == "J'ai oublié mon mot de passe, que faire ?"
    assert data["answer"]["link"] == {
        "url": reverse("accounts:password_reset"),
        "label": "Mot de passe oublié",
    }


def test_the_advisor_answers_under_its_name_from_the_branding(member_client, demo_faq):
    page = page_of(member_client.get(URL))
    assert "<h1>Camille, votre conseiller virtuel</h1>" in page
    Branding.objects.filter(pk=1).update(advisor_name="")
    page = page_of(member_client.get(URL))
    assert "<h1>Votre conseiller virtuel</h1>" in page


def test_between_two_entries_it_asks_which_one_and_answers_the_choice(member_client, demo_faq):
    data = ask_json(member_client, "carte")
    offered = [c["question"] for c in data["choices"]]
    assert not data["found"] and len(offered) == 2
    assert "Votre question porte-t-elle sur l'un de ces sujets ?" in data["html"]
    # Without JavaScript: the same buttons on the page, the choice posted.
    page = page_of(member_client.get(URL))
    for question in offered:
        assert f'value="{FaqEntry.objects.get(question=question).pk}"' in page
    chosen = FaqEntry.objects.get(question=offered[1])
    response = member_client.post(URL, {"choice": chosen.pk}, follow=True)
    assert f"<strong>{chosen.question}</strong>" in page_of(response)
    # Only an entry it offered can be chosen.
    other = FaqEntry.objects.exclude(question__in=offered).first()
    assert member_client.post(URL, {"choice": other.pk}).status_code == 404
    assert member_client.post(URL, {"choice": "abc"}).status_code == 404
    # A question it hesitated on is not an unanswered one.
    assert not UnansweredQuestion.objects.exists()


def test_unanswered_questions_are_counted_for_the_managers(
    member_client, demo_faq, client, insurer_manager
):
    ask_json(member_client, "Comment refaire la carte grise de ma voiture ?")
    ask_json(member_client, "carte grise voiture, refaire ?")
    ask_json(member_client, "Cure thermale 2026 : mon numéro 1 85 05 75 123 456 78, a@b.fr")
    ask_json(member_client, "bonjour")  # nothing to learn from
    rows = {row.text: row.count for row in UnansweredQuestion.objects.all()}
    assert rows == {
        "carte grise voiture, refaire ?": 2,
        "Cure thermale 2026 : mon numéro …, …": 1,
    }
    _sign_in(client, insurer_manager)
    listing = page_of(client.get(reverse("admin:support_unansweredquestion_changelist")))
    assert "carte grise voiture, refaire ?" in listing
    assert listing.index("carte grise voiture") < listing.index("Cure thermale")
    assert '<td class="field-count">2</td>' in listing
    assert "1 85 05" not in listing and "a@b.fr" not in listing
