"""Localiser un professionnel de santé (/professionnels-de-sante/): what a member finds, in which
order, and the messages when the search cannot be done or finds nobody."""

import html
import re

import pytest

from directory import communes
from directory.models import Professional, Specialty
from directory.selectors import Area, professionals_in
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

URL = "/professionnels-de-sante/"
# A point in Bordeaux (place Pey-Berland) and what lies around it.
PEY_BERLAND = (44.8378, -0.5792)


def _pro(name, postcode, city, *, specialty=Specialty.DENTIST, point=None, **fields):
    """A professional placed in the commune of postcode + city (at `point` if given)."""
    commune = next(c for c in communes.by_postcode(postcode) if c.named(city))
    latitude, longitude = point or (commune.latitude, commune.longitude)
    defaults = {"address": "1 rue de la Paix", "phone": "+33556123456", "tiers_payant": True}
    return Professional.objects.create(
        name=name,
        specialty=specialty,
        postcode=postcode,
        city=city,
        insee_code=commune.insee,
        latitude=latitude,
        longitude=longitude,
        **{**defaults, **fields},
    )


def _offset(point, km_north=0.0, km_east=0.0):
    """A point `km_north` and `km_east` kilometres away from `point`."""
    import math

    latitude, longitude = point
    return (
        latitude + km_north / 111.195,
        longitude + km_east / (111.195 * math.cos(math.radians(latitude))),
    )


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


def _text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _names(response) -> list[str]:
    """The professionals listed, in page order."""
    return [
        html.unescape(n)
        for n in re.findall(r'class="pro-name">([^<]+)<', response.content.decode())
    ]


def _distances(response) -> list[str]:
    return re.findall(r'class="distance">([^<]+)<', response.content.decode())


def _field_errors(response, field) -> list[str]:
    """The messages shown under one field of the search form."""
    found = re.search(
        rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return (
        [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", found.group(1))] if found else []
    )


# -- Finding -------------------------------------------------------------------------------------
def test_a_postcode_search_lists_the_dentists_of_that_postcode_only(member_client):
    _pro("Dr Jeanne LEROY", "33000", "Bordeaux")
    _pro("Dr Paul MARTIN", "33000", "Bordeaux")
    _pro("Dr Pessac DENTISTE", "33600", "Pessac")
    _pro("Dr Généraliste BORDELAIS", "33000", "Bordeaux", specialty=Specialty.GENERAL_PRACTITIONER)

    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "33000"})

    assert response.status_code == 200
    assert sorted(_names(response)) == ["Dr Jeanne LEROY", "Dr Paul MARTIN"]
    assert "2 professionnels « Chirurgien-dentiste » à 33000 Bordeaux" in _text(response)


def test_each_result_shows_address_phone_to_call_and_distance(member_client):
    _pro("Dr Jeanne LEROY", "33000", "Bordeaux", address="12 cours de l'Intendance",
         point=PEY_BERLAND)  # fmt: skip

    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "33000"})

    text = _text(response)
    assert "12 cours de l'Intendance 33000 Bordeaux" in text
    assert 'href="tel:+33556123456"' in response.content.decode()
    assert "05 56 12 34 56" in text
    # From the centre of Bordeaux (44.8404, -0.5805) to place Pey-Berland: about 0.3 km.
    assert _distances(response) == ["0,3 km"]


def test_a_city_search_ignores_case_accents_and_saint_abbreviations(member_client):
    _pro("Dr Forez STEPHANOIS", "42000", "Saint-Étienne")
    _pro("Dr Ailleurs LYONNAIS", "69003", "Lyon")

    for typed in ("saint etienne", "SAINT-ÉTIENNE", "St-Etienne"):
        response = member_client.get(URL, {"specialite": "dentist", "ville": typed})
        assert _names(response) == ["Dr Forez STEPHANOIS"], typed


def test_the_city_of_paris_covers_its_arrondissements(member_client):
    _pro("Dr Rive DROITE", "75011", "Paris")
    _pro("Dr Rive GAUCHE", "75005", "Paris")
    _pro("Dr Banlieue MONTREUIL", "93100", "Montreuil")

    response = member_client.get(URL, {"specialite": "dentist", "ville": "paris"})

    assert sorted(_names(response)) == ["Dr Rive DROITE", "Dr Rive GAUCHE"]


def test_postcode_and_city_together_narrow_to_that_commune(member_client):
    # 33610 serves Cestas and Canéjan.
    _pro("Dr Cestas UN", "33610", "Cestas")
    _pro("Dr Canejan DEUX", "33610", "Canéjan")

    response = member_client.get(
        URL, {"specialite": "dentist", "code_postal": "33610", "ville": "canejan"}
    )

    assert _names(response) == ["Dr Canejan DEUX"]


def test_the_tiers_payant_mark_is_written_in_words(member_client):
    _pro("Dr Avec TIERS", "33000", "Bordeaux", tiers_payant=True)
    _pro("Dr Sans TIERS", "33000", "Bordeaux", tiers_payant=False)

    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "33000"})

    rows = re.findall(r'<tr class="locator-row">(.*?)</tr>', response.content.decode(), re.S)
    marks = {
        _names_in(row): "Pas de tiers payant" if "Pas de tiers payant" in row else "Tiers payant"
        for row in rows
    }
    assert marks == {"Dr Avec TIERS": "Tiers payant", "Dr Sans TIERS": "Pas de tiers payant"}


def _names_in(row_html: str) -> str:
    return re.search(r'class="pro-name">([^<]+)<', row_html).group(1)


def test_the_tiers_payant_filter_keeps_only_those_who_practise_it(member_client):
    _pro("Dr Avec TIERS", "33000", "Bordeaux", tiers_payant=True)
    _pro("Dr Sans TIERS", "33000", "Bordeaux", tiers_payant=False)

    response = member_client.get(
        URL, {"specialite": "dentist", "code_postal": "33000", "tiers_payant": "on"}
    )

    assert _names(response) == ["Dr Avec TIERS"]


def test_around_a_position_the_nearest_come_first_within_the_radius(member_client):
    _pro("Dr Cinq KM", "33000", "Bordeaux", point=_offset(PEY_BERLAND, km_north=5))
    _pro("Dr Un KM", "33000", "Bordeaux", point=_offset(PEY_BERLAND, km_east=1))
    _pro("Dr Douze KM", "33600", "Pessac", point=_offset(PEY_BERLAND, km_east=-12))
    _pro("Dr Quarante KM", "33000", "Bordeaux", point=_offset(PEY_BERLAND, km_north=-40))

    response = member_client.get(
        URL, {"specialite": "dentist", "lat": PEY_BERLAND[0], "lon": PEY_BERLAND[1]}
    )

    assert _names(response) == ["Dr Un KM", "Dr Cinq KM", "Dr Douze KM"]
    text = _text(response)
    assert "à moins de 20 km de votre position, du plus proche au plus éloigné" in text
    assert _distances(response) == ["1,0 km", "5,0 km", "12,0 km"]


def test_after_a_search_around_me_the_form_searches_what_is_typed_next(member_client):
    response = member_client.get(
        URL, {"specialite": "dentist", "lat": PEY_BERLAND[0], "lon": PEY_BERLAND[1]}
    )

    page = response.content.decode()
    # The position is not carried into the form: "Rechercher" then searches the postcode typed.
    assert '<input type="hidden" name="lat" value="">' in page
    assert '<input type="hidden" name="lon" value="">' in page


def test_without_a_known_centre_results_are_sorted_by_name(member_client):
    # Saint-Barthélemy has no centre in the offline data: no distance, alphabetical order.
    for name in ("Dr Zoé B", "Dr Alice A"):
        Professional.objects.create(
            name=name, specialty=Specialty.DENTIST, address="1 rue", postcode="97133",
            city="Saint-Barthélemy", insee_code="97701", latitude=17.9, longitude=-62.83,
        )  # fmt: skip

    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "97133"})

    assert _names(response) == ["Dr Alice A", "Dr Zoé B"]
    assert "par ordre alphabétique" in _text(response)
    assert "Distance" not in _text(response)


def test_hidden_professionals_are_not_listed(member_client):
    _pro("Dr Visible", "33000", "Bordeaux")
    _pro("Dr Masqué", "33000", "Bordeaux", active=False)

    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "33000"})

    assert _names(response) == ["Dr Visible"]


def test_results_come_20_a_page_and_the_links_keep_the_search(member_client):
    for number in range(25):
        _pro(f"Dr N{number:02d}", "33000", "Bordeaux", point=_offset(PEY_BERLAND, number / 10))

    first = member_client.get(URL, {"specialite": "dentist", "code_postal": "33000"})
    assert len(_names(first)) == 20
    next_link = re.search(r'rel="next" href="([^"]+)"', first.content.decode()).group(1)
    assert "code_postal=33000" in html.unescape(next_link)

    second = member_client.get(URL + html.unescape(next_link))
    assert len(_names(second)) == 5
    assert not set(_names(first)) & set(_names(second))


def test_the_sql_distance_is_the_haversine_distance():
    bordeaux = _pro("Dr Bordeaux", "33000", "Bordeaux")
    paris = communes.by_insee("75056")

    found = professionals_in(
        Area(origin=(paris.latitude, paris.longitude)), specialty=Specialty.DENTIST
    ).get()

    expected = communes.distance_km(
        paris.latitude, paris.longitude, bordeaux.latitude, bordeaux.longitude
    )
    assert 495 < expected < 505
    assert found.distance_km == pytest.approx(expected, abs=0.01)


# -- Bad input and empty results -----------------------------------------------------------------
def test_an_unknown_postcode_is_said_next_to_the_field_and_kept(member_client):
    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "99999"})

    assert response.status_code == 200
    assert _field_errors(response, "code_postal") == ["Ce code postal n'existe pas."]
    assert 'value="99999"' in response.content.decode()
    assert "Résultats" not in _text(response)


def test_a_postcode_that_is_not_5_digits_is_refused(member_client):
    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "3300"})

    assert _field_errors(response, "code_postal") == ["Saisissez un code postal à 5 chiffres."]


def test_a_search_without_postcode_city_or_position_says_what_to_fill(member_client):
    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "", "ville": ""})

    assert _field_errors(response, "code_postal") == [
        "Saisissez un code postal ou une ville, ou utilisez « Autour de moi »."
    ]
    assert "Le formulaire contient des erreurs" in _text(response)


def test_the_specialty_must_be_chosen(member_client):
    response = member_client.get(URL, {"specialite": "", "code_postal": "33000"})

    assert _field_errors(response, "specialite") == ["Choisissez une spécialité."]
    assert 'value="33000"' in response.content.decode()


def test_a_city_the_postcode_does_not_serve_is_refused(member_client):
    response = member_client.get(
        URL, {"specialite": "dentist", "code_postal": "33000", "ville": "Pessac"}
    )

    assert _field_errors(response, "ville") == [
        "Cette ville ne correspond pas au code postal 33000 (communes de ce code postal : "
        "Bordeaux)."
    ]


def test_an_unknown_city_is_refused(member_client):
    response = member_client.get(URL, {"specialite": "dentist", "ville": "Bordeauxville"})

    assert "Nous ne trouvons aucune commune de ce nom" in _field_errors(response, "ville")[0]


def test_a_city_name_shared_by_several_communes_offers_them_with_their_postcode(member_client):
    response = member_client.get(URL, {"specialite": "dentist", "ville": "Saint-Denis"})

    assert _field_errors(response, "ville") == [
        "Plusieurs communes portent ce nom : précisez le code postal."
    ]
    text = _text(response)
    assert "93200 Saint-Denis" in text  # Seine-Saint-Denis, the most populous, first
    assert "97400 Saint-Denis" in text  # La Réunion


def test_a_position_far_from_any_professional_says_so_and_offers_a_wider_circle(member_client):
    _pro("Dr Bordeaux", "33000", "Bordeaux")
    # Clermont-Ferrand, 300 km away.
    response = member_client.get(URL, {"specialite": "dentist", "lat": "45.7772", "lon": "3.0870"})

    text = _text(response)
    assert "Aucun professionnel « Chirurgien-dentiste » à moins de 20 km de votre position." in text
    assert "Chercher à moins de 50 km" in text
    assert _names(response) == []


def test_a_postcode_without_professionals_offers_to_search_around_it(member_client):
    _pro("Dr Bordeaux", "33000", "Bordeaux")

    response = member_client.get(URL, {"specialite": "dentist", "code_postal": "33600"})

    text = _text(response)
    assert "Aucun professionnel « Chirurgien-dentiste » à 33600 Pessac." in text
    wider = re.search(
        r'<a href="([^"]+)">Chercher à moins de 20 km de 33600 Pessac', response.content.decode()
    )
    around = member_client.get(html.unescape(wider.group(1)))
    assert _names(around) == ["Dr Bordeaux"]


def test_a_forged_position_is_refused_without_error_page(member_client):
    response = member_client.get(URL, {"specialite": "dentist", "lat": "abc", "lon": "400"})

    assert response.status_code == 200
    assert "Votre position n'a pas pu être lue" in _text(response)


def test_the_first_visit_shows_the_form_without_messages(member_client):
    response = member_client.get(URL)

    text = _text(response)
    assert response.status_code == 200
    assert "Localiser un professionnel de santé" in text
    assert "erreurs" not in text
    # Without JavaScript, the page says how "Autour de moi" works and what to do instead.
    assert "« Autour de moi » utilise la position de votre appareil" in text
    assert "js/locator.js" in response.content.decode()


# -- Who may search ------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL, {"specialite": "dentist", "code_postal": "33000"})

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


@pytest.mark.parametrize("persona", ["technician", "insurer_manager"])
def test_other_accounts_get_a_404(client, request, persona):
    _sign_in(client, request.getfixturevalue(persona))

    assert client.get(URL).status_code == 404


def test_the_page_credits_the_sources_of_the_communes_as_their_licences_ask(member_client):
    page = html.unescape(member_client.get(URL).content.decode())

    assert "Etalab (Licence Ouverte 2.0)" in page
    assert "GeoNames (CC BY 4.0)" in page
