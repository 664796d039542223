"""The insurer's directory file (manage.py import_professionals) and the demo directory: what is
loaded, what is rejected with which line and reason, and that running them again changes
nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory import communes
from directory.demo import demo_professionals_load
from directory.models import Professional, Specialty

pytestmark = pytest.mark.django_db

HEADER = "identifier;name;specialty;address;postcode;city;phone;tiers_payant;latitude;longitude"
LEROY = (
    "10003456789;Dr Jeanne LEROY;chirurgien-dentiste;12 cours de l'Intendance;33000;Bordeaux;"
    "05 56 12 34 56;oui;;"
)
OPTIQUE = (
    "123456789;Optique du Centre;Opticien;3 rue Gambetta;69003;LYON;04 78 00 00 00;non;45.76;4.85"
)


def _import(tmp_path, lines, *args, bom=False, header=HEADER):
    """Run the import on a file made of `header` and `lines`; its printed report, line by line."""
    path = tmp_path / "annuaire.csv"
    text = "\n".join([header, *lines]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    out = io.StringIO()
    call_command("import_professionals", str(path), *args, stdout=out)
    return out.getvalue().splitlines()


def test_valid_lines_are_loaded_and_placed_in_their_commune(tmp_path):
    report = _import(tmp_path, [LEROY, OPTIQUE], bom=True)

    assert report == [
        "Bilan — lues : 2, créées : 2, mises à jour : 0, déjà chargées : 0, rejetées : 0."
    ]
    leroy = Professional.objects.get(identifier="10003456789")
    bordeaux = communes.by_insee("33063")
    assert (leroy.specialty, leroy.tiers_payant, leroy.phone) == (
        Specialty.DENTIST,
        True,
        "+33556123456",
    )
    # No coordinates in the file: the centre of Bordeaux.
    assert (leroy.insee_code, leroy.latitude, leroy.longitude) == (
        "33063",
        bordeaux.latitude,
        bordeaux.longitude,
    )
    optique = Professional.objects.get(identifier="123456789")
    # 69003 is Lyon 3e Arrondissement; "LYON" names its city. Coordinates kept as given.
    assert (optique.specialty, optique.insee_code) == (Specialty.OPTICIAN, "69383")
    assert (optique.latitude, optique.longitude) == (45.76, 4.85)


def test_each_rejected_line_is_reported_with_its_number_and_reasons(tmp_path):
    lines = [
        LEROY,
        "10000000001;Dr A;astrologue;1 rue;33000;Bordeaux;;;;",
        "10000000002;Dr B;dentiste;1 rue;99999;Nulle-Part;;;;",
        "10000000003;Dr C;dentiste;1 rue;33000;Pessac;;;;",
        "10000000004;Dr D;dentiste;1 rue;33000;Bordeaux;12 34;;;",
        "10000000005;;dentiste;1 rue;33000;Bordeaux;;;;",
        "10000000006;Dr F;dentiste;1 rue;33000;Bordeaux;;;-0.58;44.84",
        "10000000007;Dr G;dentiste;1 rue;33000;Bordeaux;;;quarante;-0.58",
        "10000000008;Dr H;dentiste;1 rue;33000;Bordeaux;;;44.84;",
        "123;Dr I;dentiste;1 rue;33000;Bordeaux;;;;",
        "10003456789;Dr Jeanne LEROY bis;dentiste;1 rue;33000;Bordeaux;;;;",
    ]

    report = _import(tmp_path, lines)

    assert report == [
        "ligne 3 : spécialité « astrologue » inconnue",
        "ligne 4 : code postal 99999 inconnu",
        "ligne 5 : la ville « Pessac » ne correspond pas au code postal 33000 (Bordeaux)",
        "ligne 6 : téléphone invalide (« 12 34 »)",
        "ligne 7 : valeur manquante pour nom",
        "ligne 8 : coordonnées à 6741 km de Bordeaux : latitude et longitude inversées, ou "
        "mauvaise commune ?",
        "ligne 9 : latitude illisible (« quarante »)",
        "ligne 10 : coordonnées incomplètes : latitude et longitude vont ensemble",
        "ligne 11 : identifiant invalide : 11 chiffres (RPPS) ou 9 caractères (FINESS) attendus "
        "(« 123 »)",
        "ligne 12 : professionnel déjà présent ligne 2",
        "Bilan — lues : 11, créées : 1, mises à jour : 0, déjà chargées : 0, rejetées : 10.",
    ]
    assert list(Professional.objects.values_list("name", flat=True)) == ["Dr Jeanne LEROY"]


def test_running_the_same_file_again_changes_nothing(tmp_path):
    unnamed = ";Pharmacie du Port;pharmacie;2 quai;13002;Marseille;;oui;;"
    _import(tmp_path, [LEROY, OPTIQUE, unnamed])

    report = _import(tmp_path, [LEROY, OPTIQUE, unnamed])

    assert report == [
        "Bilan — lues : 3, créées : 0, mises à jour : 0, déjà chargées : 3, rejetées : 0."
    ]
    assert Professional.objects.count() == 3


def test_a_line_with_a_known_identifier_updates_that_professional(tmp_path):
    _import(tmp_path, [LEROY])

    moved = LEROY.replace(
        "12 cours de l'Intendance;33000;Bordeaux", "4 avenue Pasteur;33600;Pessac"
    )
    report = _import(tmp_path, [moved.replace(";oui;", ";non;")])

    assert report[-1] == (
        "Bilan — lues : 1, créées : 0, mises à jour : 1, déjà chargées : 0, rejetées : 0."
    )
    leroy = Professional.objects.get()
    assert (leroy.address, leroy.city, leroy.insee_code, leroy.tiers_payant) == (
        "4 avenue Pasteur",
        "Pessac",
        "33318",
        False,
    )


def test_the_insurer_can_hide_a_professional_from_the_file(tmp_path):
    header = HEADER + ";active"
    _import(tmp_path, [LEROY + ";oui"], header=header)

    _import(tmp_path, [LEROY + ";non"], header=header)

    assert Professional.objects.get().active is False


def test_a_file_separated_by_commas_loads_nothing(tmp_path):
    with pytest.raises(CommandError, match="séparées par « ; »"):
        _import(tmp_path, [LEROY.replace(";", ",")], header=HEADER.replace(";", ","))

    assert not Professional.objects.exists()


def test_strict_mode_loads_nothing_when_a_line_is_rejected(tmp_path):
    with pytest.raises(CommandError, match="(?i)rien n'a été chargé"):
        _import(
            tmp_path, [LEROY, "10000000001;Dr A;astrologue;1 rue;33000;Bordeaux;;;;"], "--strict"
        )

    assert not Professional.objects.exists()


def test_the_demo_directory_loads_twice_without_duplicates():
    first = demo_professionals_load()
    second = demo_professionals_load()

    assert first == second == Professional.objects.count()
    assert 90 <= first <= 120
    bordeaux_dentists = Professional.objects.filter(specialty=Specialty.DENTIST, postcode="33000")
    assert {p.tiers_payant for p in bordeaux_dentists} == {True, False}
    for city in ("Bordeaux", "Paris", "Lyon", "Marseille"):
        assert Professional.objects.filter(city=city).count() >= 10, city


# -- Entered by hand in the admin ----------------------------------------------------------------
ADMIN_ADD = "/gestion/directory/professional/add/"


def _admin_form(**values):
    form = {
        "name": "Dr Saisi MAIN",
        "specialty": "dentist",
        "identifier": "",
        "tiers_payant": "on",
        "active": "on",
        "address": "3 place Pey-Berland",
        "postcode": "33000",
        "city": "bordeaux",
        "phone": "05 56 00 11 22",
        "insee_code": "",
        "latitude": "",
        "longitude": "",
    }
    form.update(values)
    return form


def test_a_manager_adds_a_professional_placed_from_postcode_and_city(client, insurer_manager):
    from tests.test_access_matrix import _sign_in

    _sign_in(client, insurer_manager)
    assert client.get(ADMIN_ADD).status_code == 200

    response = client.post(ADMIN_ADD, _admin_form())

    assert response.status_code == 302
    saved = Professional.objects.get()
    bordeaux = communes.by_insee("33063")
    assert (saved.insee_code, saved.latitude, saved.longitude, saved.phone) == (
        "33063",
        bordeaux.latitude,
        bordeaux.longitude,
        "+33556001122",
    )


def test_the_admin_refuses_a_city_the_postcode_does_not_serve(client, insurer_manager):
    from tests.test_access_matrix import _sign_in

    _sign_in(client, insurer_manager)

    response = client.post(ADMIN_ADD, _admin_form(city="Pessac", phone="12"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Cette ville ne correspond pas au code postal 33000 (Bordeaux)." in text
    assert "Ce numéro de téléphone n&#x27;est pas valide." in text
    assert not Professional.objects.exists()


def test_a_former_commune_name_still_written_in_addresses_is_accepted(tmp_path):
    # Arbignieu merged into Arboys en Bugey (01015), postcode 01300.
    _import(tmp_path, ["10000000009;Dr Bugey;médecin généraliste;Le Bourg;01300;Arbignieu;;;;"])

    saved = Professional.objects.get()
    assert (saved.specialty, saved.insee_code) == (Specialty.GENERAL_PRACTITIONER, "01015")
