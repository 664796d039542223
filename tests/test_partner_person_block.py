"""The "Personne concernée" block of ODS 2 to 5: the guide's rules for each field, the way the
values are turned (NOM in capitals, Prénom with a capital), and what a mistake looks like: a
message next to the field naming the rule, everything else typed and every file kept."""

import datetime
import re

import pytest
from django.utils import timezone

from partners.catalogue import Service
from partners.models import PartnerRequest
from tests.test_partner_ods import text_of, upload, url_of, valid
from tests.test_request_document import a_png, field_errors, kept_file_ids, page_of

pytestmark = pytest.mark.django_db

URL = url_of(Service.CASE_STUDY)


def study(**changes) -> dict:
    return valid(Service.CASE_STUDY, **changes)


def filed(partner_client, **changes) -> PartnerRequest:
    response = partner_client.post(URL, study(**changes))
    assert response.status_code == 302, field_errors(response, next(iter(changes)))
    return PartnerRequest.objects.get()


# -- Bad inputs: the message, and nothing lost ---------------------------------------------------
TOMORROW = "tomorrow"

BAD_INPUTS = [
    (
        "last_name",
        "A" * 31,
        "Le nom ne doit pas dépasser 30 caractères (vous en avez saisi 31).",
    ),
    (
        "last_name",
        "Dupont2",
        "Le nom ne peut contenir que des lettres, l'apostrophe, le tiret et l'espace.",
    ),
    (
        "last_name",
        "Dupont_Martin",
        "Le nom ne peut contenir que des lettres, l'apostrophe, le tiret et l'espace.",
    ),
    (
        "first_name",
        "B" * 21,
        "Le prénom ne doit pas dépasser 20 caractères (vous en avez saisi 21).",
    ),
    (
        "first_name",
        "Jean3",
        "Le prénom ne peut contenir que des lettres, l'apostrophe, le tiret et l'espace.",
    ),
    (
        "birth_date",
        TOMORROW,
        "La date de naissance ne peut pas être dans le futur.",
    ),
    (
        "birth_date",
        "05/10/70",
        "Saisissez la date de naissance au format jj/mm/aaaa, par exemple 05/10/1970.",
    ),
    (
        "birth_date",
        "31/02/1970",
        "Saisissez la date de naissance au format jj/mm/aaaa, par exemple 05/10/1970.",
    ),
    (
        "birth_date",
        "le 5 octobre",
        "Saisissez la date de naissance au format jj/mm/aaaa, par exemple 05/10/1970.",
    ),
    (
        "birth_date",
        "05/10/1850",
        "Vérifiez l'année : la date de naissance doit être après le 01/01/1900.",
    ),
    (
        "phone",
        "06.00.00.00.0",
        "Le numéro de téléphone doit comporter 10 chiffres, par exemple 06.00.00.00.00.",
    ),
    (
        "phone",
        "06000000000",
        "Le numéro de téléphone doit comporter 10 chiffres, par exemple 06.00.00.00.00.",
    ),
    (
        "phone",
        "06.AB.00.00.00",
        "Le numéro de téléphone doit comporter 10 chiffres, par exemple 06.00.00.00.00.",
    ),
    (
        "birth_place",
        "Paris (75)",
        "Le lieu de naissance ne peut contenir que des lettres, des chiffres, l'apostrophe, "
        "le tiret et l'espace.",
    ),
    (
        "birth_place",
        "Bordeaux, 33",
        "Le lieu de naissance ne peut contenir que des lettres, des chiffres, l'apostrophe, "
        "le tiret et l'espace.",
    ),
    (
        "birth_place",
        "C" * 31,
        "Le lieu de naissance ne doit pas dépasser 30 caractères (vous en avez saisi 31).",
    ),
    ("civility", "X", "Sélectionnez la civilité : Madame ou Monsieur."),
    ("civility", "", "Sélectionnez la civilité : Madame ou Monsieur."),
    ("last_name", "  ", "Saisissez le nom."),
    (
        "last_name",
        "'-",
        "Le nom ne peut contenir que des lettres, l'apostrophe, le tiret et l'espace.",
    ),
    ("first_name", "", "Saisissez le prénom."),
    ("birth_date", "", "Saisissez la date de naissance."),
    ("birth_place", "", "Saisissez le lieu de naissance."),
    ("phone", "", "Saisissez le numéro de téléphone."),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_INPUTS)
def test_a_bad_input_is_explained_next_to_its_field_and_nothing_is_lost(
    partner_client, name, value, message
):
    if value == TOMORROW:
        value = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    kept = [upload(partner_client, "PJ1.pdf")]
    response = partner_client.post(
        URL, {**study(**{name: value}), "files": kept, "files_files": [a_png("PJ2.png")]}
    )
    assert response.status_code == 200
    assert message in field_errors(response, name)
    # The summary at the top names the field and links to it.
    assert "Le formulaire contient des erreurs" in page_of(response)
    assert f'href="#id_{name}{"_0" if name == "civility" else ""}"' in page_of(response)
    # Every other value typed is still there, and so are the files.
    page = page_of(response)
    others = {
        "civility": r'name="civility" value="M"[^>]*checked',
        "last_name": r'name="last_name" value="Pain"',
        "first_name": r'name="first_name" value="françois"',
        "birth_date": r'name="birth_date" value="05/10/1970"',
        "birth_place": r'name="birth_place" value="24"',
        "phone": r'name="phone" value="06\.00\.00\.00\.00"',
    }
    for other, shown in others.items():
        if other != name:
            assert re.search(shown, page), other
    assert "Demande de rééquilibre budgétaire." in page
    assert '<option value="aide_financiere" selected>' in page
    ids = kept_file_ids(response)
    assert len(ids) == 2 and ids[0] == kept[0]
    assert "PJ1.pdf" in page and "PJ2.png" in page
    assert PartnerRequest.objects.count() == 0

    # Corrected, the same page is sent again without choosing the files again.
    response = partner_client.post(URL, {**study(), "files": ids})
    assert response.status_code == 302
    assert PartnerRequest.objects.get().attachments.count() == 2


def test_a_bad_value_typed_is_shown_back_as_typed(partner_client):
    response = partner_client.post(URL, study(last_name="Dupont2", phone="06 00 00 00 0"))
    page = page_of(response)
    assert 'value="Dupont2"' in page
    assert 'value="06 00 00 00 0"' in page


@pytest.mark.parametrize("service", [Service.DIFFICULTY, Service.APPOINTMENT, Service.DOCUMENT])
def test_every_form_with_a_person_applies_the_same_rules(partner_client, service):
    response = partner_client.post(
        url_of(service), valid(service, last_name="A" * 31, first_name="B" * 21, phone="123")
    )
    assert "Le nom ne doit pas dépasser 30 caractères" in field_errors(response, "last_name")
    assert "Le prénom ne doit pas dépasser 20 caractères" in field_errors(response, "first_name")
    assert "10 chiffres" in field_errors(response, "phone")
    assert PartnerRequest.objects.count() == 0


# -- What is stored ------------------------------------------------------------------------------
def test_the_name_is_turned_to_capitals(partner_client):
    sent = filed(partner_client, last_name="  de la   fontaine ")
    assert sent.last_name == "DE LA FONTAINE"


def test_accented_letters_apostrophes_and_hyphens_are_accepted(partner_client):
    sent = filed(
        partner_client, last_name="d’Estaing-Noël", first_name="zoë", birth_place="Côte-d'Ivoire"
    )
    assert sent.last_name == "D'ESTAING-NOËL"
    assert sent.first_name == "Zoë"
    assert sent.birth_place == "Côte-d'Ivoire"


def test_a_name_of_30_and_a_first_name_of_20_letters_are_accepted(partner_client):
    sent = filed(partner_client, last_name="a" * 30, first_name="b" * 20, birth_place="c" * 30)
    assert (sent.last_name, sent.first_name, sent.birth_place) == (
        "A" * 30,
        "B" + "b" * 19,
        "c" * 30,
    )


def test_a_name_longer_than_30_once_in_capitals_is_refused(partner_client):
    # "ß" becomes "SS" in capitals: 30 characters typed, 31 to store.
    response = partner_client.post(URL, study(last_name="ß" + "a" * 29))
    assert "Le nom ne doit pas dépasser 30 caractères (vous en avez saisi 31)." in field_errors(
        response, "last_name"
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("françois", "François"),
        ("FRANÇOIS", "François"),
        ("jean-pierre", "Jean-pierre"),
        ("MARIE LOUISE", "Marie louise"),
        ("élodie", "Élodie"),
    ],
)
def test_the_first_name_gets_a_capital_first_letter_and_the_rest_in_small_letters(
    partner_client, typed, stored
):
    assert filed(partner_client, first_name=typed).first_name == stored


@pytest.mark.parametrize(
    "typed", ["0612345678", "06.12.34.56.78", "06 12 34 56 78", "06-12-34-56-78"]
)
def test_the_phone_is_typed_with_or_without_separators_and_stored_as_ten_digits(
    partner_client, typed
):
    sent = filed(partner_client, phone=typed)
    assert sent.phone == "0612345678"
    assert sent.phone_display == "06.12.34.56.78"


@pytest.mark.parametrize(
    "typed", ["+33 6 12 34 56 78", "+33612345678", "0033 6 12 34 56 78", "+33 (0)6 12 34 56 78"]
)
def test_a_phone_typed_in_the_international_form_is_the_french_number(partner_client, typed):
    sent = filed(partner_client, phone=typed)
    assert sent.phone == "0612345678"
    assert sent.phone_display == "06.12.34.56.78"


@pytest.mark.parametrize("typed", ["3361234567", "+44 7700 900123", "0012345678", "+33 6 12 34"])
def test_a_phone_that_is_not_a_french_number_is_refused_with_a_message(partner_client, typed):
    response = partner_client.post(URL, study(phone=typed))
    assert response.status_code == 200
    assert (
        "Saisissez un numéro de téléphone français : 10 chiffres commençant par 0 "
        "(06.00.00.00.00) ou +33 suivi de 9 chiffres." in field_errors(response, "phone")
    )
    assert f'value="{typed}"' in page_of(response)
    assert PartnerRequest.objects.count() == 0


def test_a_phone_typed_without_dots_comes_back_with_dots(partner_client):
    response = partner_client.post(URL, study(phone="0612345678", last_name="Dupont2"))
    assert 'value="06.12.34.56.78"' in page_of(response)


@pytest.mark.parametrize(
    "typed", ["05/10/1970", "5/10/1970", "05-10-1970", "05.10.1970", "05101970", "1970-10-05"]
)
def test_the_birth_date_is_typed_jj_mm_aaaa_or_picked_in_the_calendar(partner_client, typed):
    assert filed(partner_client, birth_date=typed).birth_date == datetime.date(1970, 10, 5)


def test_a_person_born_today_is_accepted(partner_client):
    today = timezone.localdate()
    assert filed(partner_client, birth_date=today.strftime("%d/%m/%Y")).birth_date == today


def test_the_civility_is_madame_or_monsieur(partner_client):
    assert filed(partner_client, civility="MME").person_name == "Madame PAIN François"


def test_the_block_tells_the_browser_its_rules(partner_client):
    """The script (static/js/partner_forms.js) reads the rules from the page: one source."""
    response = partner_client.get(URL)
    page = page_of(response)
    assert 'data-case="upper"' in page and 'data-case="first"' in page
    assert 'data-characters="A-Za-z' in page
    assert (
        "data-characters-message=\"Le nom ne peut contenir que des lettres, l'apostrophe, le "
        "tiret et l'espace.\"" in page
    )
    assert 'data-phone-message="Le numéro de téléphone doit comporter 10 chiffres' in page
    assert 'data-future-message="La date de naissance ne peut pas être dans le futur."' in page
    assert "(N° du Département de naissance ou Libellé du pays)" in text_of(response)
