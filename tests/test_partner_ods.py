"""The five ODS forms of the partner space (guide 001, chapter IV) and the confirmation with the
request's number (chapter V): what each form shows, what it files, and what it refuses."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.services import case_move
from documents.models import StoredFile
from partners.catalogue import SERVICES, Service
from partners.models import OrganismService, PartnerRequest, PartnerRequestStatus
from partners.selectors import SESSION_ORGANISM
from portal.models import Sequence
from tests.factories import ConventionFactory, OrganismFactory, make_partner_request
from tests.test_access_matrix import _sign_in
from tests.test_request_document import a_pdf, a_png, field_errors, kept_file_ids, page_of
from tests.test_uploads import office_bytes

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^\d{10}$")


def url_of(service: Service) -> str:
    return reverse("partners:new", args=[SERVICES[service].slug])


PERSON_DATA = {
    "civility": "M",
    "last_name": "Pain",
    "first_name": "françois",
    "birth_date": "05/10/1970",
    "birth_place": "24",
    "phone": "06.00.00.00.00",
}

VALID = {
    Service.CONTACT: {
        "motif": "convention",
        "appointment_modes": ["distance", "physique"],
        "comment": "Je souhaite un rdv pour fixer les modalités de renouvellement.",
    },
    Service.DIFFICULTY: {
        "motif": "urgence",
        **PERSON_DATA,
        "comment": "L'assuré a besoin de soins urgents",
    },
    Service.APPOINTMENT: {
        "motif": "capital_deces",
        **PERSON_DATA,
        "comment": "Demande de capital décès pour son mari décédé.",
    },
    Service.CASE_STUDY: {
        "motif": "aide_financiere",
        **PERSON_DATA,
        "comment": "Demande de rééquilibre budgétaire.",
    },
    Service.DOCUMENT: {
        "documents": ["attestation_droits", "ceam"],
        **PERSON_DATA,
        "comment": "L'assurée a perdu son portefeuille.",
    },
}


def valid(service: Service, **changes) -> dict:
    return {**VALID[service], **changes}


def upload(client, name="PJ1.pdf", content=None) -> str:
    """One file through the widget's upload endpoint, as the script sends it: its id."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploaded = a_pdf(name) if content is None else SimpleUploadedFile(name, content)
    response = client.post(
        reverse("documents:upload", args=["partenaire"]),
        {"file": uploaded},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def text_of(response) -> str:
    """The page's text, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_of(response)).split())


def non_field_errors(response) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page_of(response), re.S)
    return match.group(0) if match else ""


# -- Every ODS files a request and gets its number ----------------------------------------------
@pytest.mark.parametrize("service", list(Service))
def test_each_ods_files_a_request_and_shows_its_number(partner_client, technician, service):
    data = valid(service)
    if SERVICES[service].has_files:
        data["files"] = [upload(partner_client, "PJ1.pdf")]
        data["files_files"] = [a_png("PJ2.png")]
    response = partner_client.post(url_of(service), data)

    sent = PartnerRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:submitted", args=[sent.number])
    year = timezone.localdate().year % 100
    assert NUMBER.match(sent.number) and sent.number.startswith(f"{year:02d}331")
    assert sent.number == f"{year:02d}33100001"
    assert sent.service == service
    assert sent.status == PartnerRequestStatus.NEW
    assert sent.requester == technician
    assert sent.structure.name == "CCAS de Bordeaux"
    assert sent.comment == data["comment"]

    page = partner_client.get(response["Location"])
    assert page.status_code == 200
    text = text_of(page)
    assert "Votre demande a bien été envoyée à l'organisme CPAM GIRONDE." in text
    assert f"Numéro de la demande : {sent.number}" in text
    assert f'href="{reverse("partners:home")}"' in page_of(page)
    assert f'href="{reverse("partners:history")}"' in page_of(page)

    if SERVICES[service].has_files:
        assert sorted(f.original_name for f in sent.attachments.all()) == ["PJ1.pdf", "PJ2.png"]
        assert all(f.attached_at is not None for f in sent.attachments.all())
    if SERVICES[service].has_person:
        assert (sent.civility, sent.last_name, sent.first_name) == ("M", "PAIN", "François")
        assert sent.birth_date.isoformat() == "1970-10-05"
        assert (sent.birth_place, sent.phone) == ("24", "0600000000")
        assert sent.person_name == "Monsieur PAIN François"


def test_numbers_follow_each_other_for_the_organism(partner_client):
    numbers = []
    for _ in range(3):
        response = partner_client.post(url_of(Service.APPOINTMENT), valid(Service.APPOINTMENT))
        numbers.append(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    year = timezone.localdate().year % 100
    assert numbers == [f"{year:02d}331{n:05d}" for n in (1, 2, 3)]


def test_the_contact_form_saves_the_motif_and_the_appointment_modes(partner_client):
    partner_client.post(
        url_of(Service.CONTACT), valid(Service.CONTACT, appointment_modes=["physique"])
    )
    sent = PartnerRequest.objects.get()
    assert (sent.motif, sent.appointment_modes) == ("convention", ["physique"])
    assert sent.last_name == "" and sent.birth_date is None


def test_the_document_form_saves_every_document_asked_for(partner_client):
    partner_client.post(
        url_of(Service.DOCUMENT), valid(Service.DOCUMENT, documents=["ceam", "attestation_droits"])
    )
    sent = PartnerRequest.objects.get()
    assert sent.documents == ["attestation_droits", "ceam"]
    assert sent.motif == "attestation_droits"


# -- What each form shows -------------------------------------------------------------------------
def test_the_contact_form_follows_the_guide(partner_client):
    response = partner_client.get(url_of(Service.CONTACT))
    assert response.status_code == 200
    page = page_of(response)
    text = text_of(response)
    assert "Les champs précédés d'un astérisque* sont obligatoires." in text
    assert "<h1>Contacter votre organisme d'assurance Maladie</h1>" in page
    assert str(SERVICES[Service.CONTACT].description) in text
    assert "Motif de la demande *" in text
    assert '<option value="" selected>Sélectionner un motif</option>' in page
    assert "Modalités de rendez-vous *" in text
    assert "Téléphonique / Visio" in text and "Physique" in text
    assert 'type="checkbox" name="appointment_modes" value="distance"' in page
    # The files block in the guide's words.
    assert "Pièces jointes" in text
    assert (
        "fichiers acceptés pdf, word (.doc, .docx), excel (.xls, .xlsx, .csv), tiff, png, jpeg. "
        "Taille de pièce jointe maximum 5 Mo, 8 pièces jointes maximum." in text
    )
    assert "Télécharger vos fichiers" in text
    assert "Glisser/déposer ou cliquer ici pour ajouter vos fichiers." in page
    assert "Liste des pièces jointes" in text
    assert "Aucune pièce jointe enregistrée." in text
    assert "Commentaires * (5000 caractères maximum)" in text
    assert 'maxlength="5000"' in page
    assert "Annuler" in text and "VALIDER" in text
    assert f'href="{reverse("partners:home")}"' in page
    # No person block on this form.
    assert "Personne concernée" not in text
    assert 'name="last_name"' not in page


@pytest.mark.parametrize(
    "service", [Service.DIFFICULTY, Service.APPOINTMENT, Service.CASE_STUDY, Service.DOCUMENT]
)
def test_the_person_block_follows_the_guide(partner_client, service):
    response = partner_client.get(url_of(service))
    page = page_of(response)
    text = text_of(response)
    assert '<legend class="ods-section-title">Personne concernée</legend>' in page
    for label in ("Civilité *", "Nom *", "Prénom *", "Date de naissance *",
                  "Lieu de naissance *", "Téléphone *"):  # fmt: skip
        assert label in text
    assert "Madame" in text and "Monsieur" in text
    assert 'type="radio" name="civility" value="MME"' in page
    assert "(N° du Département de naissance ou Libellé du pays)" in text
    assert 'placeholder="jj/mm/aaaa"' in page
    assert f'data-max="{timezone.localdate().isoformat()}"' in page
    assert 'name="last_name" maxlength="30"' in page
    assert 'name="first_name" maxlength="20"' in page
    assert 'name="birth_place" maxlength="30"' in page
    assert 'type="tel" name="phone"' in page


def test_the_difficulty_form_lists_its_motifs(partner_client):
    page = page_of(partner_client.get(url_of(Service.DIFFICULTY)))
    for label in SERVICES[Service.DIFFICULTY].motifs.values():
        assert f">{label}</option>" in page


def test_the_appointment_form_shows_its_warning_and_no_files(partner_client):
    response = partner_client.get(url_of(Service.APPOINTMENT))
    text = text_of(response)
    assert (
        "Attention : Cette offre s'adresse uniquement aux personnes non autonomes et qui ne "
        "bénéficient pas de compte ameli." in text
    )
    assert text.index("Attention :") < text.index("Motif de la demande")
    assert "Pièces jointes" not in text
    assert "Télécharger vos fichiers" not in text
    assert 'type="file"' not in page_of(response)
    for label in ("AME", "Arrêts de travail, Indemnités journalières", "Capital décès",
                  "Rente AT/MP", "Service Social"):  # fmt: skip
        assert f">{label}</option>" in page_of(response)


def test_the_document_form_shows_documents_as_toggles_and_no_files(partner_client):
    response = partner_client.get(url_of(Service.DOCUMENT))
    page = page_of(response)
    text = text_of(response)
    assert "Documents *" in text
    assert "Motif de la demande" not in text
    for label in ("Attestation de droits", "Autre type de document", "Certificat provisoire CEAM",
                  "Formulaire carte vitale", "Offres de prévention"):  # fmt: skip
        assert label in text
    assert 'type="checkbox" name="documents" value="ceam"' in page
    assert "Pièces jointes" not in text
    assert 'type="file"' not in page


@pytest.mark.parametrize("service", [Service.APPOINTMENT, Service.DOCUMENT])
def test_files_sent_to_a_form_without_files_are_not_kept(partner_client, service):
    response = partner_client.post(
        url_of(service), {**valid(service), "files_files": [a_pdf()], "files": []}
    )
    assert response.status_code == 302
    assert StoredFile.objects.count() == 0
    assert PartnerRequest.objects.get().attachments.count() == 0


# -- Required fields and the organism's motifs --------------------------------------------------
def test_an_empty_form_says_what_is_missing_field_by_field(partner_client):
    response = partner_client.post(url_of(Service.CONTACT), {})
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in page_of(response)
    assert "Sélectionnez un motif." in field_errors(response, "motif")
    assert "Sélectionnez une ou plusieurs modalités de rendez-vous." in field_errors(
        response, "appointment_modes"
    )
    assert "Saisissez un commentaire." in field_errors(response, "comment")
    assert PartnerRequest.objects.count() == 0


def test_a_document_must_be_chosen(partner_client):
    response = partner_client.post(url_of(Service.DOCUMENT), valid(Service.DOCUMENT, documents=[]))
    assert "Sélectionnez un ou plusieurs documents." in field_errors(response, "documents")
    assert PartnerRequest.objects.count() == 0


@pytest.fixture
def fewer_motifs(organism):
    """CPAM GIRONDE keeps two motifs of ODS 3 and two documents of ODS 5."""
    OrganismService.objects.filter(organism=organism, service=Service.APPOINTMENT).update(
        motifs=["ame", "c2s"]
    )
    OrganismService.objects.filter(organism=organism, service=Service.DOCUMENT).update(
        motifs=["attestation_droits", "carte_vitale"]
    )


def test_only_the_motifs_the_organism_keeps_are_offered(partner_client, fewer_motifs):
    page = page_of(partner_client.get(url_of(Service.APPOINTMENT)))
    assert ">AME</option>" in page and ">C2S</option>" in page
    assert "Capital décès" not in page
    page = page_of(partner_client.get(url_of(Service.DOCUMENT)))
    assert "Attestation de droits" in page and "Formulaire carte vitale" in page
    assert "Certificat provisoire CEAM" not in page


def test_a_motif_the_organism_does_not_keep_is_refused(partner_client, fewer_motifs):
    response = partner_client.post(
        url_of(Service.APPOINTMENT), valid(Service.APPOINTMENT, motif="capital_deces")
    )
    assert response.status_code == 200
    assert "Sélectionnez un motif proposé par l'organisme." in field_errors(response, "motif")
    # What was typed stays.
    assert 'value="PAIN"' in page_of(response) or 'value="Pain"' in page_of(response)
    response = partner_client.post(
        url_of(Service.DOCUMENT), valid(Service.DOCUMENT, documents=["attestation_droits", "ceam"])
    )
    assert "Sélectionnez des documents proposés par l'organisme." in field_errors(
        response, "documents"
    )
    assert PartnerRequest.objects.count() == 0


def test_an_unknown_motif_is_refused(partner_client):
    response = partner_client.post(url_of(Service.CONTACT), valid(Service.CONTACT, motif="xyz"))
    assert "Sélectionnez un motif proposé par l'organisme." in field_errors(response, "motif")
    response = partner_client.post(
        url_of(Service.CONTACT), valid(Service.CONTACT, appointment_modes=["pigeon"])
    )
    assert "Sélectionnez une modalité de rendez-vous proposée." in field_errors(
        response, "appointment_modes"
    )
    assert PartnerRequest.objects.count() == 0


def test_a_service_the_organism_does_not_offer_is_not_found(partner_client, organism):
    OrganismService.objects.filter(organism=organism, service=Service.CASE_STUDY).delete()
    assert partner_client.get(url_of(Service.CASE_STUDY)).status_code == 404
    response = partner_client.post(url_of(Service.CASE_STUDY), valid(Service.CASE_STUDY))
    assert response.status_code == 404
    assert PartnerRequest.objects.count() == 0


def test_an_unknown_form_is_not_found(partner_client):
    assert partner_client.get(reverse("partners:new", args=["inconnu"])).status_code == 404


# -- Comments -------------------------------------------------------------------------------------
def test_a_comment_of_5001_characters_is_refused_and_5000_accepted(partner_client):
    response = partner_client.post(
        url_of(Service.CONTACT), valid(Service.CONTACT, comment="a" * 5001)
    )
    assert response.status_code == 200
    assert (
        "Le commentaire ne doit pas dépasser 5000 caractères (vous en avez saisi 5001)."
        in field_errors(response, "comment")
    )
    assert PartnerRequest.objects.count() == 0
    response = partner_client.post(
        url_of(Service.CONTACT), valid(Service.CONTACT, comment="a" * 5000)
    )
    assert response.status_code == 302
    assert len(PartnerRequest.objects.get().comment) == 5000


def test_line_breaks_count_as_one_character_as_the_browser_counts_them(partner_client):
    comment = ("b" * 99 + "\r\n") * 50  # 5000 characters in the browser, 5050 sent
    response = partner_client.post(url_of(Service.CONTACT), valid(Service.CONTACT, comment=comment))
    assert response.status_code == 302
    assert PartnerRequest.objects.get().comment == ("b" * 99 + "\n") * 49 + "b" * 99


def test_a_blank_comment_is_refused(partner_client):
    response = partner_client.post(url_of(Service.CONTACT), valid(Service.CONTACT, comment="   "))
    assert "Saisissez un commentaire." in field_errors(response, "comment")


# -- Files ----------------------------------------------------------------------------------------
def test_a_ninth_file_is_refused_and_the_eight_others_are_kept(partner_client):
    ids = [upload(partner_client, f"PJ{n}.pdf") for n in range(1, 9)]
    response = partner_client.post(
        url_of(Service.CASE_STUDY),
        {**valid(Service.CASE_STUDY), "files": ids, "files_files": [a_png("PJ9.png")]},
    )
    assert response.status_code == 200
    assert (
        "Le fichier « PJ9.png » n'a pas été joint : vous pouvez joindre au maximum 8 fichiers."
        in page_of(response)
    )
    assert kept_file_ids(response) == ids
    assert PartnerRequest.objects.count() == 0

    ninth = upload(partner_client, "PJ9.pdf")
    response = partner_client.post(
        url_of(Service.CASE_STUDY), {**valid(Service.CASE_STUDY), "files": [*ids, ninth]}
    )
    assert "Vous pouvez joindre au maximum 8 fichiers." in field_errors(response, "files")
    assert PartnerRequest.objects.count() == 0

    response = partner_client.post(
        url_of(Service.CASE_STUDY), {**valid(Service.CASE_STUDY), "files": ids}
    )
    assert response.status_code == 302
    assert PartnerRequest.objects.get().attachments.count() == 8


def test_office_files_are_accepted(partner_client):
    word = upload(partner_client, "PJ1.docx", office_bytes())
    response = partner_client.post(
        url_of(Service.CONTACT), {**valid(Service.CONTACT), "files": [word]}
    )
    assert response.status_code == 302
    assert [f.original_name for f in PartnerRequest.objects.get().attachments.all()] == ["PJ1.docx"]


def test_a_file_of_a_type_not_accepted_is_refused_with_the_form_kept(partner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    program = SimpleUploadedFile("PJ1.pdf", b"MZ" + b"\x90\x00" * 2000)
    response = partner_client.post(
        url_of(Service.CONTACT), {**valid(Service.CONTACT), "files_files": [program]}
    )
    assert response.status_code == 200
    assert "n'est pas d'un type accepté" in field_errors(response, "files")
    assert "Je souhaite un rdv" in page_of(response)
    assert PartnerRequest.objects.count() == 0


def test_a_file_can_be_removed_before_validating(partner_client):
    ids = [upload(partner_client, "PJ1.pdf"), upload(partner_client, "PJ2.pdf")]
    partner_client.post(
        url_of(Service.CONTACT),
        {**valid(Service.CONTACT), "files": ids, "files_remove": [ids[0]]},
    )
    assert [f.original_name for f in PartnerRequest.objects.get().attachments.all()] == ["PJ2.pdf"]


def test_another_persons_upload_cannot_be_attached(partner_client, partner_manager, organism):
    theirs = upload(signed_in(partner_manager, organism), "secret.pdf")
    response = partner_client.post(
        url_of(Service.CONTACT), {**valid(Service.CONTACT), "files": [theirs]}
    )
    assert "n'est plus disponible" in field_errors(response, "files")
    assert "secret.pdf" not in page_of(response)
    assert PartnerRequest.objects.count() == 0


# -- Saisine mission accompagnement santé ---------------------------------------------------------
def saisine(**changes) -> dict:
    answers = {
        "motif": "saisine",
        "consent": "on",
        "reasons": ["droits", "renoncement"],
        "care": ["consultation", "pharmacie"],
        "duration": "plus_1_an",
        "causes": ["transport", "delai_rdv"],
    }
    return valid(Service.DIFFICULTY, **{**answers, **changes})


def test_the_saisine_blocks_follow_the_guide(partner_client):
    response = partner_client.get(url_of(Service.DIFFICULTY))
    page = page_of(response)
    text = text_of(response)
    assert "Consentement de l'assuré *" in text
    assert (
        "L'assuré accepte que ses coordonnées soient transmises à la Mission accompagnement santé "
        "de sa Caisse d'assurance maladie afin que celle-ci puisse le contacter pour bénéficier "
        "d'un accompagnement santé personnalisé et d'un suivi adapté" in text
    )
    assert 'type="checkbox" name="consent"' in page and 'role="switch"' in page
    assert "Accompagnement santé sollicité dans le cadre de * :" in text
    assert "Sélectionnez la ou les réponses" in text
    for label in ("Difficultés d'accès aux droits", "Fragilité face au numérique",
                  "Situation sociale complexe"):  # fmt: skip
        assert label in text
    assert "Quels soins ne sont pas réalisés ?" in text
    assert "Depuis quand dure le renoncement ?" in text and "Sélectionnez la réponse" in text
    assert "Quelles en sont les causes ?" in text and "Un problème :" in text
    for label in ("Moins de 3 mois", "Plus de 2 ans", "De transport", "Chirurgie"):
        assert label in text
    # Without JavaScript the blocks are shown with the case they apply to.
    assert "À renseigner uniquement pour le motif « Saisine mission accompagnement santé »." in text
    assert (
        "Facultatif, à renseigner uniquement si vous avez choisi « Renoncement ou difficultés "
        "d'accès à des soins » ou « Renoncement ou des difficultés d'accès à des soins liés à un "
        "handicap »." in text
    )
    assert 'data-show-when="motif" data-show-values="saisine"' in page
    assert 'data-show-values="renoncement renoncement_handicap"' in page


def test_the_saisine_needs_the_consent_and_a_reason(partner_client):
    response = partner_client.post(
        url_of(Service.DIFFICULTY), saisine(consent="", reasons=[], care=[], duration="", causes=[])
    )
    assert response.status_code == 200
    assert (
        "Le consentement de l'assuré est obligatoire pour une saisine de la Mission "
        "accompagnement santé." in field_errors(response, "consent")
    )
    assert (
        "Sélectionnez le cadre de l'accompagnement santé sollicité (une ou plusieurs réponses)."
        in field_errors(response, "reasons")
    )
    assert PartnerRequest.objects.count() == 0


def test_the_saisine_is_filed_with_its_renunciation_blocks(partner_client):
    response = partner_client.post(url_of(Service.DIFFICULTY), saisine())
    assert response.status_code == 302
    assert PartnerRequest.objects.get().saisine == {
        "consent": True,
        "reasons": ["droits", "renoncement"],
        "care": ["consultation", "pharmacie"],
        "duration": "plus_1_an",
        "causes": ["transport", "delai_rdv"],
    }


def test_the_renunciation_blocks_are_ignored_without_a_renunciation_reason(partner_client):
    response = partner_client.post(
        url_of(Service.DIFFICULTY), saisine(reasons=["numerique", "situation_sociale"])
    )
    assert response.status_code == 302
    assert PartnerRequest.objects.get().saisine == {
        "consent": True,
        "reasons": ["numerique", "situation_sociale"],
        "care": [],
        "duration": "",
        "causes": [],
    }


def test_the_renunciation_blocks_are_optional(partner_client):
    response = partner_client.post(
        url_of(Service.DIFFICULTY),
        saisine(reasons=["renoncement_handicap"], care=[], duration="", causes=[]),
    )
    assert response.status_code == 302
    assert PartnerRequest.objects.get().saisine["reasons"] == ["renoncement_handicap"]


def test_the_saisine_blocks_are_ignored_for_another_motif(partner_client):
    response = partner_client.post(url_of(Service.DIFFICULTY), saisine(motif="droits"))
    assert response.status_code == 302
    sent = PartnerRequest.objects.get()
    assert (sent.motif, sent.saisine) == ("droits", {})


def test_no_saisine_blocks_when_the_organism_does_not_keep_the_motif(partner_client, organism):
    OrganismService.objects.filter(organism=organism, service=Service.DIFFICULTY).update(
        motifs=["droits", "urgence"]
    )
    page = page_of(partner_client.get(url_of(Service.DIFFICULTY)))
    assert "Consentement de l'assuré" not in page
    response = partner_client.post(url_of(Service.DIFFICULTY), saisine())
    assert "Sélectionnez un motif proposé par l'organisme." in field_errors(response, "motif")


def test_an_unknown_saisine_answer_is_refused(partner_client):
    response = partner_client.post(url_of(Service.DIFFICULTY), saisine(duration="toujours"))
    assert response.status_code == 200
    assert field_errors(response, "duration")
    assert PartnerRequest.objects.count() == 0


# -- A refusal of the service keeps everything -------------------------------------------------
def test_a_refusal_at_submission_is_shown_and_nothing_is_lost(partner_client):
    year = timezone.localdate().year
    Sequence.objects.create(name=f"partner-331-{year}", value=99_999)
    file_id = upload(partner_client, "PJ1.pdf")
    response = partner_client.post(
        url_of(Service.CASE_STUDY), {**valid(Service.CASE_STUDY), "files": [file_id]}
    )
    assert response.status_code == 200
    assert "L'organisme a atteint le nombre maximum de demandes pour cette année (99999)" in (
        non_field_errors(response)
    )
    assert kept_file_ids(response) == [file_id]
    page = page_of(response)
    assert "Demande de rééquilibre budgétaire." in page
    assert 'value="05/10/1970"' in page
    assert PartnerRequest.objects.count() == 0
    assert StoredFile.objects.get().attached_at is None


# -- Who may file, and see the confirmation -------------------------------------------------------
def test_a_member_gets_a_404(client, member):
    _sign_in(client, member.user)
    assert client.get(url_of(Service.CONTACT)).status_code == 404
    assert client.post(url_of(Service.CONTACT), valid(Service.CONTACT)).status_code == 404
    assert client.get(reverse("partners:submitted", args=["2633100001"])).status_code == 404
    assert PartnerRequest.objects.count() == 0


def signed_in(user, organism) -> Client:
    """Another browser, signed in as `user` with `organism` chosen."""
    browser = Client()
    _sign_in(browser, user)
    session = browser.session
    session[SESSION_ORGANISM] = organism.pk
    session.save()
    return browser


def test_a_technician_of_another_structure_cannot_see_the_confirmation(
    partner_client, technician, other_technician, organism
):
    sent = make_partner_request(technician=technician, organism=organism)
    ConventionFactory(structure=other_technician.partner_membership.structure, organism=organism)
    other = signed_in(other_technician, organism)
    assert other.get(reverse("partners:submitted", args=[sent.number])).status_code == 404
    # Their own form files for their own structure.
    other.post(url_of(Service.CONTACT), valid(Service.CONTACT))
    theirs = PartnerRequest.objects.exclude(pk=sent.pk).get()
    assert theirs.structure == other_technician.partner_membership.structure
    assert (
        partner_client.get(reverse("partners:submitted", args=[theirs.number])).status_code == 404
    )


def test_a_colleague_of_the_same_structure_sees_the_confirmation(
    convention, technician, partner_manager, organism
):
    sent = make_partner_request(technician=technician, organism=organism)
    colleague = signed_in(partner_manager, organism)
    assert colleague.get(reverse("partners:submitted", args=[sent.number])).status_code == 200


def test_the_confirmation_of_a_request_of_another_organism_is_not_found(
    partner_client, technician, structure
):
    other = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=structure, organism=other)
    sent = make_partner_request(technician=technician, organism=other)
    assert partner_client.get(reverse("partners:submitted", args=[sent.number])).status_code == 404
    assert partner_client.get(reverse("partners:submitted", args=["0000000000"])).status_code == 404


def test_an_ended_convention_with_an_open_request_takes_no_new_request(
    partner_client, technician, organism, convention
):
    sent = make_partner_request(technician=technician, organism=organism)
    convention.end_date = timezone.localdate() - datetime.timedelta(days=1)
    convention.save()
    for service in Service:
        assert partner_client.get(url_of(service)).status_code == 404
    assert partner_client.post(url_of(Service.CONTACT), valid(Service.CONTACT)).status_code == 404
    assert PartnerRequest.objects.count() == 1
    # The confirmation of the request already sent can still be read.
    assert partner_client.get(reverse("partners:submitted", args=[sent.number])).status_code == 200


def test_a_cancelled_request_has_no_confirmation_page(partner_client, technician, organism):
    sent = make_partner_request(technician=technician, organism=organism)
    case_move(case=sent, move="cancel", by=technician, reason="autre")
    assert partner_client.get(reverse("partners:submitted", args=[sent.number])).status_code == 404


def test_without_a_chosen_organism_the_technician_chooses_one_first(client, technician, convention):
    _sign_in(client, technician)
    response = client.get(url_of(Service.CONTACT))
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:choose")


def test_the_confirmation_is_read_only(partner_client, technician, organism):
    sent = make_partner_request(technician=technician, organism=organism)
    url = reverse("partners:submitted", args=[sent.number])
    assert partner_client.post(url).status_code == 405
