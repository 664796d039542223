"""How long files stay (the periodic job documents.tasks.purge_expired_files): a member's files,
sent with a request or in a message either way, stay as long as the space does
(MEMBER_FILE_RETENTION None); a partner request's files go PARTNER_FILE_RETENTION (15 days)
after they were sent; uploads never sent vanish after UPLOAD_ORPHAN_DELAY."""

import datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework.services import case_move
from documents.forms import pending_files_of
from documents.models import StoredFile
from documents.rules import ANSWER, PARTNER_REQUEST, SEND_DOCUMENT
from documents.services import stored_file_create, stored_files_purge_expired
from documents.tasks import purge_expired_files
from requests_app.models import RequestKind
from requests_app.services import member_request_submit
from tests.factories import make_partner_request
from tests.helpers.storage import is_stored
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


def _stored(user, name="facture.pdf", rules=SEND_DOCUMENT):
    uploaded = SimpleUploadedFile(name, pdf_bytes())
    return stored_file_create(uploaded=uploaded, rules=rules, by=user)


def _sent(member, name="facture.pdf"):
    """A file the member sent with a request."""
    stored = _stored(member.user, name)
    member_request_submit(
        member=member, kind=RequestKind.DOCUMENT, by=member.user, attachments=[stored]
    )
    stored.refresh_from_db()
    return stored


def _answered(member, manager, name="decompte.pdf"):
    """A file a manager joined to the answer of one of the member's requests."""
    request = member_request_submit(member=member, kind=RequestKind.QUESTION, by=member.user)
    stored = _stored(manager, name, rules=ANSWER)
    case_move(case=request, move="take", by=manager)
    case_move(case=request, move="resolve", by=manager, text="Voici.", attachments=[stored])
    stored.refresh_from_db()
    return stored


def _partner_sent(technician, organism, name="avis-imposition.pdf"):
    """A file a technician sent with a partner request."""
    stored = _stored(technician, name, rules=PARTNER_REQUEST)
    make_partner_request(technician=technician, organism=organism, attachments=[stored])
    stored.refresh_from_db()
    return stored


def _age(stored, delta):
    """Make a file as old as `delta` (it was stored, and sent if it was, that long ago)."""
    values = {"created_at": stored.created_at - delta}
    if stored.expires_at is not None:
        values["expires_at"] = stored.expires_at - delta
    if stored.attached_at is not None:
        values["attached_at"] = stored.attached_at - delta
    StoredFile.objects.filter(pk=stored.pk).update(**values)
    stored.refresh_from_db()
    return stored


# -- Members' files stay ---------------------------------------------------------------------
def test_a_members_sent_file_has_no_end_date_and_survives_every_purge(member, settings):
    assert settings.MEMBER_FILE_RETENTION is None
    stored = _age(_sent(member), datetime.timedelta(days=3 * 365))

    assert stored.expires_at is None
    assert purge_expired_files.delay().get() == {"expired": 0, "orphans": 0}
    stored.refresh_from_db()
    assert stored.deleted_at is None
    assert is_stored(stored.file.name)


def test_a_members_answer_file_is_still_downloadable_20_days_later(client, member, insurer_manager):
    stored = _age(_answered(member, insurer_manager), datetime.timedelta(days=20))

    assert stored_files_purge_expired() == {"expired": 0, "orphans": 0}

    _sign_in(client, member.user)
    response = client.get(reverse("documents:download", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()  # read to its end: closed


def test_a_member_file_retention_set_by_the_insurer_dates_the_files_sent_from_then_on(
    member, settings
):
    settings.MEMBER_FILE_RETENTION = datetime.timedelta(days=30)
    stored = _sent(member)

    assert stored.expires_at == stored.attached_at + datetime.timedelta(days=30)
    assert stored_files_purge_expired(now=stored.expires_at - MINUTE)["expired"] == 0
    assert stored_files_purge_expired(now=stored.expires_at + MINUTE)["expired"] == 1


# -- Partners' files go after 15 days --------------------------------------------------------
def test_a_partners_sent_file_expires_15_days_after_it_was_sent(
    client, technician, organism, convention, organism_manager, settings
):
    retention = settings.PARTNER_FILE_RETENTION
    assert retention == datetime.timedelta(days=15)
    stored = _partner_sent(technician, organism)
    assert stored.expires_at == stored.attached_at + datetime.timedelta(days=15)
    stored = _age(stored, datetime.timedelta(days=15) + MINUTE)
    path = stored.file.name

    counts = purge_expired_files.delay().get()

    assert counts == {"expired": 1, "orphans": 0}
    assert not is_stored(path)
    stored.refresh_from_db()
    assert stored.deleted_at is not None
    assert stored.file.name == ""
    assert stored.partner_requests.count() == 1  # the request still says a file was sent

    _sign_in(client, organism_manager)
    response = client.get(reverse("documents:download", args=[stored.pk]))
    assert response.status_code == 404
    page = unescape(response.content.decode())
    assert "Fichier expiré" in page
    assert "Le fichier « avis-imposition.pdf » n'est plus disponible" in page


def test_a_partners_file_sent_14_days_ago_stays(technician, organism, convention):
    stored = _age(_partner_sent(technician, organism), datetime.timedelta(days=14))

    assert stored_files_purge_expired() == {"expired": 0, "orphans": 0}
    stored.refresh_from_db()
    assert stored.deleted_at is None
    assert is_stored(stored.file.name)


def test_a_retention_changed_later_keeps_the_date_a_sent_file_was_given(
    technician, organism, convention, settings
):
    stored = _age(_partner_sent(technician, organism), datetime.timedelta(days=3))
    settings.PARTNER_FILE_RETENTION = datetime.timedelta(days=2)

    assert stored_files_purge_expired() == {"expired": 0, "orphans": 0}
    stored.refresh_from_db()
    assert stored.is_available()
    assert stored_files_purge_expired(now=stored.expires_at + MINUTE)["expired"] == 1


# -- Uploads never sent ------------------------------------------------------------------------
def test_uploads_never_sent_vanish_after_the_orphan_delay(member, settings):
    orphan = _age(_stored(member.user, "oubli.pdf"), settings.UPLOAD_ORPHAN_DELAY + MINUTE)
    recent = _age(_stored(member.user, "en-cours.pdf"), settings.UPLOAD_ORPHAN_DELAY - MINUTE)
    path = orphan.file.name

    counts = stored_files_purge_expired()

    assert counts == {"expired": 0, "orphans": 1}
    assert not StoredFile.objects.filter(pk=orphan.pk).exists()
    assert not is_stored(path)
    assert StoredFile.objects.filter(pk=recent.pk).exists()
    assert is_stored(recent.file.name)


def test_an_upload_past_the_orphan_delay_can_no_longer_be_sent(member, settings):
    stored = _age(_stored(member.user), settings.UPLOAD_ORPHAN_DELAY + MINUTE)
    assert pending_files_of(member.user, [stored.pk]) == {}


# -- The job -----------------------------------------------------------------------------------
def test_running_the_job_twice_is_harmless(member, technician, organism, convention, settings):
    member_file = _age(_sent(member), datetime.timedelta(days=400))
    partner_file = _age(_partner_sent(technician, organism), 15 * DAY + MINUTE)
    _age(_stored(member.user, "oubli.pdf"), settings.UPLOAD_ORPHAN_DELAY + MINUTE)
    kept = _stored(member.user, "en-cours.pdf")

    assert stored_files_purge_expired() == {"expired": 1, "orphans": 1}
    assert stored_files_purge_expired() == {"expired": 0, "orphans": 0}
    assert purge_expired_files.delay().get() == {"expired": 0, "orphans": 0}

    partner_file.refresh_from_db()
    assert partner_file.deleted_at is not None
    member_file.refresh_from_db()
    assert member_file.deleted_at is None
    assert set(StoredFile.objects.values_list("original_name", flat=True)) == {
        "facture.pdf",
        "avis-imposition.pdf",
        "en-cours.pdf",
    }
    assert is_stored(kept.file.name)


def test_the_job_is_scheduled(settings):
    jobs = settings.CELERY_BEAT_SCHEDULE.values()
    purge = [job for job in jobs if job["task"] == purge_expired_files.name]
    assert purge_expired_files.name == "documents.tasks.purge_expired_files"
    assert len(purge) == 1
    assert purge[0]["schedule"] <= 3600


def test_the_job_deletes_nothing_before_its_time(member, technician, organism, convention):
    sent = [_sent(member), _partner_sent(technician, organism)]
    now = timezone.now()
    assert stored_files_purge_expired(now=now) == {"expired": 0, "orphans": 0}
    for stored in sent:
        assert is_stored(stored.file.name)
