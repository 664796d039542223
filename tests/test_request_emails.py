"""The member is emailed at each status change of a request: after commit, once, never the
content, and in the end even when the mail server fails for a while."""

import smtplib
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from portal.messaging import OutboxEmailBackend
from requests_app.models import RequestKind, RequestStatus, RequestStatusChange
from requests_app.services import member_request_submit, member_request_take
from requests_app.tasks import notify_status_change
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

QUEUE = "/gestion/requests_app/memberrequest/"
# What the member wrote and what the manager answered: none of it may travel by email.
PRIVATE_WORDS = [
    "ostéopath",
    "lombalgie",
    "séance",
    "60,00",
    "60.00",
    "conventionné",
    "courrier-osteo",
]


class FailsTwiceBackend(BaseEmailBackend):
    """A mail server that drops the connection `failures` times, then delivers to the outbox."""

    failures = 0

    def send_messages(self, email_messages):
        if FailsTwiceBackend.failures:
            FailsTwiceBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return OutboxEmailBackend().send_messages(email_messages)


@pytest.fixture
def flaky_mail_server(settings):
    settings.EMAIL_BACKEND = "tests.test_request_emails.FailsTwiceBackend"
    FailsTwiceBackend.failures = 2
    yield FailsTwiceBackend
    FailsTwiceBackend.failures = 0


@pytest.fixture
def manager_client(client, insurer_manager):
    _sign_in(client, insurer_manager)
    return client


@pytest.fixture
def request_sent(member):
    """A soft-medicine request, sent earlier (its acknowledgement is not part of these tests)."""
    return member_request_submit(
        member=member,
        kind=RequestKind.SOFT_MEDICINE,
        by=member.user,
        topic="osteopathy",
        topic_label="Ostéopathie",
        subject="Séances d'ostéopathie",
        message="Lombalgie chronique : trois séances en mars.",
        amount=Decimal("60.00"),
        details=[{"label": "Type de soins", "value": "Ostéopathie"}],
    )


def _link_to(request) -> str:
    return f"{django_settings.SITE_URL}/demandes/{request.reference}/"


def _assert_says_nothing_private(email):
    everything = f"{email.subject}\n{email.text}\n{email.html}".lower()
    for word in PRIVATE_WORDS:
        assert word not in everything, word


def test_taking_a_request_in_charge_emails_the_member_a_link_and_nothing_private(
    manager_client, member, request_sent, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"{QUEUE}{request_sent.pk}/prendre-en-charge/")

    assert outbox.count("email") == 1
    email = outbox.last("email")
    assert email.to == member.email
    assert request_sent.reference in email.subject
    assert "prise en charge" in email.subject
    assert "Pris en charge" in email.text
    assert "Pris en charge" in email.html
    assert email.link() == _link_to(request_sent)
    assert _link_to(request_sent) in email.html
    _assert_says_nothing_private(email)


def test_resolving_emails_that_an_answer_is_waiting_and_never_the_answer(
    manager_client, member, request_sent, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            f"{QUEUE}{request_sent.pk}/resoudre/",
            {
                "text": "Votre ostéopathe n'est pas conventionné : remboursement partiel.",
                "attachments_files": SimpleUploadedFile("courrier-osteo.pdf", pdf_bytes()),
            },
        )
    assert response.status_code == 302

    assert outbox.count("email") == 1
    email = outbox.last("email", to=member.email)
    assert email.subject == "Une réponse vous attend dans votre espace"
    assert request_sent.reference in email.text
    assert "« Mes documents » > « Historique des mails »" in email.text
    assert email.link() == _link_to(request_sent)
    assert _link_to(request_sent) in email.html
    _assert_says_nothing_private(email)


def test_no_email_is_sent_when_the_change_is_rolled_back(
    member, request_sent, insurer_manager, outbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        member_request_take(request=request_sent, by=insurer_manager)
        raise RuntimeError("something after the change failed")

    assert queued == []
    assert outbox.count("email") == 0
    request_sent.refresh_from_db()
    assert request_sent.status == RequestStatus.NEW
    assert not RequestStatusChange.objects.filter(to_status=RequestStatus.IN_PROGRESS).exists()


def test_no_email_is_sent_before_the_change_is_committed(
    member, request_sent, insurer_manager, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        member_request_take(request=request_sent, by=insurer_manager)
        assert outbox.count("email") == 0
    assert len(queued) == 1
    assert outbox.count("email") == 0
    queued[0]()  # the commit
    assert outbox.count("email") == 1


def test_the_same_change_is_never_emailed_twice(member, request_sent, insurer_manager, outbox):
    # Outside a committed transaction: nothing queued yet, the task is delivered by hand.
    member_request_take(request=request_sent, by=insurer_manager)
    change = RequestStatusChange.objects.get(to_status=RequestStatus.IN_PROGRESS)

    assert notify_status_change.delay(change.pk).get() is True
    assert notify_status_change.delay(change.pk).get() is False

    assert outbox.count("email") == 1
    change.refresh_from_db()
    assert change.notified_at is not None


def test_a_mail_server_that_fails_then_recovers_sends_one_email_in_the_end(
    manager_client,
    member,
    request_sent,
    outbox,
    flaky_mail_server,
    django_capture_on_commit_callbacks,
):
    # Celery is eager in tests: each retry runs at once (a worker would wait, with backoff).
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"{QUEUE}{request_sent.pk}/prendre-en-charge/")

    assert flaky_mail_server.failures == 0
    assert outbox.count("email") == 1
    assert outbox.last("email").to == member.email
    change = RequestStatusChange.objects.get(to_status=RequestStatus.IN_PROGRESS)
    assert change.notified_at is not None


def test_a_mail_server_down_for_good_leaves_the_change_to_be_emailed_later(
    member, request_sent, insurer_manager, outbox, flaky_mail_server
):
    member_request_take(request=request_sent, by=insurer_manager)
    change = RequestStatusChange.objects.get(to_status=RequestStatus.IN_PROGRESS)
    flaky_mail_server.failures = 100

    with pytest.raises(smtplib.SMTPServerDisconnected):
        notify_status_change.delay(change.pk)

    change.refresh_from_db()
    assert change.notified_at is None
    assert outbox.count("email") == 0

    flaky_mail_server.failures = 0
    notify_status_change.delay(change.pk)
    assert outbox.count("email") == 1


def test_the_catch_up_job_sends_what_could_not_be_sent_and_nothing_twice(
    member, request_sent, insurer_manager, outbox
):
    from datetime import timedelta

    from django.utils import timezone

    from requests_app.tasks import notify_pending_changes

    member_request_take(request=request_sent, by=insurer_manager)  # on_commit never runs here
    assert outbox.count("email") == 0
    RequestStatusChange.objects.update(at=timezone.now() - timedelta(minutes=11))

    notify_pending_changes.delay()
    emailed = outbox.count("email")
    assert emailed == RequestStatusChange.objects.count() == 2
    assert all(c.notified_at for c in RequestStatusChange.objects.all())

    notify_pending_changes.delay()
    assert outbox.count("email") == emailed


def test_the_catch_up_job_leaves_recent_changes_to_their_own_task(
    member, request_sent, insurer_manager, outbox
):
    from requests_app.tasks import notify_pending_changes

    member_request_take(request=request_sent, by=insurer_manager)
    notify_pending_changes.delay()
    assert outbox.count("email") == 0
