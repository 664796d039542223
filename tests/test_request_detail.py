"""The detail of a request: everything sent, and the thread of the exchanges with the managers
(each message, each status change)."""

import datetime
import re

import pytest
from django.utils import timezone

from casework.models import CaseMessage, Side
from documents.services import stored_files_purge_expired
from requests_app.models import RequestKind
from tests.test_access_matrix import _sign_in
from tests.test_request_history import page_text, resolve, submit, take, upload
from tests.test_uploads import image_bytes

pytestmark = pytest.mark.django_db


def url(request):
    return f"/demandes/{request.reference}/"


def test_it_shows_everything_the_member_sent(client, member):
    paul = member.beneficiaries.get(first_name="Paul")
    invoice = upload(member.user, "facture-osteo.pdf")
    photo = upload(member.user, "ordonnance.png", image_bytes())
    sent = submit(
        member,
        kind=RequestKind.DOCUMENT,
        beneficiary=paul,
        topic="invoice",
        topic_label="Facture",
        subject="Séance d'ostéopathie",
        message="Première ligne\nDeuxième ligne",
        details=[
            {"label": "Type de soins", "value": "Ostéopathie"},
            {"label": "Date des soins", "value": "03/02/2026"},
        ],
        attachments=[invoice, photo],
    )
    _sign_in(client, member.user)

    page = page_text(client.get(url(sent)))

    assert f"Demande {sent.reference}" in page
    for text in (
        "Envoyer un document",
        "Facture",
        "Séance d'ostéopathie",
        paul.full_name,
        "Type de soins",
        "Ostéopathie",
        "Date des soins",
        "03/02/2026",
        "Première ligne<br>Deuxième ligne",
        "facture-osteo.pdf",
        "ordonnance.png",
        "Nouveau",
    ):
        assert text in page, text
    for stored in (invoice, photo):
        assert f'href="/documents/{stored.pk}/voir/"' in page  # "Voir" (the eye)
        assert f'href="/documents/{stored.pk}/"' in page  # "Télécharger"
    thread = re.search(r'<ol class="thread">.*?</ol>', page, re.S).group(0)
    assert "Demande envoyée" in thread
    assert "statut « Nouveau »" in thread
    assert "thread-message" not in thread  # nothing written by either side yet


def test_the_file_links_open_and_download_the_file(client, member):
    invoice = upload(member.user, "facture.pdf")
    sent = submit(member, attachments=[invoice])
    _sign_in(client, member.user)
    page = page_text(client.get(url(sent)))

    view_href = re.search(r'href="([^"]+/voir/)"', page).group(1)
    download_href = re.search(rf'href="([^"]*{invoice.pk}/)"', page).group(1)
    shown = client.get(view_href)
    downloaded = client.get(download_href)

    assert shown.status_code == 200
    assert shown["Content-Disposition"].startswith("inline")
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].startswith("attachment")
    shown.close()
    downloaded.close()


def test_it_shows_the_answer_and_the_thread_without_the_managers_name(
    client, member, insurer_manager
):
    insurer_manager.first_name, insurer_manager.last_name = "Gaston", "LAGAFFE"
    insurer_manager.save()
    sent = submit(member)
    take(sent, insurer_manager)
    answer = resolve(sent, insurer_manager, "Votre dossier est complet.", files=["courrier.pdf"])
    _sign_in(client, member.user)

    page = page_text(client.get(url(sent)))

    thread = re.search(r'<ol class="thread">.*?</ol>', page, re.S).group(0)
    items = re.findall(
        r'<li class="thread-item.*?</li>\s*(?=<li class="thread-item|</ol>)', thread, re.S
    )
    assert len(items) == 3
    assert "Demande envoyée" in items[0] and "statut « Nouveau »" in items[0]
    assert "Demande prise en charge" in items[1] and "statut « Pris en charge »" in items[1]
    assert f'id="message-{answer.pk}"' in items[2]
    assert "Nos gestionnaires · Réponse apportée" in items[2]
    assert "statut « Résolu »" in items[2]
    assert "Votre dossier est complet." in items[2]
    assert "courrier.pdf" in items[2]
    assert "Télécharger" in items[2]
    assert "Résolu" in page
    for name in ("Gaston", "LAGAFFE", insurer_manager.email):
        assert name not in page


def test_a_sent_file_past_a_configured_retention_says_it_expired_and_offers_no_link(
    client, member, settings
):
    # Members' files stay by default (MEMBER_FILE_RETENTION None); an insurer may set a
    # retention (MEMBER_FILE_RETENTION_DAYS), and the page then says when a file has gone.
    settings.MEMBER_FILE_RETENTION = datetime.timedelta(days=30)
    invoice = upload(member.user, "vieille-facture.pdf")
    sent = submit(member, attachments=[invoice])
    later = timezone.now() + datetime.timedelta(days=30, minutes=1)
    assert stored_files_purge_expired(now=later)["expired"] == 1
    _sign_in(client, member.user)

    page = page_text(client.get(url(sent)))

    assert "vieille-facture.pdf" in page
    assert "Fichier expiré : il a été supprimé à la fin de sa durée de conservation." in page
    assert f"/documents/{invoice.pk}/" not in page


def test_opening_the_detail_marks_its_answers_as_read(client, member, insurer_manager):
    sent = submit(member)
    answer = resolve(sent, insurer_manager)
    untouched = resolve(submit(member), insurer_manager)
    _sign_in(client, member.user)

    first_visit = page_text(client.get(url(sent)))
    second_visit = page_text(client.get(url(sent)))

    answer.refresh_from_db()
    untouched.refresh_from_db()
    assert answer.read_at is not None
    assert untouched.read_at is None  # only the answers of the request opened
    assert 'class="badge badge-unread">Non lu' in first_visit  # shown as new this once
    assert 'class="badge badge-unread">Non lu' not in second_visit
    unread = CaseMessage.objects.filter(side=Side.INSURER, read_at__isnull=True)
    assert list(unread) == [untouched]


def test_another_members_request_is_a_404(client, member, other_member):
    theirs = submit(other_member, message="Confidentiel")
    _sign_in(client, member.user)

    response = client.get(url(theirs))

    assert response.status_code == 404
    assert "Confidentiel" not in response.content.decode()


def test_an_unknown_reference_is_a_404(client, member):
    _sign_in(client, member.user)

    assert client.get("/demandes/DEM-2026-999999/").status_code == 404
    assert client.get("/demandes/nimporte-quoi/").status_code == 404
