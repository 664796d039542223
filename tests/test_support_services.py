""" "Mes services" (guide 003), the demo help content, the admin, and who may open the support
pages."""

import pytest
from django.urls import reverse

from support.demo import demo_support_load
from support.models import FaqEntry, FaqTheme, ServicePage
from tests.test_access_matrix import LOGIN, _sign_in
from tests.test_support_faq import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


def service(slug, title, **fields):
    defaults = {"summary": f"Résumé de {title}.", "body": f"Tout sur {title}."}
    return ServicePage.objects.create(slug=slug, title=title, **{**defaults, **fields})


def test_the_services_are_tiles_in_the_insurers_order(member_client):
    service("hospitalisation", "En cas d'hospitalisation", position=2)
    service("prevention", "Des actions de prévention clés en main", position=1)
    service("brouillon", "Un service à venir", published=False)
    page = page_of(member_client.get("/services/"))
    assert "découvrez l'ensemble des services dont vous pouvez bénéficier" in page
    prevention = page.index('href="/services/prevention/"')
    hospital = page.index('href="/services/hospitalisation/"')
    assert prevention < hospital
    assert "Résumé de En cas d'hospitalisation." in page
    assert "Un service à venir" not in page


def test_a_service_page_shows_its_text_as_paragraphs_never_as_html(member_client):
    service(
        "aides",
        "Des aides en cas de difficultés ou de maladie grave",
        body="Notre service d'action sociale vous écoute.\n\n<script>alert(1)</script>",
    )
    response = member_client.get("/services/aides/")
    html = response.content.decode()
    assert "<h1>Des aides en cas de difficultés ou de maladie grave</h1>" in page_of(response)
    assert "<p>Notre service d&#x27;action sociale vous écoute.</p>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_unpublished_or_unknown_service_is_not_found(member_client):
    service("brouillon", "Un service à venir", published=False)
    assert member_client.get("/services/brouillon/").status_code == 404
    assert member_client.get("/services/inconnu/").status_code == 404


# -- Demo content -------------------------------------------------------------------------------
def test_the_demo_loads_the_help_content_once(member_client):
    assert demo_support_load() > 0
    counts = (FaqTheme.objects.count(), FaqEntry.objects.count(), ServicePage.objects.count())
    assert demo_support_load() == 0
    assert (
        FaqTheme.objects.count(),
        FaqEntry.objects.count(),
        ServicePage.objects.count(),
    ) == counts
    assert set(FaqTheme.objects.values_list("name", flat=True)) >= {
        "Carte de tiers payant",
        "Remboursements",
        "Devis, optique, dentaire et 100 % Santé",
        "Hospitalisation",
        "Médecine douce et téléconsultation",
        "Affiliation et contrat",
        "Cotisations",
        "Télétransmission",
        "Bénéficiaires",
        "Mon espace",
    }
    # The everyday questions of a complementary health insurer (issue 15).
    assert counts[1] >= 60
    assert counts[2] == 4
    card = FaqEntry.objects.get(question="Comment obtenir ma carte de tiers payant ?")
    assert (card.link_url_name, card.link_label) == ("cover:card", "Télécharger ma carte")
    # The advisor answers the guide's example from the demo FAQ.
    page = page_of(
        member_client.post(
            "/aide/conseiller/", {"question": "Comment obtenir ma carte de tiers payant ?"},
            follow=True,
        )
    )  # fmt: skip
    assert "<strong>Comment obtenir ma carte de tiers payant ?</strong>" in page
    services = page_of(member_client.get("/services/"))
    for title in (
        "Des professionnels de santé à votre disposition",
        "Des actions de prévention clés en main",
        "Des aides en cas de difficultés ou de maladie grave",
        "En cas d'hospitalisation",
    ):
        assert title in services


def test_a_managers_edit_survives_the_demo_loader():
    demo_support_load()
    card = FaqEntry.objects.get(question="Comment obtenir ma carte de tiers payant ?")
    card.answer = "Texte revu par un gestionnaire."
    card.save()
    demo_support_load()
    card.refresh_from_db()
    assert card.answer == "Texte revu par un gestionnaire."


# -- Admin ---------------------------------------------------------------------------------------
def test_managers_edit_the_faq_and_the_services_in_the_admin(client, insurer_manager):
    demo_support_load()
    _sign_in(client, insurer_manager)
    theme = FaqTheme.objects.get(name="Carte de tiers payant")
    page = page_of(client.get(reverse("admin:support_faqtheme_change", args=[theme.pk])))
    assert "Comment obtenir ma carte de tiers payant ?" in page
    assert "Ma carte de tiers payant" in page  # a "page liée" choice
    listing = page_of(client.get(reverse("admin:support_faqentry_changelist")))
    assert "Qu'est-ce que la télétransmission NOEMIE ?" in listing
    response = client.post(
        reverse("admin:support_servicepage_add"),
        {
            "title": "Téléconsultation",
            "slug": "teleconsultation",
            "summary": "Un médecin par vidéo.",
            "body": "Sept jours sur sept.",
            "published": "on",
            "position": "5",
            # The page's actions (inline), none here.
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert ServicePage.objects.filter(slug="teleconsultation", published=True).exists()


# -- Access --------------------------------------------------------------------------------------
SUPPORT_PAGES = [
    "/suivi/",
    "/aide/faq/",
    "/aide/faq/?q=carte",
    "/aide/conseiller/",
    "/contact/",
    "/services/",
    "/services/prevention/",
]


@pytest.mark.parametrize("url", SUPPORT_PAGES)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", "login"), ("member", 200), ("technician", 404), ("insurer_manager", 404)],
)
def test_the_support_pages_are_for_members_only(client, request, url, persona, expected):
    service("prevention", "Des actions de prévention clés en main")
    if persona != "anonymous":
        persona_object = request.getfixturevalue(persona)
        _sign_in(client, getattr(persona_object, "user", persona_object))
    response = client.get(url)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("persona", ["technician", "insurer_manager"])
def test_others_cannot_post_to_the_advisor_or_the_contact_form(client, request, persona):
    _sign_in(client, request.getfixturevalue(persona))
    assert client.post("/aide/conseiller/", {"question": "carte"}).status_code == 404
    assert client.post("/contact/", {"topic": "other", "message": "Bonjour"}).status_code == 404
