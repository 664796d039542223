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
