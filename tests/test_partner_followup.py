"""The detail of a partner request (guide 001, VI.2), "Compléter la demande" and "Annuler la
demande": the blocks, the files sent and received, who may see what, and the refusals."""

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.services import case_move
from documents.models import StoredFile
from documents.rules import ANSWER, PARTNER_REQUEST
from documents.services import stored_file_create
from partners.catalogue import SAISINE, Service
from partners.models import PartnerRequest, PartnerRequestStatus
from partners.selectors import SESSION_ORGANISM
from tests.factories import ConventionFactory, OrganismFactory, make_partner_request
from tests.test_access_matrix import _sign_in
from tests.test_request_document import hidden_inputs
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

HISTORY = "/partenaires/historique/"
CANCELLED_MESSAGE = (
    "La demande a été automatiquement supprimée de la liste des demandes affichées dans "
    "l'historique des demandes."
)


# -- Helpers ------------------------------------------------------------------------------------
def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def detail_url(request) -> str:
    return f"{HISTORY}{request.number}/"


def complete_url(request) -> str:
    return f"{HISTORY}{request.number}/completer/"


def cancel_url(request) -> str:
    return f"{HISTORY}{request.number}/annuler/"


def field_errors(page: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="id_{name}_error">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def a_pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def uploads(user, names, rules=PARTNER_REQUEST):
    """Pending uploads of `user`, as the upload widget leaves them before the form is sent."""
    return [stored_file_create(uploaded=a_pdf(name), rules=rules, by=user) for name in names]


def with_files(technician, organism, names, **kwargs):
    return make_partner_request(
        technician=technician, organism=organism, attachments=uploads(technician, names), **kwargs
    )


def resolved_with_file(technician, organism, manager, name="Attestation.pdf"):
    request = make_partner_request(technician=technician, organism=organism)
    answer_files = uploads(manager, [name], rules=ANSWER)
    case_move(case=request, move="take", by=manager)
    case_move(
        case=request, move="resolve", by=manager, text="Prise en charge faite.",
        attachments=answer_files,
    )  # fmt: skip
    return request, answer_files[0]


# -- Detail -------------------------------------------------------------------------------------
def test_the_detail_shows_the_guides_blocks(partner_client, technician, organism):
    technician.last_name, technician.first_name = "Lapierre", "Martine"
    technician.save()
    request = make_partner_request(
        technician=technician, organism=organism, motif="aide_financiere",
        comment="Demande de rééquilibrage budgétaire.",
    )  # fmt: skip
    when = datetime.datetime(2022, 2, 16, 16, 30, tzinfo=datetime.UTC)
    PartnerRequest.objects.filter(pk=request.pk).update(created_at=when, status_changed_at=when)

    page = page_text(partner_client.get(detail_url(request)))

    assert "← Revenir à l'historique" in page.replace('<span aria-hidden="true">←</span> ', "← ")
    for label, value in (
        ("Numéro demande", request.number),
        ("Date de dépôt", "16/02/2022 17h30min"),  # 16h30 UTC is 17h30 in Paris
        ("Demandeur", "LAPIERRE Martine"),
        ("Date statut", "16/02/2022 17h30min"),
        ("Statut de la demande", "Nouveau"),
        ("Offre de service", "Soumettre une demande d'étude de dossier"),
        ("Motif", "Demande d'aide financière"),
        ("Personne Concernée", "Madame TUTU Joséphine"),
        ("Date de naissance", "10/10/1971"),
        ("Lieu de naissance", "44"),
        ("Téléphone", "07.00.00.00.00"),
        ("Commentaire", "Demande de rééquilibrage budgétaire."),
    ):
        assert re.search(
            rf"{re.escape(label)}</dt>\s*<dd[^>]*>.*?{re.escape(value)}", page, re.S
        ), label
    assert "Réponse</dt>" not in page, "no answer block before the request is resolved"
    assert "Aucune pièce jointe reçue." in page
    assert "Par sécurité, le contenu des PJ déposées n'est pas consultable" in page
    assert "Pièces jointes reçues, à télécharger pendant 15 jours maximum" in page


def test_the_detail_of_a_document_request_lists_the_documents_asked(
    partner_client, technician, organism
):
    request = make_partner_request(
        technician=technician, organism=organism, service=Service.DOCUMENT,
        documents=["attestation_droits", "ceam"],
    )  # fmt: skip

    page = page_text(partner_client.get(detail_url(request)))

    assert "Attestation de droits" in page
    assert "Certificat provisoire CEAM" in page


def test_the_detail_of_a_contact_request_shows_the_appointment_modes_and_no_person(
    partner_client, technician, organism
):
    request = make_partner_request(
        technician=technician, organism=organism, service=Service.CONTACT, motif="technique",
        appointment_modes=["distance", "physique"],
    )  # fmt: skip

    page = page_text(partner_client.get(detail_url(request)))

    assert "Question technique" in page
    assert "Modalités de rendez-vous" in page
    assert "Téléphonique / Visio" in page and "Physique" in page
    assert "Personne Concernée" not in page


def test_the_detail_of_a_saisine_shows_its_answers_in_words(partner_client, technician, organism):
    request = make_partner_request(
        technician=technician, organism=organism, service=Service.DIFFICULTY, motif=SAISINE,
        saisine={
            "consent": True, "reasons": ["renoncement", "numerique"], "care": ["pharmacie"],
            "duration": "3_mois_1_an", "causes": ["transport"],
        },
    )  # fmt: skip

    page = page_text(partner_client.get(detail_url(request)))

    for text in (
        "Saisine mission accompagnement santé",
        "Consentement de l'assuré",
        "Accompagnement santé sollicité dans le cadre de",
        "Renoncement ou difficultés d'accès à des soins",
        "Fragilité face au numérique",
        "Quels soins ne sont pas réalisés ?",
        "Pharmacie",
        "Depuis quand dure le renoncement ?",
        "De 3 mois à 1 an",
        "Quelles en sont les causes ?",
        "De transport",
    ):
        assert text in page, text


def test_the_answer_block_shows_once_resolved(
    partner_client, technician, organism, organism_manager
):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="take", by=organism_manager)
    assert "Prise en charge faite." not in page_text(partner_client.get(detail_url(request)))

    case_move(case=request, move="resolve", by=organism_manager, text="Prise en charge faite.")
    page = page_text(partner_client.get(detail_url(request)))

    assert re.search(r"Réponse</dt>\s*<dd[^>]*>Prise en charge faite\.", page)
    assert "Résolu" in page


def test_files_sent_are_listed_by_name_and_cannot_be_read(partner_client, technician, organism):
    request = with_files(technician, organism, ["Att sur honneur.pdf", "BS.pdf"])
    sent = list(request.attachments.all())

    page = page_text(partner_client.get(detail_url(request)))

    assert "Att sur honneur.pdf" in page and "BS.pdf" in page
    for stored in sent:
        assert f"/documents/{stored.pk}/" not in page, "no link to a file sent"
        assert partner_client.get(f"/documents/{stored.pk}/").status_code == 404


def test_a_file_received_is_downloadable_then_marked_expired_after_15_days(
    partner_client, technician, organism, organism_manager
):
    request, answer_file = resolved_with_file(technician, organism, organism_manager)
    link = f'href="/documents/{answer_file.pk}/"'

    page = page_text(partner_client.get(detail_url(request)))
    assert link in page
    assert "Attestation.pdf" in page
    download = partner_client.get(f"/documents/{answer_file.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    past = timezone.now() - datetime.timedelta(days=16)
    StoredFile.objects.filter(pk=answer_file.pk).update(
        attached_at=past, expires_at=past + datetime.timedelta(days=15)
    )
    page = page_text(partner_client.get(detail_url(request)))

    assert link not in page
    assert "Attestation.pdf" in page and "Fichier expiré" in page
    assert partner_client.get(f"/documents/{answer_file.pk}/").status_code == 404


def test_the_detail_offers_complete_and_cancel_while_new(partner_client, technician, organism):
    request = make_partner_request(technician=technician, organism=organism)

    page = page_text(partner_client.get(detail_url(request)))

    assert f'href="{complete_url(request)}"' in page and "Compléter la demande" in page
    assert f'href="{cancel_url(request)}"' in page and "Annuler la demande" in page


def test_the_detail_offers_neither_once_taken_in_charge(
    partner_client, technician, organism, organism_manager
):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="take", by=organism_manager)

    page = page_text(partner_client.get(detail_url(request)))

    assert complete_url(request) not in page
    assert cancel_url(request) not in page


def test_the_detail_offers_neither_once_the_convention_ended(
    partner_client, technician, organism, convention
):
    request = make_partner_request(technician=technician, organism=organism)
    convention.start_date = timezone.localdate() - datetime.timedelta(days=400)
    convention.end_date = timezone.localdate() - datetime.timedelta(days=1)
    convention.save()

    page = page_text(partner_client.get(detail_url(request)))

    assert complete_url(request) not in page
    opened = page_text(partner_client.get(complete_url(request), follow=True))
    assert "Le conventionnement avec cet organisme ne permet plus" in opened
    response = partner_client.post(cancel_url(request), {"reason": "autre", "confirm": "on"})
    assert "Le conventionnement avec cet organisme ne permet plus" in page_text(response)
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.NEW


# -- Who may open what --------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", ["", "completer/", "annuler/"])
def test_a_technician_of_another_structure_gets_a_404(
    client, technician, other_technician, organism, convention, suffix
):
    request = make_partner_request(technician=technician, organism=organism)
    ConventionFactory(structure=other_technician.partner_membership.structure, organism=organism)
    _sign_in(client, other_technician)
    session = client.session
    session[SESSION_ORGANISM] = organism.pk
    session.save()

    assert client.get(f"{detail_url(request)}{suffix}").status_code == 404
    assert (
        client.post(
            f"{detail_url(request)}{suffix}", {"comment": "x", "reason": "autre", "confirm": "on"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("suffix", ["", "completer/", "annuler/"])
def test_a_request_to_another_organism_gets_a_404(partner_client, technician, structure, suffix):
    elsewhere = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=structure, organism=elsewhere)
    request = make_partner_request(technician=technician, organism=elsewhere)

    assert partner_client.get(f"{detail_url(request)}{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "completer/", "annuler/"])
def test_a_cancelled_or_unknown_request_gets_a_404(partner_client, technician, organism, suffix):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="cancel", by=technician, reason="autre")

    assert partner_client.get(f"{detail_url(request)}{suffix}").status_code == 404
    assert partner_client.get(f"{HISTORY}0000000000/{suffix}").status_code == 404


# -- Compléter la demande -----------------------------------------------------------------------
def test_the_complete_form_follows_the_guide(partner_client, technician, organism):
    request = with_files(technician, organism, ["PJ4.pdf", "PJ2.pdf", "PJ5.pdf", "PJ6.pdf"],
                         comment="Demande de rééquilibrage budgétaire.")  # fmt: skip

    page = page_text(partner_client.get(complete_url(request)))

    assert f"Compléter la demande n° {request.number}" in page
    assert re.search(r"Commentaires <span[^>]*>\*</span> <span[^>]*>\(5000 caractères maximum\)",
                     page)  # fmt: skip
    assert re.search(r"<textarea[^>]*>Demande de rééquilibrage budgétaire\.</textarea>", page)
    assert (
        "Fichiers acceptés pdf, word (.doc, .docx), excel (.xls, .xlsx, .csv), tiff, png, jpeg. "
        "Taille de pièce jointe maximum 5 Mo, 4 pièces jointes maximum." in page
    )
    assert 'data-max-files="4"' in page
    assert "Annuler" in page and "VALIDER" in page


def test_an_offer_without_files_has_no_file_block(partner_client, technician, organism):
    request = make_partner_request(
        technician=technician, organism=organism, service=Service.APPOINTMENT
    )

    page = page_text(partner_client.get(complete_url(request)))

    assert 'name="files_files"' not in page
    assert "Fichiers acceptés" not in page


def test_completing_adds_to_the_comment_and_joins_files(partner_client, technician, organism):
    request = with_files(technician, organism, ["PJ4.pdf", "PJ2.pdf"],
                         comment="Demande de rééquilibrage budgétaire.")  # fmt: skip
    comment = "Demande de rééquilibrage budgétaire.\nJe vous joins des factures supplémentaires."

    response = partner_client.post(
        complete_url(request),
        {"comment": comment, "files_files": [
            a_pdf("PJ5.pdf"), SimpleUploadedFile("PJ6.png", image_bytes("PNG"), "image/png"),
        ]},
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == detail_url(request)
    page = page_text(partner_client.get(response["Location"]))
    assert "La demande a bien été prise en compte." in page
    assert "Je vous joins des factures supplémentaires." in page
    for name in ("PJ4.pdf", "PJ2.pdf", "PJ5.pdf", "PJ6.png"):
        assert name in page
    request.refresh_from_db()
    assert request.comment == comment
    assert request.attachments.count() == 4
    event = request.case_events.get(action="complete")
    assert event.data["previous_comment"] == "Demande de rééquilibrage budgétaire."
    assert event.data["added_files"] == 2


def test_a_line_break_counts_as_one_character_as_in_the_box(partner_client, technician, organism):
    request = make_partner_request(technician=technician, organism=organism)
    # 50 lines, 5000 characters with a line break counted as one (5049 sent as CRLF).
    comment = "\r\n".join(["x" * 99] * 49 + ["x" * 100])

    response = partner_client.post(complete_url(request), {"comment": comment})

    assert response.status_code == 302
    request.refresh_from_db()
    assert len(request.comment) == 5000
    assert "\r" not in request.comment


def test_files_uploaded_beforehand_by_the_widget_are_joined(partner_client, technician, organism):
    request = make_partner_request(technician=technician, organism=organism)
    pending = uploads(technician, ["Facture.pdf"])

    partner_client.post(
        complete_url(request), {"comment": "Voici la facture.", "files": [str(pending[0].pk)]}
    )

    assert [f.original_name for f in request.attachments.all()] == ["Facture.pdf"]


def test_it_refuses_a_ninth_file_and_keeps_the_others(partner_client, technician, organism):
    request = with_files(technician, organism, [f"envoi{i}.pdf" for i in range(1, 5)])

    response = partner_client.post(
        complete_url(request),
        {"comment": "Cinq de plus", "files_files": [a_pdf(f"plus{i}.pdf") for i in range(1, 6)]},
    )

    page = page_text(response)
    assert (
        "Le fichier « plus5.pdf » n'a pas été joint : vous pouvez joindre au maximum 4 fichiers."
        in field_errors(page, "files")
    )
    kept = hidden_inputs(response).get("files", [])
    assert len(kept) == 4, "the four accepted files stay on the page"
    assert "Cinq de plus</textarea>" in page
    assert request.attachments.count() == 4

    # Sent again as it came back (the fifth file removed): the four are joined.
    partner_client.post(complete_url(request), {"comment": "Cinq de plus", "files": kept})
    assert request.attachments.count() == 8


def test_a_request_with_its_8_files_takes_no_more(partner_client, technician, organism):
    request = with_files(technician, organism, [f"envoi{i}.pdf" for i in range(1, 9)])

    page = page_text(partner_client.get(complete_url(request)))

    assert 'name="files_files"' not in page
    assert "Les 8 pièces jointes possibles ont déjà été envoyées" in page
    partner_client.post(
        complete_url(request), {"comment": "Encore", "files_files": [a_pdf("neuf.pdf")]}
    )
    assert request.attachments.count() == 8


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("", "Saisissez un commentaire."),
        ("   ", "Saisissez un commentaire."),
        (
            "x" * 5001,
            "Le commentaire ne doit pas dépasser 5000 caractères (vous en avez saisi 5001).",
        ),
    ],
)
def test_a_bad_comment_is_refused_next_to_the_field_and_the_files_stay(
    partner_client, technician, organism, comment, message
):
    request = make_partner_request(technician=technician, organism=organism)

    response = partner_client.post(
        complete_url(request), {"comment": comment, "files_files": [a_pdf("facture.pdf")]}
    )

    page = page_text(response)
    assert message in field_errors(page, "comment")
    assert len(hidden_inputs(response).get("files", [])) == 1
    assert "facture.pdf" in page
    request.refresh_from_db()
    assert request.comment == "Hospitalisation en cours"
    assert request.attachments.count() == 0


def test_complete_is_refused_once_taken_in_charge(
    partner_client, technician, organism, organism_manager
):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="take", by=organism_manager)
    refusal = (
        f"La demande {request.number} est « Pris en charge » : elle ne peut plus être complétée "
        "ni annulée."
    )

    opened = partner_client.get(complete_url(request))
    assert opened.status_code == 302 and opened["Location"] == detail_url(request)
    assert refusal in page_text(partner_client.get(opened["Location"]))

    posted = partner_client.post(
        complete_url(request),
        {"comment": "Un ajout tapé longuement", "files_files": [a_pdf("x.pdf")]},
    )
    page = page_text(posted)
    assert refusal in page
    assert "Un ajout tapé longuement</textarea>" in page, "what was typed is not lost"
    assert "VALIDER" not in page
    request.refresh_from_db()
    assert request.comment == "Hospitalisation en cours"
    assert request.attachments.count() == 0


# -- Annuler la demande -------------------------------------------------------------------------
def test_the_cancel_form_follows_the_guide(partner_client, technician, organism):
    request = make_partner_request(technician=technician, organism=organism)

    page = page_text(partner_client.get(cancel_url(request)))

    assert f"Annulation de la demande n° {request.number}." in page
    assert "Sélectionner le motif de l'annulation" in page
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert options[-5:] == [
        "Sélectionner un motif",
        "La demande a déjà été faite par un membre de ma structure",
        "La demande a été résolue via un autre canal",
        "La demande n'est plus justifiée",
        "Autre motif",
    ]
    assert re.search(r'<input type="checkbox" name="confirm"[^>]*role="switch"', page)
    assert "Je confirme l'annulation" in page
    assert "VALIDER" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"confirm": "on"}, "reason", "Sélectionnez le motif de l'annulation."),
        ({"reason": "doublon_structure"}, "confirm",
         "Activez « Je confirme l'annulation » pour annuler la demande."),
        ({"reason": "forged", "confirm": "on"}, "reason", "Sélectionnez un motif de la liste."),
    ],
)  # fmt: skip
def test_cancelling_needs_a_motif_and_the_confirmation(
    partner_client, technician, organism, data, field, message
):
    request = make_partner_request(technician=technician, organism=organism)

    page = page_text(partner_client.post(cancel_url(request), data))

    assert message in field_errors(page, field)
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.NEW


def test_a_cancelled_request_leaves_the_history_and_stays_in_the_admin(
    partner_client, client, technician, organism, insurer_manager
):
    request = make_partner_request(technician=technician, organism=organism)
    kept = make_partner_request(technician=technician, organism=organism)

    response = partner_client.post(
        cancel_url(request), {"reason": "doublon_structure", "confirm": "on"}
    )

    assert response.status_code == 302 and response["Location"] == HISTORY
    page = page_text(partner_client.get(HISTORY))
    assert CANCELLED_MESSAGE in page
    assert request.number not in page and kept.number in page
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.CANCELLED
    assert request.cancel_reason == "doublon_structure"

    partner_client.logout()
    _sign_in(client, insurer_manager)
    admin = page_text(client.get(f"/gestion/partners/partnerrequest/{request.pk}/change/"))
    assert request.number in admin and "Annulé" in admin


def test_cancel_is_refused_once_taken_in_charge(
    partner_client, technician, organism, organism_manager
):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="take", by=organism_manager)
    refusal = (
        f"La demande {request.number} est « Pris en charge » : elle ne peut plus être complétée "
        "ni annulée."
    )

    opened = partner_client.get(cancel_url(request))
    assert opened.status_code == 302 and opened["Location"] == detail_url(request)
    assert refusal in page_text(partner_client.get(opened["Location"]))

    page = page_text(partner_client.post(cancel_url(request), {"reason": "autre", "confirm": "on"}))
    assert refusal in page
    assert "VALIDER" not in page
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.IN_PROGRESS
