"""The compliance pages: every page of the three spaces carries the footer's links and the
accessibility mention; the pages show the admin-written text (French and English demo
content) with what the code applies (conformity level, retention table, cookies, host)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.html import escape

from privacy.demo import PAGES, demo_privacy_load
from privacy.models import LegalPage
from requests_app.models import RequestKind
from requests_app.services import member_request_submit
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

FOOTER = [
    "/informations/accessibilite/",
    "/informations/schema-pluriannuel/",
    "/informations/mentions-legales/",
    "/informations/donnees-personnelles/",
    "/informations/cookies/",
    "/plan-du-site/",
]
# Not pages of the three spaces: the managers' admin, machine endpoints, POST-only actions.
SKIPPED_PREFIXES = ("gestion/", "health/", "i18n/", "portail/", "documents/")


def _plain_urls(resolver=None, prefix=""):
    """Every URL of the portal that takes no argument."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _plain_urls(entry, route)
        elif (
            isinstance(entry, URLPattern)
            and "<" not in route
            and "(" not in route
            and not route.startswith(SKIPPED_PREFIXES)
        ):
            yield "/" + route.lstrip("^").rstrip("$")


def _assert_footer(html: str, url: str):
    for link in FOOTER:
        assert f'href="{link}"' in html, f"{url} lacks the footer link {link}"
    assert "Accessibilité : non conforme" in html, f"{url} lacks the accessibility mention"


@pytest.mark.parametrize("persona", ["anonymous", "member", "partner_client"])
def test_every_page_of_each_space_shows_the_footer_links_and_the_mention(client, request, persona):
    if persona == "partner_client":
        client = request.getfixturevalue("partner_client")
    elif persona == "member":
        member = request.getfixturevalue("member")
        _sign_in(client, member.user)
        sent = member_request_submit(
            member=member, kind=RequestKind.QUESTION, by=member.user, message="Ma question"
        )
    urls = sorted(set(_plain_urls()))
    if persona == "member":
        urls.append(f"/demandes/{sent.reference}/")
    pages = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        _assert_footer(response.content.decode(), url)
        pages += 1
    # Each space has its pages: the walk did reach them.
    assert pages >= {"anonymous": 10, "member": 40, "partner_client": 8}[persona]


def test_every_page_template_extends_the_base_that_holds_the_footer():
    """A full page (an <html> document) is either base.html or extends it, so no page of a
    space can be drawn without the footer."""
    engine = engines["django"].engine
    roots = [Path(settings.BASE_DIR)]
    # The ZIP's summary is not a page; the error pages (400, 500, 503) are drawn without the
    # database (they show when it may be down), so they cannot read the conformity level.
    own = {"base.html", "privacy/export_summary.html", "400.html", "500.html", "503.html"}
    checked = 0
    for path in roots[0].glob("**/templates/**/*.html"):
        skipped = {".venv", "admin", "emails", "bench", "var"}  # bench: not a page of the portal
        if skipped & set(path.parts):
            continue
        name = str(path).split("/templates/", 1)[1]
        if name in own or "partials" in name:
            continue
        template = engine.get_template(name)
        chain, current = [], template
        while current.nodelist and type(current.nodelist[0]).__name__ == "ExtendsNode":
            parent = current.nodelist[0].parent_name.resolve({"layout": "base.html"})
            chain.append(parent)
            current = engine.get_template(parent)
        source = path.read_text()
        if chain or "<html" in source:
            assert "base.html" in chain, f"{name} is a page that does not extend base.html"
            checked += 1
    assert checked > 50


def test_the_demo_pages_exist_in_french_and_in_english():
    demo_privacy_load()
    for kind in LegalPage.Kind.values:
        assert set(LegalPage.objects.filter(kind=kind).values_list("language", flat=True)) == {
            "fr",
            "en",
        }, kind
    assert demo_privacy_load() == 0  # a second run adds nothing


@pytest.fixture
def _french_after():
    """The English pages leave English active in this thread: French again afterwards."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.usefixtures("_french_after")
@pytest.mark.parametrize("kind", LegalPage.Kind.values)
def test_a_page_shows_the_admin_text_in_the_chosen_language(client, kind):
    demo_privacy_load()
    title_fr, body_fr = PAGES[kind]["fr"]
    title_en, body_en = PAGES[kind]["en"]
    page = client.get(f"/informations/{kind}/").content.decode()
    assert escape(title_fr) in page
    assert escape(body_fr.split("\n")[0][:60]) in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/informations/{kind}/").content.decode()
    assert escape(title_en) in page
    assert escape(body_en.split("\n")[0][:60]) in page


def test_an_edit_in_the_admin_shows_on_the_page(client):
    LegalPage.objects.create(
        kind="mentions-legales",
        language="fr",
        title="Mentions légales",
        body="Premier paragraphe.\n\nVoir https://exemple.fr/cgu <b>gras</b>",
    )
    page = client.get("/informations/mentions-legales/").content.decode()
    assert "<p>Premier paragraphe.</p>" in page
    assert '<a href="https://exemple.fr/cgu"' in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page  # plain text, never HTML


def test_the_legal_notice_names_the_publisher_and_the_certified_host(client):
    demo_privacy_load()
    page = client.get("/informations/mentions-legales/").content.decode()
    assert "mutuelle régie par le livre II du Code de la mutualité" in page
    assert "SIREN 000 000 000" in page
    assert "Hébergeur Démo SAS" in page
    assert "Certificat HDS" in page


def test_the_personal_data_page_states_the_retention_applied(client, settings):
    settings.RETENTION_POLICY = [
        {**rule, "period": {"years": 4}} if rule["key"] == "closed_requests" else rule
        for rule in settings.RETENTION_POLICY
    ]
    page = client.get("/informations/donnees-personnelles/").content.decode()
    assert "Demandes, messages échangés et fichiers joints" in page
    assert "<td>4 ans</td>" in page
    assert "<td>3 ans</td>" in page  # inactive spaces
    assert "<td>24 heures</td>" in page  # exports
    assert "<td>365 jours</td>" in page  # sign-in records


def test_the_cookies_page_lists_the_four_cookies_and_why_no_consent(client):
    demo_privacy_load()
    page = client.get("/informations/cookies/").content.decode()
    for name in ("sessionid", "csrftoken", "guichet_browser", "django_language"):
        assert f"<code>{name}</code>" in page
    assert "90 jours" in page
    assert "aucun bandeau" in page


def test_the_conformity_level_is_a_setting(client, settings):
    settings.ACCESSIBILITY_CONFORMITY = "partial"
    page = client.get("/informations/accessibilite/").content.decode()
    assert "Accessibilité : partiellement conforme" in page
    assert "ce site est partiellement conforme" in page


def test_the_site_map_lists_the_member_and_partner_menus(client):
    page = client.get("/plan-du-site/").content.decode()
    for url in (
        "/remboursements/",
        "/demandes/",
        "/contrat/",
        "/mes-donnees/",
        "/partenaires/historique/",
        "/partenaires/techniciens/",
        "/compte/connexion/",
    ):
        assert f'href="{url}"' in page, url  # fmt: skip


def test_an_unknown_page_is_a_404(client):
    assert client.get("/informations/inconnue/").status_code == 404


def test_managers_edit_the_pages_in_the_admin(client, insurer_manager):
    _sign_in(client, insurer_manager)
    response = client.post(
        "/gestion/privacy/legalpage/add/",
        {"kind": "cookies", "language": "fr", "title": "Nos cookies", "body": "Quatre cookies."},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get("/informations/cookies/").content.decode()
    assert "Nos cookies" in page and "Quatre cookies." in page
