"""Envoyer un document (facture, devis, justificatif...): form, summary, sent, and bad input."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.models import StoredFile
from documents.rules import MB
from requests_app.models import MemberRequest, RequestKind
from tests.factories import BeneficiaryFactory
from tests.test_access_matrix import _sign_in
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

URL = "/demandes/envoyer-un-document/"
WARNING = "Attention, le montant de la facture est de maximum 150 €."


# -- Helpers the other request form tests use too -------------------------------------------
def a_pdf(name="facture.pdf", size=None):
    return SimpleUploadedFile(name, pdf_bytes(size), content_type="application/pdf")


def a_png(name="ordonnance.png"):
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def page_of(response) -> str:
    return unescape(response.content.decode())


def hidden_inputs(response) -> dict[str, list[str]]:
    """The hidden fields of the page, as the browser would post them back."""
    found: dict[str, list[str]] = {}
    for tag in re.findall(r"<input [^>]*type=\"hidden\"[^>]*>", response.content.decode()):
        name = re.search(r'name="([^"]*)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        if name != "csrfmiddlewaretoken":
            found.setdefault(name, []).append(unescape(value.group(1)) if value else "")
    return found


def kept_file_ids(response, name="files") -> list[str]:
    return hidden_inputs(response).get(name, [])


def field_errors(response, name) -> str:
    match = re.search(
        rf'<ul class="errors" id="id_{name}_error">(.*?)</ul>', page_of(response), re.S
    )
    return match.group(1) if match else ""


def lucas(member):
    return member.beneficiaries.get(first_name="Lucas")


# -- The journey ------------------------------------------------------------------------------
def invoice(member, **changes):
    data = {
        "topic": "invoice",
        "care": "pharmacy",
        "beneficiary": str(lucas(member).pk),
        "care_date": "2026-01-15",
        "amount": "12,50",
        "message": "Facture de la pharmacie du centre.",
    }
    return {**data, **changes}


def review(client, data, files=()):
    payload = {"_action": "review", **data}
    if files:
        payload["files_files"] = list(files)
    return client.post(URL, payload)


def test_the_form_follows_the_guide(client, member):
    _sign_in(client, member.user)
    page = page_of(client.get(URL))
    assert "Envoyer un document (facture, devis, justificatif...)" in page
    assert '<option value="" selected>Préciser le type de demande</option>' in page
    assert '<option value="" selected>Sélectionner le type de soins</option>' in page
    assert '<option value="" selected>Sélectionner le bénéficiaire concerné</option>' in page
    assert WARNING in page
    assert "5 fichiers maximum, 5 Mo par fichier, en format JPEG, JPG, PNG, PDF." in page
    assert (
        "Compléter avec toute information supplémentaire qui pourrait être utile pour le "
        "gestionnaire dans le traitement de la demande" in page
    )


def test_soft_medicine_is_a_form_of_its_own(client, member):
    _sign_in(client, member.user)
    page = page_of(client.get(URL))
    assert "Le formulaire de médecine douce est un formulaire à part." in page
    assert 'href="/demandes/medecine-douce/"' in page
    assert "Ostéopathe" not in page
    response = review(client, invoice(member, care="soft_medicine"), [a_pdf()])
    assert "Sélectionnez un choix valide." in field_errors(response, "care")


def test_it_shows_the_summary_then_sends_the_document(
    client, member, outbox, django_capture_on_commit_callbacks
):
    _sign_in(client, member.user)
    summary = review(client, invoice(member), [a_pdf(), a_png()])
    page = page_of(summary)
    assert "Vérifier le résumé" in page
    for shown in ("Facture", "Pharmacie", "Lucas MARTIN", "15/01/2026", "12,50 €"):
        assert shown in page
    assert "facture.pdf" in page and "ordonnance.png" in page
    assert "Envoyer la demande" in page
    assert MemberRequest.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"/demandes/{request.reference}/envoyee/"
    confirmation = page_of(client.get(sent["Location"]))
    assert "La demande a bien été envoyée ! Il n'y a rien de plus à faire." in confirmation
    assert request.kind == RequestKind.DOCUMENT
    assert (request.topic, request.topic_label) == ("invoice", "Facture")
    assert request.beneficiary == lucas(member)
    assert request.amount == Decimal("12.50")
    assert request.message == "Facture de la pharmacie du centre."
    assert {"label": "Type de soins", "value": "Pharmacie"} in request.details
    assert {"label": "Date des soins", "value": "15/01/2026"} in request.details
    assert sorted(f.original_name for f in request.attachments.all()) == [
        "facture.pdf",
        "ordonnance.png",
    ]
    assert all(not f.is_pending for f in request.attachments.all())
    assert outbox.count("email") == 1


def test_the_member_themself_may_be_the_beneficiary(client, member):
    _sign_in(client, member.user)
    summary = review(client, invoice(member, beneficiary="self"), [a_pdf()])
    assert "Marie MARTIN" in page_of(summary)
    client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    assert MemberRequest.objects.get().beneficiary is None


def test_back_from_the_summary_keeps_what_was_typed_and_the_files(client, member):
    _sign_in(client, member.user)
    summary = review(client, invoice(member, topic="quote", care="optical"), [a_pdf("devis.pdf")])
    ids = kept_file_ids(summary)
    assert len(ids) == 1

    back = client.post(URL, {**hidden_inputs(summary), "_action": "back"})
    page = page_of(back)
    assert '<option value="quote" selected>' in page
    assert '<option value="optical" selected>' in page
    assert f'<option value="{lucas(member).pk}" selected>' in page
    assert 'value="12,50"' in page
    assert "Facture de la pharmacie du centre." in page
    assert "devis.pdf" in page
    assert kept_file_ids(back) == ids
    assert 'class="errors"' not in page


def test_it_asks_for_the_required_fields_next_to_each_one(client, member):
    _sign_in(client, member.user)
    response = review(client, {"topic": "", "care": "", "beneficiary": ""})
    for name in ("topic", "care", "beneficiary"):
        assert "Ce champ est obligatoire." in field_errors(response, name)
    assert "Joignez au moins un fichier." in field_errors(response, "files")
    assert not field_errors(response, "message")
    assert MemberRequest.objects.count() == 0


def test_an_invoice_needs_its_amount_and_date(client, member):
    _sign_in(client, member.user)
    response = review(client, invoice(member, amount="", care_date=""), [a_pdf()])
    assert "Indiquez le montant de la facture." in field_errors(response, "amount")
    assert "Indiquez la date des soins de la facture." in field_errors(response, "care_date")


def test_a_certificate_needs_no_amount(client, member):
    _sign_in(client, member.user)
    data = invoice(member, topic="certificate", amount="", care_date="")
    summary = review(client, data, [a_pdf("attestation.pdf")])
    assert "Vérifier le résumé" in page_of(summary)
    client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert (request.topic_label, request.amount) == ("Attestation", None)


# -- Amounts ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12,50", "12.50"), ("12.5", "12.50"), ("150", "150"), ("150,00 €", "150"), (" 9 ", "9")],
)
def test_it_accepts_an_amount_typed_the_french_way(client, member, typed, amount):
    _sign_in(client, member.user)
    summary = review(client, invoice(member, amount=typed), [a_pdf()])
    assert "Vérifier le résumé" in page_of(summary)
    client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    assert MemberRequest.objects.get().amount == Decimal(amount)


def test_it_accepts_a_decimal_comma_on_the_english_pages_too(client, member, settings):
    _sign_in(client, member.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    summary = review(client, invoice(member, amount="12,50"), [a_pdf()])
    assert not field_errors(summary, "amount")
    client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    assert MemberRequest.objects.get().amount == Decimal("12.50")


def test_it_refuses_an_invoice_above_150_euros_with_the_guides_warning(client, member):
    _sign_in(client, member.user)
    response = review(client, invoice(member, amount="151"), [a_pdf()])
    assert WARNING in field_errors(response, "amount")
    assert 'value="151"' in page_of(response)
    # Said once under the field (the help gives the format), not twice.
    field = page_of(response).split('id="id_amount"')[1].split('class="field')[0]
    assert field.count(WARNING) == 1
    assert "par exemple 42,80" in field
    response = review(client, invoice(member, amount="150,01"), [a_pdf()])
    assert WARNING in field_errors(response, "amount")
    assert MemberRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("0", "Le montant doit être supérieur à 0 €."),
        ("-5", "Le montant doit être supérieur à 0 €."),
        ("douze", "Saisissez un nombre."),
        ("NaN", "Saisissez un nombre."),
        ("12,505", "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule."),
    ],
)
def test_it_refuses_an_amount_that_is_not_one(client, member, typed, error):
    _sign_in(client, member.user)
    response = review(client, invoice(member, amount=typed), [a_pdf()])
    assert error in unescape(field_errors(response, "amount"))


def test_the_date_of_care_is_typed_the_french_way(client, member):
    _sign_in(client, member.user)
    summary = page_of(review(client, invoice(member, care_date="02/11/2025"), [a_pdf()]))
    assert "Vérifier le résumé" in summary
    assert "02/11/2025" in summary
    wrong = review(client, invoice(member, care_date="31/02/2025"), [a_pdf()])
    assert "Saisissez une date valide au format jj/mm/aaaa." in field_errors(wrong, "care_date")


def test_it_refuses_a_date_of_care_in_the_future(client, member):
    _sign_in(client, member.user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = review(client, invoice(member, care_date=tomorrow.isoformat()), [a_pdf()])
    assert "La date des soins ne peut pas être dans le futur." in field_errors(
        response, "care_date"
    )
    assert 'placeholder="jj/mm/aaaa"' in page_of(response)


# -- Files --------------------------------------------------------------------------------------
def test_it_refuses_a_sixth_file_and_keeps_the_first_five(client, member):
    _sign_in(client, member.user)
    files = [a_pdf(f"facture-{i}.pdf") for i in range(1, 7)]
    response = review(client, invoice(member), files)
    errors = field_errors(response, "files")
    assert (
        "Le fichier « facture-6.pdf » n'a pas été joint : vous pouvez joindre au maximum "
        "5 fichiers." in unescape(errors)
    )
    assert len(kept_file_ids(response)) == 5
    assert MemberRequest.objects.count() == 0


def test_it_refuses_a_file_of_5_mb_and_one_byte(client, member):
    _sign_in(client, member.user)
    response = review(client, invoice(member), [a_pdf("gros.pdf", 5 * MB + 1)])
    assert "Le fichier « gros.pdf » dépasse la taille maximale de 5 Mo." in unescape(
        field_errors(response, "files")
    )
    assert kept_file_ids(response) == []
    assert StoredFile.objects.count() == 0


def test_it_refuses_an_executable_renamed_pdf(client, member):
    _sign_in(client, member.user)
    program = SimpleUploadedFile("facture.pdf", b"MZ" + b"\x90\x00" * 2000, "application/pdf")
    response = review(client, invoice(member), [program])
    assert (
        "Le fichier « facture.pdf » n'est pas d'un type accepté (JPEG, JPG, PNG, PDF)."
        in unescape(field_errors(response, "files"))
    )
    assert StoredFile.objects.count() == 0


def test_files_sent_with_an_invalid_form_come_back_and_need_no_second_upload(client, member):
    _sign_in(client, member.user)
    response = review(client, invoice(member, amount="151"), [a_pdf(), a_png()])
    assert WARNING in field_errors(response, "amount")
    ids = kept_file_ids(response)
    assert len(ids) == 2
    page = page_of(response)
    assert "facture.pdf" in page and "ordonnance.png" in page

    # The same page sent again, amount corrected, without choosing the files again.
    summary = client.post(URL, {**invoice(member, amount="150"), "files": ids, "_action": "review"})
    assert "Vérifier le résumé" in page_of(summary)
    assert kept_file_ids(summary) == ids
    client.post(URL, {**hidden_inputs(summary), "_action": "confirm"})
    request = MemberRequest.objects.get()
    assert request.amount == Decimal("150")
    assert sorted(str(f.pk) for f in request.attachments.all()) == sorted(ids)


def test_a_file_can_be_removed_before_sending(client, member):
    _sign_in(client, member.user)
    response = review(client, invoice(member, amount=""), [a_pdf(), a_png()])
    ids = kept_file_ids(response)
    data = {**invoice(member), "files": ids, "files_remove": [ids[0]], "_action": "confirm"}
    client.post(URL, data)
    assert [str(f.pk) for f in MemberRequest.objects.get().attachments.all()] == [ids[1]]


# -- Access -------------------------------------------------------------------------------------
def test_another_members_beneficiary_is_refused(client, member, other_member):
    stranger = BeneficiaryFactory(member=other_member, first_name="Zoé")
    _sign_in(client, member.user)
    for action in ("review", "confirm"):
        response = client.post(
            URL,
            {**invoice(member, beneficiary=str(stranger.pk)), "_action": action,
             "files_files": [a_pdf()]},
        )  # fmt: skip
        assert response.status_code == 200
        assert "Sélectionnez un choix valide." in field_errors(response, "beneficiary")
        assert "Zoé" not in page_of(response)
    assert MemberRequest.objects.count() == 0


def test_another_members_upload_cannot_be_attached(client, member, other_member):
    _sign_in(client, other_member.user)
    theirs = kept_file_ids(review(client, invoice(member, amount=""), [a_pdf("secret.pdf")]))
    assert len(theirs) == 1
    client.logout()
    _sign_in(client, member.user)
    response = client.post(URL, {**invoice(member), "files": theirs, "_action": "confirm"})
    assert "n'est plus disponible" in field_errors(response, "files")
    assert "secret.pdf" not in page_of(response)
    assert MemberRequest.objects.count() == 0


MEMBER_FORMS = [
    "/demandes/envoyer-un-document/",
    "/demandes/medecine-douce/",
    "/demandes/remboursement/",
    "/demandes/devis/",
    "/messagerie/ecrire/",
]


@pytest.mark.parametrize("url", MEMBER_FORMS)
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", MEMBER_FORMS)
@pytest.mark.parametrize("persona", ["technician", "partner_manager", "insurer_manager"])
def test_only_members_open_the_request_forms(client, request, url, persona):
    user = request.getfixturevalue(persona)
    _sign_in(client, user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"_action": "confirm"}).status_code == 404
    assert MemberRequest.objects.count() == 0


@pytest.mark.parametrize("url", MEMBER_FORMS)
def test_a_member_opens_every_request_form(client, member, url):
    _sign_in(client, member.user)
    response = client.get(url)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page_of(response)
