"""Issue 16, partner space (guide 001): what a technician trips on, through HTTP."""

import pytest

from portal.models import Branding

pytestmark = pytest.mark.django_db

HOME = "/partenaires/accueil/"


def _top_bar(response) -> str:
    page = response.content.decode()
    start = page.index('class="partner-topbar"')
    return page[start : page.index('class="partner-bands"', start)]


def test_the_top_bar_links_the_organisms_public_site(partner_client, organism):
    organism.public_site_url = "https://www.ameli.fr/gironde/"
    organism.save()
    bar = _top_bar(partner_client.get(HOME))
    assert (
        '<a href="https://www.ameli.fr/gironde/" class="partner-public-site">'
        '<span class="visually-hidden">Site public : </span>ameli.fr</a>' in bar
    )
    assert bar.index("ameli.fr") < bar.index("Manuel utilisateur")


def test_without_an_organism_site_the_top_bar_links_the_insurers(partner_client):
    branding = Branding.current()
    branding.public_site_url = "https://www.mutuelle-demo.example/"
    branding.save()
    for path in ["/partenaires/", HOME]:
        bar = _top_bar(partner_client.get(path))
        assert '<a href="https://www.mutuelle-demo.example/"' in bar
        assert ">mutuelle-demo.example</a>" in bar


def test_no_public_site_set_means_no_link(partner_client):
    assert "partner-public-site" not in _top_bar(partner_client.get(HOME))


# -- Point 9: partners read partner wording on the sign-in and invitation pages ---------------
@pytest.mark.parametrize(
    "path", ["/compte/connexion/?espace=partenaires", "/partenaires/historique/"]
)
def test_the_sign_in_page_speaks_to_partners(client, path):
    page = client.get(path, follow=True).content.decode()
    assert "Me connecter à l&#x27;Espace Partenaires" in page or (
        "Me connecter à l'Espace Partenaires" in page
    )
    assert "numéro d&#x27;adhérent" not in page and "numéro d'adhérent" not in page
    assert "Créer mon espace" not in page
    assert "Votre identifiant ou votre adresse email professionnelle." in page


def test_the_member_sign_in_page_keeps_member_wording_and_leads_partners_to_theirs(client):
    page = client.get("/compte/connexion/").content.decode()
    assert "Créer mon espace" in page
    assert 'href="/compte/connexion/?espace=partenaires"' in page


def test_an_invited_technician_chooses_their_password_in_partner_words(
    client, partner_manager, structure, convention, outbox, django_capture_on_commit_callbacks
):
    from html import unescape

    from partners.technicians import technician_create

    with django_capture_on_commit_callbacks(execute=True):
        technician_create(
            by=partner_manager, structure=structure, first_name="Luc", last_name="Martin",
            email="luc.martin@example.org",
        )  # fmt: skip
    link = outbox.last("email", to="luc.martin@example.org").link()
    page = unescape(client.get(link).content.decode())
    assert "<h1>Choisir votre mot de passe</h1>" in page
    assert "Bienvenue dans l'Espace Partenaires." in page
    chosen = "un mot de passe bien long 2026"
    response = client.post(link, {"password1": chosen, "password2": chosen}, follow=True)
    assert response.redirect_chain[-1][0] == "/compte/connexion/?espace=partenaires"
    page = unescape(response.content.decode())
    assert (
        "Votre mot de passe est enregistré. Connectez-vous à l'Espace Partenaires avec votre "
        "adresse email et ce mot de passe." in page
    )
    assert "a été modifié" not in page and "Créer mon espace" not in page


# -- Point 10 ----------------------------------------------------------------------------------
def test_the_organism_choosers_error_does_not_repeat_its_label(partner_client):
    from html import unescape

    page = unescape(partner_client.post("/partenaires/", {"organism": ""}).content.decode())
    assert "connecter. :" not in page
    assert (
        '<a href="#id_organism">Sélectionnez l\'organisme sur lequel vous souhaitez vous '
        "connecter.</a>" in page
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("numero=26A31", "numero", "Le numéro de demande est composé de chiffres uniquement"),
        ("demandeur=999999", "demandeur", "Ce choix n'est pas proposé : choisissez dans la liste."),
        ("demandeur=abc", "demandeur", "Ce choix n'est pas proposé : choisissez dans la liste."),
    ],
)
def test_a_bad_number_or_requester_filter_is_said_next_to_its_field(
    partner_client, query, field, message
):
    from html import unescape

    page = unescape(partner_client.get(f"/partenaires/historique/?{query}").content.decode())
    start = page.index(f'id="id_{field}_error"')
    assert message in page[start : start + 300]
