"""The partner space's daily jobs: the reminder 30 days before a convention ends, and the access
closed 30 days after the last resolution of an ended convention."""

import datetime
import smtplib
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from accounts.models import User
from casework.services import case_move
from partners.conventions import State, situation_of
from partners.jobs import convention_accesses_close, convention_reminders_send
from partners.models import Convention, PartnerRequest, StructureMembership
from partners.tasks import close_ended_accesses, send_convention_reminders
from portal.celery import app as celery_app
from portal.messaging import OutboxEmailBackend
from tests.factories import (
    ConventionFactory,
    OrganismFactory,
    make_partner_request,
    make_partner_user,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def _ending(convention, end_date):
    Convention.objects.filter(pk=convention.pk).update(end_date=end_date)
    convention.refresh_from_db()
    return convention


def _reminders(outbox):
    return [m for m in outbox.all() if "arrive à échéance" in m.subject]


class FailsOnSecondEmailBackend(BaseEmailBackend):
    """Delivers one email, then drops the connection once, then delivers again."""

    sent = 0
    failed = False

    def send_messages(self, email_messages):
        cls = FailsOnSecondEmailBackend
        if cls.sent == 1 and not cls.failed:
            cls.failed = True
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        cls.sent += 1
        return OutboxEmailBackend().send_messages(email_messages)


# -- The reminder -----------------------------------------------------------------------------
def test_no_reminder_31_days_before_the_end(convention, partner_manager, outbox):
    _ending(convention, TODAY + timedelta(days=31))

    assert convention_reminders_send(on=TODAY) == 0

    assert _reminders(outbox) == []
    convention.refresh_from_db()
    assert convention.reminder_sent_for is None


def test_one_reminder_30_days_before_the_end_to_the_partner_managers(
    convention, partner_manager, technician, outbox
):
    _ending(convention, TODAY + timedelta(days=30))

    assert convention_reminders_send(on=TODAY) == 1

    sent = _reminders(outbox)
    assert len(sent) == 1  # the partner manager; not the technician
    email = sent[0]
    assert email.to == partner_manager.email
    assert (
        email.subject.strip()
        == "Votre conventionnement avec CPAM GIRONDE arrive à échéance le 01/04/2026"
    )
    for body in (email.text, email.html):
        assert "CPAM GIRONDE" in body
        assert "01/04/2026" in body
        assert "Veuillez contacter l'organisme concerné." in body
        assert "CCAS de Bordeaux" in body
        assert f"{django_settings.SITE_URL}/partenaires/" in body
    convention.refresh_from_db()
    assert convention.reminder_sent_for == TODAY + timedelta(days=30)


def test_the_reminder_is_sent_once_per_end_date(convention, partner_manager, outbox):
    _ending(convention, TODAY + timedelta(days=30))

    convention_reminders_send(on=TODAY)
    convention_reminders_send(on=TODAY)
    convention_reminders_send(on=TODAY + timedelta(days=1))

    assert len(_reminders(outbox)) == 1


def test_a_changed_end_date_gets_a_new_reminder(convention, partner_manager, outbox):
    _ending(convention, TODAY + timedelta(days=30))
    convention_reminders_send(on=TODAY)

    _ending(convention, TODAY + timedelta(days=45))  # extended: not due yet
    assert convention_reminders_send(on=TODAY) == 0
    assert convention_reminders_send(on=TODAY + timedelta(days=15)) == 1

    sent = _reminders(outbox)
    assert len(sent) == 2
    assert "16/04/2026" in sent[-1].subject


def test_an_end_date_already_passed_gets_no_reminder(convention, partner_manager, outbox):
    _ending(convention, TODAY - timedelta(days=1))

    assert convention_reminders_send(on=TODAY) == 0
    assert _reminders(outbox) == []


def test_every_active_partner_manager_of_the_structure_is_reminded_and_nobody_else(
    structure, convention, partner_manager, other_technician, outbox
):
    colleague = make_partner_user(User.Role.PARTNER_MANAGER, structure, email="lea@example.org")
    gone = make_partner_user(User.Role.PARTNER_MANAGER, structure, email="parti@example.org")
    gone.is_active = False
    gone.save()
    elsewhere = make_partner_user(User.Role.PARTNER_MANAGER, email="ailleurs@example.org")
    _ending(convention, TODAY + timedelta(days=10))

    convention_reminders_send(on=TODAY)

    assert sorted(m.to for m in _reminders(outbox)) == sorted(
        [partner_manager.email, colleague.email]
    )
    assert elsewhere.email not in [m.to for m in outbox.all()]


def test_a_mail_server_failing_half_way_emails_nobody_twice(
    settings, structure, convention, partner_manager, outbox
):
    make_partner_user(User.Role.PARTNER_MANAGER, structure, email="lea@example.org")
    _ending(convention, TODAY + timedelta(days=30))
    settings.EMAIL_BACKEND = "tests.test_partner_jobs.FailsOnSecondEmailBackend"
    FailsOnSecondEmailBackend.sent, FailsOnSecondEmailBackend.failed = 0, False

    # Eager Celery: the retry runs at once (a worker would wait, with backoff).
    send_convention_reminders.delay(TODAY.isoformat())

    assert FailsOnSecondEmailBackend.failed
    assert sorted(m.to for m in _reminders(outbox)) == sorted(
        [partner_manager.email, "lea@example.org"]
    )
    convention.refresh_from_db()
    assert convention.reminder_sent_for == TODAY + timedelta(days=30)


def test_the_reminder_task_runs_the_job_for_a_given_day(convention, partner_manager, outbox):
    _ending(convention, TODAY + timedelta(days=30))

    assert send_convention_reminders.delay(TODAY.isoformat()).get() == 1
    assert send_convention_reminders.delay(TODAY.isoformat()).get() == 0
    assert len(_reminders(outbox)) == 1


# -- Closing the access ----------------------------------------------------------------------
@pytest.fixture
def ended_and_resolved(technician, convention, organism, organism_manager):
    """The convention ended on 01/03; its last request was resolved on 10/03 (R)."""
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="take", by=organism_manager)
    case_move(case=request, move="resolve", by=organism_manager, text="Fait.")
    resolved_at = timezone.make_aware(datetime.datetime(2026, 3, 10, 23, 30))
    PartnerRequest.objects.filter(pk=request.pk).update(resolved_at=resolved_at)
    Convention.objects.filter(pk=convention.pk).update(
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2026, 3, 1)
    )
    convention.refresh_from_db()
    membership = technician.partner_membership
    membership.last_organism = organism
    membership.save()
    return convention


LAST_RESOLUTION = datetime.date(2026, 3, 10)


def test_the_access_stays_open_30_days_after_the_last_resolution(ended_and_resolved, technician):
    on = LAST_RESOLUTION + timedelta(days=30)

    assert convention_accesses_close(on=on) == {"closed": 0, "reopened": 0}

    ended_and_resolved.refresh_from_db()
    assert ended_and_resolved.closed_at is None
    assert situation_of(ended_and_resolved, on=on).state is State.ENDED_RESOLVED
    technician.partner_membership.refresh_from_db()
    assert technician.partner_membership.last_organism_id == ended_and_resolved.organism_id


def test_the_access_closes_31_days_after_the_last_resolution(
    ended_and_resolved, technician, structure, organism
):
    landes = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=structure, organism=landes)
    colleague = make_partner_user(User.Role.TECHNICIAN, structure)
    StructureMembership.objects.filter(user=colleague).update(last_organism=landes)
    on = LAST_RESOLUTION + timedelta(days=31)

    assert convention_accesses_close(on=on) == {"closed": 1, "reopened": 0}

    ended_and_resolved.refresh_from_db()
    closed_at = ended_and_resolved.closed_at
    assert closed_at is not None
    technician.partner_membership.refresh_from_db()
    assert technician.partner_membership.last_organism is None
    # Another organism chosen last stays chosen.
    assert StructureMembership.objects.get(user=colleague).last_organism == landes

    assert convention_accesses_close(on=on) == {"closed": 0, "reopened": 0}
    ended_and_resolved.refresh_from_db()
    assert ended_and_resolved.closed_at == closed_at


def test_an_ended_convention_with_open_requests_never_closes(
    ended_and_resolved, technician, organism
):
    open_request = make_partner_request(
        technician=technician, organism=organism, on=datetime.date(2026, 2, 1)
    )
    assert open_request.status == "new"
    ended_and_resolved.refresh_from_db()

    assert convention_accesses_close(on=LAST_RESOLUTION + timedelta(days=365)) == {
        "closed": 0,
        "reopened": 0,
    }
    ended_and_resolved.refresh_from_db()
    assert ended_and_resolved.closed_at is None


def test_a_convention_extended_after_closing_is_open_again(ended_and_resolved):
    on = LAST_RESOLUTION + timedelta(days=31)
    convention_accesses_close(on=on)
    Convention.objects.filter(pk=ended_and_resolved.pk).update(end_date=on + timedelta(days=365))

    assert convention_accesses_close(on=on) == {"closed": 0, "reopened": 1}
    ended_and_resolved.refresh_from_db()
    assert ended_and_resolved.closed_at is None


def test_the_closing_task_runs_the_job_for_a_given_day(ended_and_resolved):
    on = LAST_RESOLUTION + timedelta(days=31)
    assert close_ended_accesses.delay(on.isoformat()).get() == {"closed": 1, "reopened": 0}


# -- The schedule -----------------------------------------------------------------------------
def test_the_partner_jobs_are_scheduled():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"]: entry["schedule"] for entry in schedule.values()}

    # The technicians' emails that could not go at once, and the reminders of complements
    # asked, are the casework core's jobs, shared with member requests.
    assert tasks["casework.tasks.notify_pending_events"] == 60.0
    assert tasks["casework.tasks.send_reminders"] == 3600.0
    for daily in (
        "partners.tasks.send_convention_reminders",
        "partners.tasks.close_ended_accesses",
    ):
        assert daily in celery_app.tasks
        assert tasks[daily].remaining_estimate(timezone.now()) <= timedelta(days=1)
    for task in ("casework.tasks.notify_pending_events", "casework.tasks.send_reminders"):
        assert task in celery_app.tasks
