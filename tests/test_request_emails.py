"""The member is emailed at each step of a request that concerns them (received, taken in
charge, complement asked, answered, reminded): after commit, once per event, never the content
unless the managers chose to send the text, and in the end even when the mail server fails for
a while."""

import smtplib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from casework.models import CaseEvent
from casework.services import case_move
from casework.tasks import notify_case_event, notify_pending_events, send_reminders
from portal.messaging import OutboxEmailBackend
from requests_app.models import RequestKind, RequestStatus
from requests_app.services import member_request_submit
from tests.helpers.casework import emails_so_far_sent
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
    """A soft-medicine request, sent earlier: its acknowledgement went then (it is not part of
    these tests; a later email would otherwise send it first, as emails keep their order)."""
    request = member_request_submit(
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
    emails_so_far_sent(request)
    return request


def _take(request, manager):
    return case_move(case=request, move="take", by=manager)


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
    manager_client,
    member,
    request_sent,
    insurer_manager,
    outbox,
    django_capture_on_commit_callbacks,
):
    _take(request_sent, insurer_manager)  # its email is not part of this test
    emails_so_far_sent(request_sent)
    form = manager_client.get(f"{QUEUE}{request_sent.pk}/resoudre/")
    assert form.status_code == 200
    assert 'name="text"' in form.content.decode()
    # Only contact-form requests and questions offer to send the text by email.
    assert 'name="email_text"' not in form.content.decode()
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
        _take(request_sent, insurer_manager)
        raise RuntimeError("something after the change failed")

    assert queued == []
    assert outbox.count("email") == 0
    request_sent.refresh_from_db()
    assert request_sent.status == RequestStatus.NEW
    assert not CaseEvent.objects.filter(action="take").exists()


def test_no_email_is_sent_before_the_change_is_committed(
    member, request_sent, insurer_manager, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _take(request_sent, insurer_manager)
        assert outbox.count("email") == 0
    assert len(queued) == 1
    assert outbox.count("email") == 0
    queued[0]()  # the commit
    assert outbox.count("email") == 1


def test_the_same_change_is_never_emailed_twice(member, request_sent, insurer_manager, outbox):
    # Outside a committed transaction: nothing queued yet, the task is delivered by hand.
    event = _take(request_sent, insurer_manager)

    assert notify_case_event.delay(event.pk).get() is True
    assert notify_case_event.delay(event.pk).get() is False

    assert outbox.count("email") == 1
    event.refresh_from_db()
    assert event.notified_at is not None


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
    event = CaseEvent.objects.get(action="take")
    assert event.notified_at is not None


def test_a_mail_server_down_for_good_leaves_the_change_to_be_emailed_later(
    member, request_sent, insurer_manager, outbox, flaky_mail_server
):
    event = _take(request_sent, insurer_manager)
    flaky_mail_server.failures = 100

    with pytest.raises(smtplib.SMTPServerDisconnected):
        notify_case_event.delay(event.pk)

    event.refresh_from_db()
    assert event.notified_at is None
    assert outbox.count("email") == 0

    flaky_mail_server.failures = 0
    notify_case_event.delay(event.pk)
    assert outbox.count("email") == 1


def test_the_catch_up_job_sends_what_could_not_be_sent_and_nothing_twice(
    member, request_sent, insurer_manager, outbox
):
    _take(request_sent, insurer_manager)  # on_commit never runs here
    assert outbox.count("email") == 0
    CaseEvent.objects.update(at=timezone.now() - timedelta(minutes=11))

    notify_pending_events.delay()
    emailed = outbox.count("email")
    assert emailed == 1  # taken in charge (the acknowledgement went when it was sent)
    assert all(event.notified_at for event in CaseEvent.objects.all())

    notify_pending_events.delay()
    assert outbox.count("email") == emailed


def test_the_catch_up_job_leaves_recent_changes_to_their_own_task(
    member, request_sent, insurer_manager, outbox
):
    _take(request_sent, insurer_manager)
    notify_pending_events.delay()
    assert outbox.count("email") == 0


def test_the_catch_up_job_gives_up_on_news_older_than_three_days(
    member, request_sent, insurer_manager, outbox
):
    _take(request_sent, insurer_manager)
    CaseEvent.objects.update(at=timezone.now() - timedelta(days=3, minutes=1))

    notify_pending_events.delay()

    assert outbox.count("email") == 0


# -- A complement asked ------------------------------------------------------------------------
def test_asking_a_complement_emails_a_link_and_not_what_was_asked(
    manager_client,
    member,
    request_sent,
    insurer_manager,
    outbox,
    django_capture_on_commit_callbacks,
):
    _take(request_sent, insurer_manager)
    emails_so_far_sent(request_sent)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            f"{QUEUE}{request_sent.pk}/demander-un-complement/",
            {"text": "Merci de joindre la facture de la séance d'ostéopathie."},
        )
    assert response.status_code == 302

    assert outbox.count("email") == 1
    email = outbox.last("email", to=member.email)
    assert email.subject == (
        f"Votre demande {request_sent.reference} : un complément vous est demandé"
    )
    assert "Leur message vous attend dans votre espace, en haut de la demande." in email.text
    assert email.link() == _link_to(request_sent)
    assert _link_to(request_sent) in email.html
    _assert_says_nothing_private(email)


def test_a_complement_waiting_a_week_is_reminded_once_a_week(
    member, request_sent, insurer_manager, outbox, django_capture_on_commit_callbacks, settings
):
    _take(request_sent, insurer_manager)
    case_move(case=request_sent, move="ask", by=insurer_manager, text="La facture, merci.")
    emails_so_far_sent(request_sent)
    week = timedelta(days=settings.CASE_REMINDER_DAYS)
    type(request_sent).objects.filter(pk=request_sent.pk).update(
        awaiting_since=timezone.now() - week + timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.delay().get() == 0  # not a week yet
    type(request_sent).objects.filter(pk=request_sent.pk).update(
        awaiting_since=timezone.now() - week - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.delay().get() == 0  # reminded: the next one in a week

    assert outbox.count("email") == 1
    email = outbox.last("email", to=member.email)
    assert email.subject == (
        f"Rappel : votre demande {request_sent.reference} attend votre réponse"
    )
    assert email.link() == _link_to(request_sent)
    _assert_says_nothing_private(email)
