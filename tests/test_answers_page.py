"""Mes documents > Historique des mails: every message received from the managers (answers
and complements asked), to consult or download."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import CaseMessage
from documents.models import StoredFile
from documents.services import stored_files_purge_expired
from tests.test_access_matrix import _sign_in
from tests.test_request_history import ask, page_text, resolve, submit
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

URL = "/mes-documents/historique-des-mails/"


def answer_ids_in(page: str) -> list[int]:
    """The messages listed, in the order shown (each has one "Consulter" link)."""
    return [int(pk) for pk in re.findall(r'href="/demandes/DEM-\d{4}-\d+/#message-(\d+)"', page)]


def test_it_lists_every_answer_newest_first_and_marks_the_unread_ones(
    client, member, insurer_manager
):
    older = resolve(submit(member), insurer_manager, "Première réponse")
    newer = resolve(submit(member), insurer_manager, "Seconde réponse")
    _sign_in(client, member.user)
    client.get(f"/demandes/{older.case.reference}/")  # opened: read

    page = page_text(client.get(URL))

    assert answer_ids_in(page) == [newer.pk, older.pk]
    items = re.findall(
        r'<li class="card answer-item.*?</li>\s*(?=<li class="card|</ul>)', page, re.S
    )
    assert len(items) == 2
    assert "Seconde réponse" in items[0] and "Non lu" in items[0]
    assert "Première réponse" in items[1] and "Non lu" not in items[1]


def test_an_answer_shown_in_full_on_the_page_counts_as_read(client, member, insurer_manager):
    answer = resolve(submit(member), insurer_manager, "Votre carte est en pièce jointe.")
    _sign_in(client, member.user)

    first = page_text(client.get(URL))
    second = page_text(client.get(URL))

    assert "Votre carte est en pièce jointe." in first and "Non lu" in first
    assert "Non lu" not in second
    answer.refresh_from_db()
    assert answer.read_at is not None and answer.read_by == member.user
    assert answer.events.filter(action="read").count() == 1


def test_consulter_opens_the_request_at_the_answer(client, member, insurer_manager):
    answer = resolve(submit(member), insurer_manager, "Voici notre réponse.")
    _sign_in(client, member.user)
    page = page_text(client.get(URL))

    href = re.search(r'<a class="button" href="([^"]+)"[^>]*>.*?Consulter', page, re.S).group(1)
    detail = page_text(client.get(href.split("#")[0]))

    assert href == f"/demandes/{answer.case.reference}/#message-{answer.pk}"
    assert f'id="message-{answer.pk}"' in detail
    assert "Voici notre réponse." in detail


def test_the_download_button_gives_the_file_to_the_member_only(
    client, member, other_member, insurer_manager
):
    answer = resolve(submit(member), insurer_manager, files=["attestation.pdf"])
    stored = answer.attachments.get()
    _sign_in(client, member.user)
    page = page_text(client.get(URL))

    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>(?:(?!</a>).)*Télécharger', page, re.S)
    href = link.group(1)
    downloaded = client.get(href)

    assert href == f"/documents/{stored.pk}/"
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert b"".join(downloaded.streaming_content) == pdf_bytes()

    client.logout()
    _sign_in(client, other_member.user)
    assert client.get(href).status_code == 404
    assert answer_ids_in(page_text(client.get(URL))) == []
    downloaded.close()  # last: closing a response ends the test client's request


def test_it_never_lists_another_members_answers(client, member, other_member, insurer_manager):
    resolve(submit(other_member), insurer_manager, "Réponse pour Jean")
    _sign_in(client, member.user)

    page = page_text(client.get(URL))

    assert "Réponse pour Jean" not in page
    assert "Vous n'avez encore reçu aucune réponse." in page


def test_it_shows_ten_answers_a_page(client, member, insurer_manager):
    answers = [resolve(submit(member), insurer_manager) for _ in range(12)]
    newest_first = [a.pk for a in reversed(answers)]
    _sign_in(client, member.user)

    first = page_text(client.get(URL))
    second = page_text(client.get(URL, {"page": "2"}))

    assert answer_ids_in(first) == newest_first[:10]
    assert "Page 1 sur 2" in first
    assert answer_ids_in(second) == newest_first[10:]
    assert "Page 2 sur 2" in second


def test_mes_documents_leads_to_historique_des_mails_with_the_unread_count(
    client, member, insurer_manager
):
    resolve(submit(member), insurer_manager)
    resolve(submit(member), insurer_manager)
    _sign_in(client, member.user)

    page = page_text(client.get("/mes-documents/"))

    assert re.search(r'href="/mes-documents/historique-des-mails/"[^>]*>Historique des mails', page)
    assert "2 réponses non lues" in page


def test_the_home_page_counts_unread_answers_until_they_are_read(client, member, insurer_manager):
    answer = resolve(submit(member), insurer_manager)
    _sign_in(client, member.user)

    before = page_text(client.get("/"))
    client.get(f"/demandes/{answer.case.reference}/")
    after = page_text(client.get("/"))

    tile = re.search(r'href="/mes-documents/">.*?</a>', before, re.S).group(0)
    assert "1 réponse non lue" in tile
    assert "réponse non lue" not in after


def test_it_lists_the_complements_asked_as_well_as_the_answers(client, member, insurer_manager):
    asked = ask(submit(member), insurer_manager, "Merci de joindre la facture détaillée.")
    answer = resolve(submit(member), insurer_manager, "Voici notre réponse.")
    _sign_in(client, member.user)

    page = page_text(client.get(URL))

    assert answer_ids_in(page) == [answer.pk, asked.pk]
    assert "Complément demandé le" in page
    assert "Merci de joindre la facture détaillée." in page
    assert "Réponse du" in page


def test_an_answer_file_stays_downloadable_with_no_end_date(client, member, insurer_manager):
    answer = resolve(submit(member), insurer_manager, files=["decompte.pdf"])
    stored = answer.attachments.get()
    assert stored.expires_at is None  # MEMBER_FILE_RETENTION is None: kept

    a_year_later = timezone.now() + datetime.timedelta(days=365)
    assert stored_files_purge_expired(now=a_year_later) == {"expired": 0, "orphans": 0}

    _sign_in(client, member.user)
    listing = page_text(client.get(URL))
    assert f'href="/documents/{stored.pk}/"' in listing
    assert "Disponible jusqu'au" not in listing
    download = client.get(f"/documents/{stored.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()  # read to its end: closed


def test_an_answer_file_past_a_configured_retention_says_it_expired(
    client, member, insurer_manager, settings
):
    settings.MEMBER_FILE_RETENTION = datetime.timedelta(days=90)
    answer = resolve(submit(member), insurer_manager, files=["decompte.pdf"])
    stored = answer.attachments.get()
    _sign_in(client, member.user)
    before = page_text(client.get(URL))
    day = timezone.localtime(stored.expires_at).strftime("%d/%m/%Y")
    assert f"Disponible jusqu'au {day}" in before

    purged = stored_files_purge_expired(now=stored.expires_at + datetime.timedelta(minutes=1))

    assert purged == {"expired": 1, "orphans": 0}
    assert StoredFile.objects.get(pk=stored.pk).deleted_at is not None
    download = client.get(f"/documents/{stored.pk}/")
    assert download.status_code == 404
    assert "Fichier expiré" in download.content.decode()
    listing = page_text(client.get(URL))
    assert "decompte.pdf" in listing
    assert f"/documents/{stored.pk}/" not in listing
    assert "Fichier expiré" in listing
    assert CaseMessage.objects.get(pk=answer.pk).attachments.get() == stored


def test_a_page_reads_its_requests_with_its_answers_and_only_the_files_there_are(
    client, member, insurer_manager
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = page_text(client.get(URL))
        assert "Demande DEM-" in page
        return len(captured)

    resolve(submit(member), insurer_manager, "Sans pièce jointe")
    _sign_in(client, member.user)
    queries()  # the first visit marks the answer read
    without_files = queries()
    for _ in range(3):
        resolve(submit(member), insurer_manager, files=["attestation.pdf"])
    queries()
    with_files = queries()

    # Answers with files: one more query for all their files; never one per answer.
    assert with_files == without_files + 1
    assert page_text(client.get(URL)).count("Télécharger") == 3


def test_a_deep_page_reads_its_answers_and_their_count_in_one_query(
    client, member, insurer_manager
):
    for i in range(13):
        resolve(submit(member), insurer_manager, f"Réponse {i}")
    _sign_in(client, member.user)
    client.get(URL, {"page": 2})  # the first visit marks the answers shown read

    with CaptureQueriesContext(connection) as captured:
        page = page_text(client.get(URL, {"page": 2}))

    assert "Page 2 sur 2" in page
    assert len(answer_ids_in(page)) == 3
    messages_read = [
        query["sql"]
        for query in captured.captured_queries
        if "casework_casemessage" in query["sql"].replace('"', "")
        and "COUNT(*) AS" not in query["sql"]  # the header's unread count
    ]
    assert len(messages_read) == 1, messages_read
