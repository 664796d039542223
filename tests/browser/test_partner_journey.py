"""Guide 001 end to end, as a partner technician does it, on a desktop and on a phone: choose
the organism, file each of the five Offres De Services and read their numbers, find a request in
"Historique des demandes" with a filter and a sort, complete it, cancel another, and choose an
organism whose convention ends in less than 30 days."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from documents.rules import PARTNER_REQUEST
from documents.services import stored_file_create
from partners.catalogue import Service
from partners.models import PartnerRequest, PartnerRequestStatus
from tests.browser.conftest import assert_fits_width, open_signed_in
from tests.browser.test_upload_widget import _drop
from tests.factories import PERSON, ConventionFactory, OrganismFactory, make_partner_request
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOOSE_LABEL = "Sélectionner l'organisme sur lequel vous souhaitez vous connecter."
CARD_TITLES = [
    "Contactez votre organisme d'assurance Maladie",
    "Signaler une situation de difficulté d'accès aux droits et aux soins",
    "Demandez un rendez-vous pour un assuré",
    "Soumettre une demande d'étude de dossier",
    "Demandez un document",
]
CONSENT = re.compile(r"^L'assuré accepte que ses coordonnées soient transmises")
REMOVED = (
    "La demande a été automatiquement supprimée de la liste des demandes affichées dans "
    "l'historique des demandes."
)
HISTORY = "/partenaires/historique/"


# -- What a technician does on the pages ---------------------------------------------------------
def _menu_history(page):
    """ "Historique des demandes" in the menu band."""
    page.locator("nav.partner-menu").get_by_role("link", name="Historique des demandes").click()
    page.get_by_role("heading", name="Historique des demandes", level=1).wait_for()


def _new_request(page, card_title, form_title):
    """ "Nouvelle demande" on the home page card of an ODS, up to its form."""
    card = page.locator(".ods-card", has=page.get_by_role("heading", name=card_title, exact=True))
    card.get_by_role("link", name="Nouvelle demande").click()
    page.get_by_role("heading", name=form_title, level=1).wait_for()
    assert page.get_by_text("Les champs précédés d'un astérisque* sont obligatoires.").is_visible()


def _toggle(page, label, group=None):
    """A choice shown as a button that turns blue: the technician presses the button."""
    scope = page.get_by_role("group", name=group) if group else page
    scope.locator("label.toggle").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()
    assert scope.get_by_label(label, exact=True).is_checked()


def _textbox(page, name):
    return page.get_by_role("textbox", name=name, exact=True)


def _type_person(page, civility, last_name, first_name, birth_date, place, phone):
    """Typed the way a person types, lower case and digits only; the page formats them."""
    person = page.get_by_role("group", name="Personne concernée")
    person.get_by_label(civility, exact=True).check()
    _textbox(person, "Nom").press_sequentially(last_name.lower())
    _textbox(person, "Prénom").press_sequentially(first_name.lower())
    _textbox(person, "Date de naissance").press_sequentially(birth_date.replace("/", ""))
    _textbox(person, "Lieu de naissance").press_sequentially(place)
    _textbox(person, "Téléphone").press_sequentially(phone.replace(".", ""))
    assert _textbox(person, "Nom").input_value() == last_name.upper()
    assert _textbox(person, "Prénom").input_value() == first_name
    assert _textbox(person, "Date de naissance").input_value() == birth_date
    assert _textbox(person, "Téléphone").input_value() == phone


def _comment(page, text):
    page.get_by_role("textbox", name=re.compile(r"^Commentaires")).fill(text)


def _send_and_read_number(page) -> str:
    """ "VALIDER", then the confirmation: the number read off the page."""
    page.get_by_role("button", name="VALIDER").click()
    page.get_by_role(
        "heading", name="Votre demande a bien été envoyée à l'organisme CPAM GIRONDE."
    ).wait_for()
    assert page.get_by_text(
        "Un numéro a été assigné à votre demande pour faciliter son suivi :"
    ).is_visible()
    number = page.locator(".request-number strong").inner_text().strip()
    year = timezone.localdate().year % 100
    # YY, the organism's code 331, then the rank of the request this year at this organism.
    assert re.fullmatch(rf"{year:02d}331\d{{5}}", number), number
    return number


def _home_again(page):
    page.get_by_role("link", name="Retour à l'accueil").click()
    page.locator(".ods-card").first.wait_for()


def _numbers_shown(page) -> list[str]:
    """The numbers of the history's cards, top to bottom."""
    texts = page.locator(".ph-card .ph-number").all_inner_texts()
    return [re.search(r"\d{10}", text).group() for text in texts]


def _sent_files(page) -> list[str]:
    """The names under "PJ envoyée(s)" on the detail of a request."""
    block = page.locator(".ph-fields > div", has=page.locator("dt", has_text="PJ envoyée(s)"))
    return block.locator("dd li").all_inner_texts()


def _open_filters(page):
    """On a phone the filter bar is folded behind "Filtrer" (issue 16): open it."""
    toggle = page.get_by_role("button", name="Filtrer", exact=True)
    if toggle.is_visible():
        toggle.click()


def _search(page):
    """ "Rechercher": the list comes back with the criteria of the filter bar."""
    with page.expect_navigation():
        page.get_by_role("button", name="Rechercher").click()


def _uploads(user, *names):
    """Files the technician attached when filing (what the upload widget leaves pending)."""
    return [
        stored_file_create(
            uploaded=SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf"),
            rules=PARTNER_REQUEST,
            by=user,
        )
        for name in names
    ]


def _person(last_name, first_name, civility="MME"):
    return {**PERSON, "civility": civility, "last_name": last_name, "first_name": first_name}


# -- 1 and 2: choose the organism, file the five ODS -------------------------------------------
def test_a_technician_chooses_cpam_gironde_and_files_each_of_the_five_offers(
    new_page, live_server, technician, structure, convention, viewport
):
    today = timezone.localdate()
    ConventionFactory(
        structure=structure,
        organism=OrganismFactory(name="CPAM LOT ET GARONNE", code="471"),
        end_date=today + datetime.timedelta(days=10),
    )
    ConventionFactory(
        structure=structure,
        organism=OrganismFactory(name="CPAM DORDOGNE", code="241"),
        start_date=today + datetime.timedelta(days=20),
    )

    # Signed in, the technician lands on the choice of the organism, none chosen yet.
    page = open_signed_in(new_page, live_server, technician, "/")
    page.wait_for_url(re.compile(r"/partenaires/$"))
    choice = page.get_by_label(CHOOSE_LABEL)
    assert choice.is_visible()
    options = choice.locator("option")
    assert options.all_inner_texts() == [
        "Sélectionner un organisme",
        "CPAM DORDOGNE *",
        "CPAM GIRONDE",
        "CPAM LOT ET GARONNE *",
    ]
    assert choice.evaluate("select => select.selectedOptions[0].text") == (
        "Sélectionner un organisme"
    )
    # Flagged in red as well as with the asterisk, and the legend says why.
    assert options.nth(1).get_attribute("class") == "organism-flagged"
    assert options.nth(2).get_attribute("class") is None
    assert page.get_by_text(
        "NB : sont signalés en rouge + un astérisque (*) les organismes relevant d'une situation "
        "particulière"
    ).is_visible()
    assert_fits_width(page)

    choice.select_option(label="CPAM GIRONDE")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(re.compile(r"/partenaires/accueil/$"))
    assert page.locator(".partner-central .partner-organism-name").inner_text() == "CPAM GIRONDE"
    assert page.locator(".ods-card .ods-card-title").all_inner_texts() == CARD_TITLES
    assert page.locator(".ods-card").get_by_role("link", name="Nouvelle demande").count() == 5
    assert_fits_width(page)

    numbers = {}

    # ODS 1: both appointment modes, two files dropped on the uploader.
    _new_request(page, CARD_TITLES[0], "Contacter votre organisme d'assurance Maladie")
    page.get_by_label("Motif de la demande").select_option(
        label="Gérer la convention de partenariat"
    )
    _toggle(page, "Téléphonique / Visio")
    _toggle(page, "Physique")
    assert page.get_by_text("Aucune pièce jointe enregistrée.").is_visible()
    _drop(
        page,
        ("PJ3.pdf", "application/pdf", pdf_bytes()),
        ("PJ5.png", "image/png", image_bytes("PNG")),
    )
    page.get_by_role("button", name="Retirer « PJ3.pdf »").wait_for()
    page.get_by_role("button", name="Retirer « PJ5.png »").wait_for()
    assert page.get_by_text("Aucune pièce jointe enregistrée.").is_hidden()
    _comment(
        page, "Je souhaite un rdv pour fixer les modalités de renouvellement de la convention."
    )
    assert_fits_width(page)
    numbers[Service.CONTACT] = _send_and_read_number(page)
    assert_fits_width(page)
    _home_again(page)

    # ODS 2: the "Saisine" blocks show only for their motif, the renunciation ones only for a
    # renunciation.
    _new_request(page, CARD_TITLES[1], CARD_TITLES[1])
    consent = page.get_by_role("switch", name=CONSENT)
    reasons = re.compile(r"^Accompagnement santé sollicité dans le cadre de")
    care = page.get_by_role("group", name="Quels soins ne sont pas réalisés ?")
    duration = page.get_by_role("group", name="Depuis quand dure le renoncement ?")
    causes = page.get_by_role("group", name="Quelles en sont les causes ?")
    assert consent.is_hidden()
    motif = page.get_by_label("Motif de la demande")
    motif.select_option(label="Situation d'urgence")
    assert consent.is_hidden()
    assert page.get_by_role("group", name=reasons).is_hidden()
    motif.select_option(label="Saisine mission accompagnement santé")
    consent.wait_for()
    assert page.get_by_role("group", name=reasons).is_visible()
    assert care.is_hidden() and duration.is_hidden() and causes.is_hidden()
    consent.click()
    assert consent.is_checked()
    _toggle(page, "Fragilité face au numérique", group=reasons)
    assert care.is_hidden() and duration.is_hidden() and causes.is_hidden()
    _toggle(page, "Renoncement ou difficultés d'accès à des soins", group=reasons)
    assert care.is_visible() and duration.is_visible() and causes.is_visible()
    _toggle(page, "Pharmacie", group="Quels soins ne sont pas réalisés ?")
    _toggle(page, "Chirurgie", group="Quels soins ne sont pas réalisés ?")
    _toggle(page, "De 3 mois à 1 an", group="Depuis quand dure le renoncement ?")
    _toggle(page, "De reste à charge", group="Quelles en sont les causes ?")
    _toggle(page, "De transport", group="Quelles en sont les causes ?")
    _type_person(page, "Monsieur", "PAIN", "François", "05/10/1970", "24", "06.00.00.00.00")
    _comment(page, "L'assuré renonce à ses soins depuis plusieurs mois.")
    assert_fits_width(page)
    numbers[Service.DIFFICULTY] = _send_and_read_number(page)
    _home_again(page)

    # ODS 3: the warning first.
    _new_request(page, CARD_TITLES[2], "Demander un rendez-vous pour un assuré")
    assert (
        page.get_by_role("note")
        .get_by_text(
            "Attention : Cette offre s'adresse uniquement aux personnes non autonomes et qui ne "
            "bénéficient pas de compte ameli."
        )
        .is_visible()
    )
    assert page.locator("[data-dropzone]").count() == 0
    page.get_by_label("Motif de la demande").select_option(label="Capital décès")
    _type_person(page, "Madame", "PIRES", "Marina", "01/02/1980", "29", "06.12.34.56.78")
    _comment(page, "Demande de capital décès pour son mari décédé.")
    assert_fits_width(page)
    numbers[Service.APPOINTMENT] = _send_and_read_number(page)
    _home_again(page)

    # ODS 4: a file, picked with "Télécharger vos fichiers".
    _new_request(page, CARD_TITLES[3], CARD_TITLES[3])
    page.get_by_label("Motif de la demande").select_option(label="Demande d'aide financière")
    _type_person(page, "Monsieur", "PRINCE", "Marius", "05/05/1960", "27", "07.00.00.00.00")
    page.get_by_label("Télécharger vos fichiers").set_input_files(
        files=[{"name": "PJ4.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Retirer « PJ4.pdf »").wait_for()
    _comment(page, "Demande de rééquilibre budgétaire.")
    numbers[Service.CASE_STUDY] = _send_and_read_number(page)
    _home_again(page)

    # ODS 5: two documents.
    _new_request(page, CARD_TITLES[4], "Demander un document")
    _toggle(page, "Attestation de droits")
    _toggle(page, "Certificat provisoire CEAM")
    _type_person(page, "Madame", "CHEMIN", "Marie", "01/06/1975", "47", "06.00.00.00.00")
    _comment(page, "L'assurée a perdu son portefeuille.")
    assert_fits_width(page)
    numbers[Service.DOCUMENT] = _send_and_read_number(page)

    # Five numbers, in the order they were filed: the 1st to the 5th request of the year.
    year = timezone.localdate().year % 100
    assert list(numbers.values()) == [f"{year:02d}331{rank:05d}" for rank in range(1, 6)]

    # What was filed is what was typed and chosen.
    contact = PartnerRequest.objects.get(number=numbers[Service.CONTACT])
    assert contact.motif == "convention"
    assert contact.appointment_modes == ["distance", "physique"]
    assert sorted(f.original_name for f in contact.attachments.all()) == ["PJ3.pdf", "PJ5.png"]
    difficulty = PartnerRequest.objects.get(number=numbers[Service.DIFFICULTY])
    assert difficulty.motif == "saisine"
    assert difficulty.saisine == {
        "consent": True,
        "reasons": ["renoncement", "numerique"],
        "care": ["chirurgie", "pharmacie"],
        "duration": "3_mois_1_an",
        "causes": ["reste_a_charge", "transport"],
    }
    assert difficulty.person_name == "Monsieur PAIN François"
    assert difficulty.phone == "0600000000"
    assert difficulty.birth_date == datetime.date(1970, 10, 5)
    case_study = PartnerRequest.objects.get(number=numbers[Service.CASE_STUDY])
    assert [f.original_name for f in case_study.attachments.all()] == ["PJ4.pdf"]
    document = PartnerRequest.objects.get(number=numbers[Service.DOCUMENT])
    assert document.documents == ["attestation_droits", "ceam"]
    assert document.person_name == "Madame CHEMIN Marie"

    # All five wait in the history, newest first, "Nouveau".
    page.locator(".confirmation").get_by_role("link", name="Historique des demandes").click()
    page.get_by_role("heading", name="Historique des demandes", level=1).wait_for()
    assert page.locator(".result-count").first.inner_text() == "5 demandes"
    assert _numbers_shown(page) == list(reversed(numbers.values()))
    card = page.locator(".ph-card", has_text=numbers[Service.DIFFICULTY])
    assert card.get_by_text("Nouveau").is_visible()
    assert card.get_by_text("Personne concernée : Monsieur PAIN François").is_visible()


# -- 3: find a request in the history, sort, open it and complete it ---------------------------
def test_a_technician_finds_a_request_in_the_history_sorts_it_and_completes_it(
    new_page, live_server, technician, organism, convention, viewport
):
    martin = make_partner_request(
        technician=technician,
        organism=organism,
        service=Service.CASE_STUDY,
        motif="aide_financiere",
        person=_person("MARTIN", "Lucie"),
        comment="Demande de rééquilibrage budgétaire.",
        attachments=_uploads(technician, "PJ2.pdf"),
    )
    zola = make_partner_request(
        technician=technician,
        organism=organism,
        service=Service.APPOINTMENT,
        motif="c2s",
        person=_person("ZOLA", "Émile", civility="M"),
    )
    abadie = make_partner_request(
        technician=technician,
        organism=organism,
        service=Service.DOCUMENT,
        person=_person("ABADIE", "Jeanne"),
    )
    page = open_signed_in(new_page, live_server, technician, "/partenaires/")
    page.get_by_label(CHOOSE_LABEL).select_option(label="CPAM GIRONDE")
    page.get_by_role("button", name="Valider").click()
    page.locator(".ods-card").first.wait_for()
    _menu_history(page)

    # Newest first by default.
    assert _numbers_shown(page) == [abadie.number, zola.number, martin.number]
    assert page.locator(".result-count").first.inner_text() == "3 demandes"
    assert_fits_width(page)

    # The number typed in the filter bar: that request alone.
    _open_filters(page)
    _textbox(page, "Numéro de demande").fill(martin.number)
    _search(page)
    assert _numbers_shown(page) == [martin.number]
    assert page.locator(".result-count").first.inner_text() == "1 demande"
    card = page.locator(".ph-card", has_text=martin.number)
    assert card.get_by_role("heading", name="Soumettre une demande d'étude de dossier").is_visible()
    assert card.get_by_text("Personne concernée : Madame MARTIN Lucie").is_visible()

    # By ODS instead: the number cleared, "Demander un rendez-vous pour un assuré" chosen.
    _textbox(page, "Numéro de demande").fill("")
    page.get_by_label("Offre de service", exact=True).select_option(
        label="Demander un rendez-vous pour un assuré"
    )
    _search(page)
    assert _numbers_shown(page) == [zola.number]

    # Every ODS again, sorted by the person concerned, one way then the other.
    page.get_by_label("Offre de service", exact=True).select_option(
        label="Toutes les offres de service"
    )
    page.get_by_label("Trier par").select_option(label="Personne concernée")
    page.get_by_label("Ordre").select_option(value="asc")
    _search(page)
    assert _numbers_shown(page) == [abadie.number, martin.number, zola.number]
    page.get_by_label("Ordre").select_option(value="desc")
    _search(page)
    assert _numbers_shown(page) == [zola.number, martin.number, abadie.number]
    assert_fits_width(page)

    # The person concerned, typed without accents or capitals, newest first: "emile" finds
    # ZOLA Émile, counted.
    page.get_by_label("Trier par").select_option(label="Date de dépôt")
    _textbox(page, "Personne concernée").fill("emile")
    _search(page)
    assert _numbers_shown(page) == [zola.number]
    assert page.locator(".result-count").first.inner_text() == "1 demande"
    # Punctuation alone: a message next to the field, what was typed kept.
    _textbox(page, "Personne concernée").fill("- ' -")
    _search(page)
    expect(page.locator("#id_personne_error")).to_have_text(
        "Saisissez au moins une lettre du nom ou du prénom."
    )
    expect(_textbox(page, "Personne concernée")).to_have_value("- ' -")
    assert_fits_width(page)
    _textbox(page, "Personne concernée").fill("")
    _search(page)

    # "Consulter le détail" of Lucie MARTIN's request.
    page.get_by_role("link", name=f"Consulter le détail de la demande {martin.number}").click()
    page.get_by_role("heading", name=f"Demande n° {martin.number}").wait_for()
    blocks = page.locator(".ph-fields")
    assert blocks.get_by_text("Madame MARTIN Lucie").is_visible()
    assert blocks.get_by_text("Demande d'aide financière").is_visible()
    assert blocks.get_by_text("07.00.00.00.00").is_visible()
    assert blocks.get_by_text("Nouveau").is_visible()
    assert _sent_files(page) == ["PJ2.pdf"]
    assert page.get_by_text("Aucune pièce jointe reçue.").is_visible()
    assert_fits_width(page)

    # "Compléter la demande": the comment completed, a file dropped.
    page.get_by_role("link", name="Compléter la demande").click()
    page.get_by_role("heading", name=f"Compléter la demande n° {martin.number}").wait_for()
    comment = page.get_by_role("textbox", name=re.compile(r"^Commentaires"))
    assert comment.input_value() == "Demande de rééquilibrage budgétaire."
    comment.press("Control+End")
    comment.press("Enter")
    comment.press_sequentially("Je vous joins une facture supplémentaire.")
    page.get_by_text("7 pièces jointes maximum").wait_for()
    _drop(page, ("facture-pharmacie.pdf", "application/pdf", pdf_bytes()))
    page.get_by_role("button", name="Retirer « facture-pharmacie.pdf »").wait_for()
    assert_fits_width(page)
    page.get_by_role("button", name="VALIDER").click()

    page.get_by_text("La demande a bien été prise en compte.").wait_for()
    page.wait_for_url(re.compile(rf"/historique/{martin.number}/$"))
    assert _sent_files(page) == ["PJ2.pdf", "facture-pharmacie.pdf"]
    assert page.get_by_text("Je vous joins une facture supplémentaire.").is_visible()
    assert page.get_by_text("Demande de rééquilibrage budgétaire.").is_visible()
    martin.refresh_from_db()
    assert martin.status == PartnerRequestStatus.NEW
    assert martin.comment.splitlines() == [
        "Demande de rééquilibrage budgétaire.",
        "Je vous joins une facture supplémentaire.",
    ]
    assert martin.attachments.count() == 2


def test_a_comment_completed_up_to_5000_characters_with_line_breaks_is_accepted(
    new_page, live_server, technician, organism, convention, viewport
):
    """ "Commentaires * (5000 caractères maximum)": the box lets the technician type 5000
    characters, a line break counting as one, and the page must take what the box took."""
    # Already 4975 characters over 50 lines; the technician adds a line break and a few words.
    lines = ["Situation détaillée :"] + [f"- point {n:02d} : " + "x" * 85 for n in range(1, 50)]
    lines[-1] += "x" * (4975 - len("\n".join(lines)))
    shown = make_partner_request(technician=technician, organism=organism, comment="\n".join(lines))
    page = open_signed_in(new_page, live_server, technician, "/partenaires/")
    page.get_by_label(CHOOSE_LABEL).select_option(label="CPAM GIRONDE")
    page.get_by_role("button", name="Valider").click()
    page.locator(".ods-card").first.wait_for()
    _menu_history(page)
    page.get_by_role("link", name=f"Consulter le détail de la demande {shown.number}").click()
    page.get_by_role("link", name="Compléter la demande").click()

    comment = page.get_by_role("textbox", name=re.compile(r"^Commentaires"))
    comment.press("Control+End")
    comment.press("Enter")
    comment.press_sequentially("Dernière précision : urgent")
    # The box stopped the technician at 5000 characters, a line break counted as one.
    assert comment.input_value() == "\n".join([*lines, "Dernière précision : urg"])
    with page.expect_navigation():
        page.get_by_role("button", name="VALIDER").click()

    errors = page.locator(".errors").all_inner_texts()
    assert page.get_by_text("La demande a bien été prise en compte.").is_visible(), errors
    shown.refresh_from_db()
    assert shown.comment.splitlines()[-1] == "Dernière précision : urg"


# -- 4: cancel another ---------------------------------------------------------------------------
def test_a_technician_cancels_a_request_and_it_leaves_the_history(
    new_page, live_server, technician, organism, convention, viewport
):
    kept = make_partner_request(
        technician=technician, organism=organism, person=_person("PRINCE", "Marius", "M")
    )
    doubled = make_partner_request(
        technician=technician, organism=organism, person=_person("TUTU", "Joséphine")
    )
    page = open_signed_in(new_page, live_server, technician, "/partenaires/")
    page.get_by_label(CHOOSE_LABEL).select_option(label="CPAM GIRONDE")
    page.get_by_role("button", name="Valider").click()
    page.locator(".ods-card").first.wait_for()
    _menu_history(page)
    assert _numbers_shown(page) == [doubled.number, kept.number]

    page.get_by_role("link", name=f"Consulter le détail de la demande {doubled.number}").click()
    page.get_by_role("link", name="Annuler la demande").click()
    page.get_by_role("heading", name=f"Annulation de la demande n° {doubled.number}.").wait_for()
    reason = page.get_by_label("Sélectionner le motif de l'annulation")
    assert reason.locator("option").all_inner_texts() == [
        "Sélectionner un motif",
        "La demande a déjà été faite par un membre de ma structure",
        "La demande a été résolue via un autre canal",
        "La demande n'est plus justifiée",
        "Autre motif",
    ]
    reason.select_option(label="La demande a déjà été faite par un membre de ma structure")
    confirm = page.get_by_role("switch", name="Je confirme l'annulation")
    assert not confirm.is_checked()
    confirm.click()
    assert confirm.is_checked()
    assert_fits_width(page)
    page.get_by_role("button", name="VALIDER").click()

    page.get_by_text(REMOVED).wait_for()
    page.wait_for_url(re.compile(r"/partenaires/historique/$"))
    assert _numbers_shown(page) == [kept.number]
    assert page.locator(".result-count").first.inner_text() == "1 demande"
    assert page.get_by_text(doubled.number).count() == 0
    assert_fits_width(page)

    # Searched by its number, it is not found either.
    _open_filters(page)
    _textbox(page, "Numéro de demande").fill(doubled.number)
    _search(page)
    assert page.get_by_text("Aucune demande ne correspond à vos critères.").is_visible()
    doubled.refresh_from_db()
    assert doubled.status == PartnerRequestStatus.CANCELLED
    assert doubled.cancel_reason == "doublon_structure"


# -- 5: a convention ending in less than 30 days ---------------------------------------------
def test_a_convention_ending_within_30_days_is_announced_before_the_home_page(
    new_page, live_server, technician, structure, convention, viewport
):
    end = timezone.localdate() + datetime.timedelta(days=12)
    ConventionFactory(
        structure=structure,
        organism=OrganismFactory(name="CPAM LOT ET GARONNE", code="471"),
        end_date=end,
    )
    page = open_signed_in(new_page, live_server, technician, "/")
    page.get_by_label(CHOOSE_LABEL).select_option(label="CPAM LOT ET GARONNE *")
    page.get_by_role("button", name="Valider").click()

    message = (
        f"Le conventionnement arrive à échéance le {end:%d/%m/%Y} - Veuillez contacter "
        "l'organisme concerné."
    )
    page.get_by_role("alert").filter(has_text=message).wait_for()
    assert_fits_width(page)
    page.get_by_role("link", name="Continuer").click()

    page.wait_for_url(re.compile(r"/partenaires/accueil/$"))
    assert (
        page.locator(".partner-central .partner-organism-name").inner_text()
        == "CPAM LOT ET GARONNE"
    )
    assert page.locator(".ods-card .ods-card-title").all_inner_texts() == CARD_TITLES
    assert page.get_by_role("status").filter(has_text=message).is_visible()

    # The organism in the central band leads back to the choice, this one preselected.
    page.locator(".partner-organism").click()
    assert page.get_by_label(CHOOSE_LABEL).evaluate("select => select.selectedOptions[0].text") == (
        "CPAM LOT ET GARONNE *"
    )
