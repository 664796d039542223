"""Files do not stay forever: sent ones after ATTACHMENT_RETENTION, never-sent uploads after
UPLOAD_ORPHAN_DELAY (the periodic job documents.tasks.purge_expired_files)."""

import datetime
import os
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.forms import pending_files_of
from documents.models import StoredFile
from documents.rules import SEND_DOCUMENT
from documents.services import stored_file_create, stored_files_purge_expired
from documents.tasks import purge_expired_files
from requests_app.models import RequestKind
from requests_app.services import member_request_submit
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def _stored(user, name="facture.pdf"):
    uploaded = SimpleUploadedFile(name, pdf_bytes())
    return stored_file_create(uploaded=uploaded, rules=SEND_DOCUMENT, by=user)


def _sent(member, name="facture.pdf"):
    stored = _stored(member.user, name)
    member_request_submit(
        member=member, kind=RequestKind.DOCUMENT, by=member.user, attachments=[stored]
    )
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


def test_the_files_of_a_sent_request_expire_after_the_retention_period(client, member, settings):
    stored = _age(_sent(member), settings.ATTACHMENT_RETENTION + MINUTE)
    path = stored.file.path

    counts = purge_expired_files.delay().get()

    assert counts == {"expired": 1, "orphans": 0}
    assert not os.path.exists(path)
    stored.refresh_from_db()
    assert stored.deleted_at is not None
    assert stored.file.name == ""
    assert stored.member_requests.count() == 1  # the request still says a file was sent

    _sign_in(client, member.user)
    response = client.get(reverse("documents:download", args=[stored.pk]))
    assert response.status_code == 404
    page = unescape(response.content.decode())
    assert "Fichier expiré" in page
    assert "Le fichier « facture.pdf » n'est plus disponible" in page


def test_files_sent_recently_stay(member, settings):
    stored = _age(_sent(member), settings.ATTACHMENT_RETENTION - MINUTE)

    assert stored_files_purge_expired() == {"expired": 0, "orphans": 0}
    stored.refresh_from_db()
    assert stored.deleted_at is None
    assert os.path.exists(stored.file.path)


def test_uploads_never_sent_vanish_after_the_orphan_delay(member, settings):
    orphan = _age(_stored(member.user, "oubli.pdf"), settings.UPLOAD_ORPHAN_DELAY + MINUTE)
    recent = _age(_stored(member.user, "en-cours.pdf"), settings.UPLOAD_ORPHAN_DELAY - MINUTE)
    path = orphan.file.path

    counts = stored_files_purge_expired()

    assert counts == {"expired": 0, "orphans": 1}
    assert not StoredFile.objects.filter(pk=orphan.pk).exists()
    assert not os.path.exists(path)
    assert StoredFile.objects.filter(pk=recent.pk).exists()
    assert os.path.exists(recent.file.path)


def test_running_the_job_twice_is_harmless(member, settings):
    sent = _age(_sent(member), settings.ATTACHMENT_RETENTION + MINUTE)
    _age(_stored(member.user, "oubli.pdf"), settings.UPLOAD_ORPHAN_DELAY + MINUTE)
    kept = _stored(member.user, "en-cours.pdf")

    assert stored_files_purge_expired() == {"expired": 1, "orphans": 1}
    assert stored_files_purge_expired() == {"expired": 0, "orphans": 0}
    assert purge_expired_files.delay().get() == {"expired": 0, "orphans": 0}

    sent.refresh_from_db()
    assert sent.deleted_at is not None
    assert set(StoredFile.objects.values_list("original_name", flat=True)) == {
        "facture.pdf",
        "en-cours.pdf",
    }
    assert os.path.exists(kept.file.path)


def test_a_shorter_retention_applies_to_files_already_sent(member, settings):
    stored = _age(_sent(member), datetime.timedelta(days=3))
    settings.ATTACHMENT_RETENTION = datetime.timedelta(days=2)

    assert stored_files_purge_expired() == {"expired": 1, "orphans": 0}
    stored.refresh_from_db()
    assert not stored.is_available()


def test_an_upload_past_the_orphan_delay_can_no_longer_be_sent(member, settings):
    stored = _age(_stored(member.user), settings.UPLOAD_ORPHAN_DELAY + MINUTE)
    assert pending_files_of(member.user, [stored.pk]) == {}


def test_the_job_is_scheduled(settings):
    jobs = settings.CELERY_BEAT_SCHEDULE.values()
    purge = [job for job in jobs if job["task"] == purge_expired_files.name]
    assert purge_expired_files.name == "documents.tasks.purge_expired_files"
    assert len(purge) == 1
    assert purge[0]["schedule"] <= 3600


def test_the_job_deletes_nothing_before_its_time(member):
    stored = _sent(member)
    now = timezone.now()
    assert stored_files_purge_expired(now=now) == {"expired": 0, "orphans": 0}
    assert os.path.exists(stored.file.path)
