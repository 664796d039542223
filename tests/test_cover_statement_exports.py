"""The statements of a period longer than a year: built by a background job while the member
keeps using the space, followed on a page, downloaded for 24 hours, never emailed."""

import datetime
import io
import json
import time

import pypdf
import pytest
from django.conf import settings
from django.utils import timezone

from cover.exports import statement_exports_purge
from cover.models import StatementExport
from cover.tasks import build_statement_export, requeue_statement_exports
from tests.factories import make_payment
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

STATEMENTS = "/remboursements/releves.pdf"


def jj(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def signed_in(client, member):
    _sign_in(client, member.user)
    return client


def _ask(client, django_capture_on_commit_callbacks, **period):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(STATEMENTS, period)
    assert response.status_code == 302
    return response["Location"]


def test_a_period_of_three_years_is_built_by_a_job_and_downloaded(
    signed_in, member, outbox, django_capture_on_commit_callbacks
):
    old = make_payment(member, lines=1, payment_date=days_ago(900))
    recent = make_payment(member, lines=1, payment_date=days_ago(10))

    page_url = _ask(
        signed_in, django_capture_on_commit_callbacks, du=jj(days_ago(1000)), au=jj(days_ago(0))
    )
    page = signed_in.get(page_url).content.decode()
    state = json.loads(signed_in.get(page_url, HTTP_ACCEPT="application/json").content)

    export = StatementExport.objects.get(member=member)
    assert export.state == StatementExport.State.READY and export.payments == 2
    assert "Vos relevés sont prêts : 2 paiements." in page
    assert state["state"] == "ready" and state["download"]
    pdf = signed_in.get(state["download"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(b"".join(pdf))).pages
    )
    assert old.number in text and recent.number in text
    assert outbox.count("email") == 0  # never emailed


def test_a_year_or_less_still_comes_at_once(signed_in, member):
    make_payment(member, lines=1, payment_date=days_ago(10))

    response = signed_in.get(STATEMENTS, {"du": jj(days_ago(365)), "au": jj(days_ago(0))})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not StatementExport.objects.exists()


def test_another_members_export_is_not_found(
    client, member, other_member, django_capture_on_commit_callbacks
):
    make_payment(member, lines=1, payment_date=days_ago(500))
    _sign_in(client, member.user)
    page_url = _ask(
        client, django_capture_on_commit_callbacks, du=jj(days_ago(800)), au=jj(days_ago(0))
    )
    export = StatementExport.objects.get(member=member)
    stranger = type(client)()
    _sign_in(stranger, other_member.user)

    assert stranger.get(page_url).status_code == 404
    assert stranger.get(f"/remboursements/releves/{export.pk}/releves.pdf").status_code == 404


def test_after_24_hours_the_file_is_gone(
    signed_in, member, django_capture_on_commit_callbacks, settings, tmp_path
):
    make_payment(member, lines=1, payment_date=days_ago(500))
    _ask(signed_in, django_capture_on_commit_callbacks, du=jj(days_ago(800)), au=jj(days_ago(0)))
    export = StatementExport.objects.get(member=member)
    path = tmp_path / "uploads" / export.file.name
    assert path.exists()

    StatementExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    download = signed_in.get(f"/remboursements/releves/{export.pk}/releves.pdf")
    assert download.status_code == 404
    assert statement_exports_purge() == 1
    assert not path.exists() and not StatementExport.objects.exists()


def test_statements_asked_while_the_broker_is_down_are_built_once_it_is_back(
    signed_in, member, broker_down, celery_conf, caplog, django_capture_on_commit_callbacks
):
    make_payment(member, lines=1, payment_date=days_ago(900))

    started = time.monotonic()
    page_url = _ask(
        signed_in, django_capture_on_commit_callbacks, du=jj(days_ago(1000)), au=jj(days_ago(0))
    )
    assert time.monotonic() - started < 1  # one refused publish, no retries
    assert signed_in.get(page_url).status_code == 200
    state = json.loads(signed_in.get(page_url, HTTP_ACCEPT="application/json").content)
    assert state["state"] == "queued"
    assert [r.name for r in caplog.records].count("portal.queueing") == 1

    celery_conf(task_always_eager=True)  # the broker is back
    assert requeue_statement_exports() == 0  # not yet: its own job may only be late
    StatementExport.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert requeue_statement_exports() == 1

    state = json.loads(signed_in.get(page_url, HTTP_ACCEPT="application/json").content)
    assert state["state"] == "ready"
    pdf = signed_in.get(state["download"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf).startswith(b"%PDF")
    assert requeue_statement_exports() == 0
    assert settings.CELERY_BEAT_SCHEDULE["cover-requeue-statement-exports"]["schedule"] <= 60


def test_an_export_whose_job_already_runs_is_not_built_a_second_time(member):
    export = StatementExport.objects.create(
        member=member,
        start=days_ago(1000),
        end=days_ago(0),
        third_party=False,
        state=StatementExport.State.RUNNING,
        created_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(hours=24),
    )
    assert build_statement_export(str(export.pk)) is False
    export.refresh_from_db()
    assert export.state == StatementExport.State.RUNNING and not export.file
