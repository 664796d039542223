"""The technician is emailed when the organism takes their request in charge and when it
resolves it: after commit, once, with the number and the organism only, and in the end even when
the mail server fails for a while (guide 001, chapter V)."""

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from casework.models import CaseEvent
from casework.services import case_move
from casework.tasks import notify_case_event, notify_pending_events
from partners.models import PartnerRequestStatus
from portal.messaging import OutboxEmailBackend
from tests.factories import make_partner_request
from tests.helpers.casework import emails_so_far_sent
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

QUEUE = "/gestion/partners/partnerrequest/"
HISTORY_LINK = f"{django_settings.SITE_URL}/partenaires/historique/"
# What the technician entered and what the organism answered: none of it travels by email.
PRIVATE_WORDS = [
    "tutu",
    "joséphine",
    "10/10/1971",
    "1971-10-10",
    "07.00",
    "0700000000",
    "hospitalisation",
    "attestation envoyée",
]


class FlakyBackend(BaseEmailBackend):
    """A mail server that drops the connection `failures` times, then delivers to the outbox."""

    failures = 0

    def send_messages(self, email_messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return OutboxEmailBackend().send_messages(email_messages)


@pytest.fixture
def flaky_mail_server(settings):
    settings.EMAIL_BACKEND = "tests.test_partner_emails.FlakyBackend"
    FlakyBackend.failures = 2
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.fixture
def manager_client(client, organism_manager):
    _sign_in(client, organism_manager)
    return client


@pytest.fixture
def filed(technician, convention, organism):
    """A request for Madame TUTU Joséphine (its own filing sends nothing, or went then)."""
    request = make_partner_request(technician=technician, organism=organism)
    emails_so_far_sent(request)
    return request


def _take(request, manager):
    # Outside a committed transaction: the email task queued at commit never runs.
    return case_move(case=request, move="take", by=manager)


def _assert_says_nothing_private(email):
    everything = f"{email.subject}\n{email.text}\n{email.html}".lower()
    for word in PRIVATE_WORDS:
        assert word not in everything, word


def test_taking_a_request_in_charge_emails_the_technician_the_number_and_nothing_private(
    manager_client, technician, filed, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"{QUEUE}{filed.pk}/prendre-en-charge/")

    assert outbox.count("email") == 1
    email = outbox.last("email")
    assert email.to == technician.email
    assert email.subject.strip() == f"Votre demande {filed.number} a été prise en charge"
    for body in (email.text, email.html):
        assert filed.number in body
        assert "CPAM GIRONDE" in body
        assert "prise en charge" in body
        assert "« Historique des demandes »" in body
        assert HISTORY_LINK in body
    assert email.link() == HISTORY_LINK
    _assert_says_nothing_private(email)


def test_resolving_invites_the_technician_to_read_the_answer_in_the_history(
    manager_client, technician, filed, organism_manager, outbox, django_capture_on_commit_callbacks
):
    _take(filed, organism_manager)
    emails_so_far_sent(filed)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            f"{QUEUE}{filed.pk}/resoudre/", {"text": "Attestation envoyée à Madame TUTU."}
        )
    assert response.status_code == 302

    assert outbox.count("email") == 1
    email = outbox.last("email", to=technician.email)
    assert email.subject.strip() == f"Une réponse a été apportée à votre demande {filed.number}"
    for body in (email.text, email.html):
        assert filed.number in body
        assert "CPAM GIRONDE" in body
        assert "consulter cette réponse" in body
        assert "« Historique des demandes » d'Espace Partenaires" in body
        assert HISTORY_LINK in body
    _assert_says_nothing_private(email)


def test_take_then_resolve_sends_one_email_each(
    manager_client, filed, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"{QUEUE}{filed.pk}/prendre-en-charge/")
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"{QUEUE}{filed.pk}/resoudre/", {"text": "Fait."})

    subjects = [message.subject.strip() for message in outbox.all()]
    assert subjects == [
        f"Votre demande {filed.number} a été prise en charge",
        f"Une réponse a été apportée à votre demande {filed.number}",
    ]


def test_no_email_is_sent_when_the_change_is_rolled_back(
    filed, organism_manager, outbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _take(filed, organism_manager)
        raise RuntimeError("something after the change failed")

    assert queued == []
    assert outbox.count("email") == 0
    filed.refresh_from_db()
    assert filed.status == PartnerRequestStatus.NEW
    assert not CaseEvent.objects.filter(action="take").exists()


def test_the_same_change_is_never_emailed_twice(filed, organism_manager, outbox):
    # Outside a committed transaction: nothing queued yet, the task is delivered by hand.
    event = _take(filed, organism_manager)

    assert notify_case_event.delay(event.pk).get() is True
    assert notify_case_event.delay(event.pk).get() is False

    assert outbox.count("email") == 1
    event.refresh_from_db()
    assert event.notified_at is not None


def test_a_mail_server_that_fails_then_recovers_sends_one_email_in_the_end(
    manager_client, technician, filed, outbox, flaky_mail_server, django_capture_on_commit_callbacks
):
    # Celery is eager in tests: each retry runs at once (a worker would wait, with backoff).
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"{QUEUE}{filed.pk}/prendre-en-charge/")
    assert response.status_code == 302

    assert flaky_mail_server.failures == 0
    assert outbox.count("email") == 1
    assert outbox.last("email").to == technician.email
    event = CaseEvent.objects.get(action="take")
    assert event.notified_at is not None


def test_a_mail_server_down_for_good_leaves_the_email_to_the_catch_up_job(
    manager_client, filed, outbox, flaky_mail_server, django_capture_on_commit_callbacks
):
    flaky_mail_server.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"{QUEUE}{filed.pk}/prendre-en-charge/")

    # The change stands whatever happens to its email.
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == PartnerRequestStatus.IN_PROGRESS
    event = CaseEvent.objects.get(action="take")
    assert event.notified_at is None
    assert outbox.count("email") == 0

    flaky_mail_server.failures = 0
    CaseEvent.objects.filter(pk=event.pk).update(at=event.at - timedelta(minutes=11))
    assert notify_pending_events.delay().get() == 1
    assert outbox.count("email") == 1
    assert notify_pending_events.delay().get() == 0
    assert outbox.count("email") == 1


def test_the_catch_up_job_sends_what_could_not_be_sent_and_nothing_twice(
    filed, organism_manager, outbox
):
    _take(filed, organism_manager)  # on_commit never runs here
    case_move(case=filed, move="resolve", by=organism_manager, text="Fait.")
    assert outbox.count("email") == 0
    CaseEvent.objects.update(at=timezone.now() - timedelta(minutes=11))

    assert notify_pending_events.delay().get() == 2

    # The filing itself is not emailed: only "Pris en charge" and "Résolu".
    assert sorted(m.subject.strip() for m in outbox.all()) == [
        f"Une réponse a été apportée à votre demande {filed.number}",
        f"Votre demande {filed.number} a été prise en charge",
    ]
    submit = CaseEvent.objects.get(action="submit")
    assert (submit.notification, submit.notified_at) == ("", None)
    assert all(e.notified_at for e in CaseEvent.objects.exclude(action="submit"))
    assert notify_pending_events.delay().get() == 0
    assert outbox.count("email") == 2


def test_the_catch_up_job_leaves_recent_changes_to_their_own_task(filed, organism_manager, outbox):
    _take(filed, organism_manager)
    assert notify_pending_events.delay().get() == 0
    assert outbox.count("email") == 0


def test_the_catch_up_job_gives_up_on_changes_older_than_three_days(
    filed, organism_manager, outbox
):
    event = _take(filed, organism_manager)
    CaseEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=3, hours=1))

    assert notify_pending_events.delay().get() == 0
    assert outbox.count("email") == 0


def test_a_deactivated_technician_is_not_emailed(technician, filed, organism_manager, outbox):
    event = _take(filed, organism_manager)
    technician.is_active = False
    technician.save()

    assert notify_case_event.delay(event.pk).get() is False

    assert outbox.count("email") == 0
    event.refresh_from_db()
    assert event.notified_at is not None  # nothing left for the catch-up job to retry
