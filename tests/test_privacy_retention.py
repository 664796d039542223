"""The retention policy with a frozen clock: inactivity warnings 60 and 15 days before, sent
once; closure disables sign-in; requests closed more than 5 years ago are deleted with their
files, and `retention_report` lists them first; nothing younger is touched."""

import io
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AccountNotice, Member, SignInRecord, User
from documents.models import StoredFile
from oversight.models import AccessEntry
from privacy.retention import retention_apply, retention_report
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit
from support.models import UnansweredQuestion
from tests.helpers.oversight import make_manager
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 3, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def frozen(monkeypatch):
    """The clock stopped at NOW (every `timezone.now()` reads it)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def _last_seen(member, moment):
    User.objects.filter(pk=member.user_id).update(last_login=moment, date_joined=moment)


def _years_ago(years, days=0):
    return NOW.replace(year=NOW.year - years) - timedelta(days=days)


def test_the_60_and_15_day_warnings_are_sent_once(frozen, member, outbox):
    _last_seen(member, _years_ago(3) + timedelta(days=59))  # closes in 59 days
    retention_apply()
    retention_apply()
    assert outbox.count("email") == 1
    email = outbox.last("email", to=member.email)
    assert "sera fermé" in email.subject
    assert "MARTIN" not in email.text  # no personal data beyond the address
    _last_seen(member, _years_ago(3) + timedelta(days=14))  # a new inactivity, 14 days left
    retention_apply()
    retention_apply()
    assert outbox.count("email") == 2


def test_closure_disables_sign_in_and_removes_the_accounts_personal_fields(
    frozen, client, member, outbox
):
    _last_seen(member, _years_ago(3, days=1))
    retention_apply()  # only the last warning: nobody is closed unwarned
    member.refresh_from_db()
    assert member.user.is_active
    user_id = member.user_id
    # 15 days later, still no sign-in: closed.
    later = NOW + timedelta(days=15)
    from unittest import mock

    with mock.patch.object(timezone, "now", lambda: later):
        retention_apply()
    user = User.objects.get(pk=user_id)
    assert not user.is_active and not user.has_usable_password()
    assert user.email == "" and user.first_name == "" and user.username.startswith("ferme-")
    kept = Member.objects.get(pk=member.pk)
    assert kept.last_name == "MARTIN" and kept.user is None  # the insurer's record stays
    response = client.post(
        "/compte/connexion/", {"identifier": kept.member_number, "password": "x" * 12}
    )
    assert "/compte/connexion/code/" not in response.get("Location", "")


def test_a_recent_sign_in_is_never_warned_nor_closed(frozen, member, outbox):
    _last_seen(member, _years_ago(3) + timedelta(days=61))
    retention_apply()
    assert outbox.count("email") == 0
    assert User.objects.get(pk=member.user_id).is_active


def _old_request(member, *, resolved_years_ago, days=0):
    stored = StoredFile.objects.create(
        original_name="facture.pdf", size=3, content_type="application/pdf", sha256="0" * 64
    )
    stored.file.save("facture.pdf", ContentFile(b"pdf"), save=True)
    sent = member_request_submit(member=member, kind=RequestKind.QUESTION, by=member.user,
                                 message="Une question")  # fmt: skip
    sent.attachments.add(stored)
    resolved = _years_ago(resolved_years_ago, days=days)
    MemberRequest.objects.filter(pk=sent.pk).update(status="resolved", resolved_at=resolved)
    return sent, stored


def test_requests_past_5_years_are_deleted_with_their_files_and_listed_first(
    frozen, client, member, caplog
):
    old, old_file = _old_request(member, resolved_years_ago=5, days=1)
    young, young_file = _old_request(member, resolved_years_ago=5, days=-1)
    path = old_file.file.path
    report = io.StringIO()
    call_command("retention_report", stdout=report)
    assert old.reference in report.getvalue()
    assert young.reference not in report.getvalue()
    assert MemberRequest.objects.filter(pk=old.pk).exists()  # a dry run
    with caplog.at_level(logging.INFO, logger="privacy.retention"):
        retention_apply()
    assert not MemberRequest.objects.filter(pk=old.pk).exists()
    assert not StoredFile.objects.filter(pk=old_file.pk).exists()
    import os

    assert not os.path.exists(path)
    assert MemberRequest.objects.filter(pk=young.pk).exists()
    with StoredFile.objects.get(pk=young_file.pk).file.open("rb") as kept:
        assert kept.read() == b"pdf"
    # The history still lists what remains, numbered without a gap.
    assert MemberRequest.objects.get(pk=young.pk).position == 1
    _sign_in(client, member.user)
    assert young.reference in client.get("/demandes/").content.decode()
    # The log says what was done, never who.
    logged = caplog.text
    assert "rule=closed_requests" in logged and "requests=1" in logged
    assert old.reference not in logged and member.member_number not in logged


def test_sign_in_records_go_after_a_year(frozen, member):
    SignInRecord.objects.create(user=member.user, kind="signin", at=NOW - timedelta(days=366))
    SignInRecord.objects.create(user=member.user, kind="signin", at=NOW - timedelta(days=364))
    retention_apply()
    assert list(SignInRecord.objects.values_list("at", flat=True)) == [NOW - timedelta(days=364)]


def test_the_daily_job_is_declared(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-apply-retention"]
    assert entry["task"] == "privacy.tasks.apply_retention"


def test_the_access_journal_goes_after_a_year_and_is_listed_first(frozen, member):
    manager = make_manager("gestionnaire.retention")
    old, young = (
        AccessEntry.objects.create(
            at=NOW - timedelta(days=days),
            manager=manager,
            kind="fiche",
            scope="member",
            member=member,
            target=member.member_number,
        )  # fmt: skip
        for days in (366, 364)
    )
    due = dict(retention_report())["access_journal"]
    assert due == {"delete": [f"#{old.pk}"]}
    retention_apply()
    assert list(AccessEntry.objects.all()) == [young]


def test_account_notices_go_90_days_after_their_send(frozen, member):
    def notice(days, sent=True):
        row = AccountNotice.objects.create(
            kind="new_browser", recipient=member.email, user=member.user,
            details={"browser": "Firefox", "place": "192.0.2.x"},
            sent_at=NOW - timedelta(days=days) if sent else None,
        )  # fmt: skip
        AccountNotice.objects.filter(pk=row.pk).update(created_at=NOW - timedelta(days=days))
        return row.pk

    notice(91), notice(91, sent=False)  # sent, and never sent (the catch-up gave up)
    sent_young = notice(89)
    retention_apply()
    assert list(AccountNotice.objects.values_list("pk", flat=True)) == [sent_young]


def test_unanswered_questions_go_a_year_after_they_were_last_asked(frozen):
    for key, days in (("carte grise", 366), ("teletransmission", 20)):
        row = UnansweredQuestion.objects.create(key=key, text=key.capitalize() + " ?")
        UnansweredQuestion.objects.filter(pk=row.pk).update(last_asked=NOW - timedelta(days=days))
    retention_apply()
    assert list(UnansweredQuestion.objects.values_list("key", flat=True)) == ["teletransmission"]


def test_the_personal_data_page_lists_the_journal_notices_questions_and_queue_exports(client):
    page = client.get("/informations/donnees-personnelles/").content.decode()
    for data in (
        "Journal des consultations de vos données par nos gestionnaires",
        "Emails envoyés sur votre compte",
        "Questions restées sans réponse du conseiller virtuel",
        "Exports des files de traitement préparés par nos gestionnaires",
    ):
        assert data in page
    assert "<td>90 jours</td>" in page  # account notices
