""" "Mes données": the export ZIP of the demo member 100001 holds every part, nothing of
another member, and is a 404 for anyone else and after 24 hours; the closure request reaches
the managers' queue."""

import io
import json
import time
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Member, SignInRecord, TrustedBrowser
from privacy.models import DataExport
from privacy.tasks import requeue_data_exports
from requests_app.models import MemberRequest, RequestKind
from tests.helpers.storage import is_stored
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

PARTS = ["account", "member", "beneficiaries", "contracts", "reimbursements", "requests",
         "signin_history", "remembered_browsers"]  # fmt: skip


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """A POST whose jobs queued on commit run (eagerly) once the request is answered."""

    def send(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return send


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    marie = Member.objects.get(member_number="100001")
    SignInRecord.objects.create(user=marie.user, kind="signin", ip="192.0.2.7", at=timezone.now())
    TrustedBrowser.objects.create(
        user=marie.user, key_hash="x" * 64, last_ip="192.0.2.7", verified_at=timezone.now()
    )
    return marie


def _export(client, member, post):
    _sign_in(client, member.user)
    response = post("/mes-donnees/")
    assert response.status_code == 302
    return DataExport.objects.get(user=member.user)


def test_the_demo_members_zip_holds_every_part(client, post, demo, outbox):
    export = _export(client, demo, post)
    page = client.get(f"/mes-donnees/export/{export.pk}/").content.decode()
    assert "Vos données sont prêtes." in page
    response = client.get(f"/mes-donnees/export/{export.pk}/mes-donnees.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("donnees.json"))
    for part in PARTS:
        assert data[part], f"the part {part} is empty"
    assert data["member"][0]["member_number"] == "100001"
    assert len(data["beneficiaries"]) == 2
    requests = data["requests"]
    assert any(request["messages"] for request in requests)
    files = [f for request in requests for m in request["messages"] for f in m["files"]]
    assert files and files[0]["in_zip"] in archive.namelist()  # the answer's PDF is inside
    assert data["signin_history"][0]["ip"] == "192.0.2.7"
    summary = archive.read("resume.html").decode()
    assert "Bénéficiaires" in summary and "MARTIN" in summary
    # Emailed once, with no content.
    email = outbox.last("email", to=demo.email)
    assert "prêt" in email.subject
    assert "100001" not in email.text and "MARTIN" not in email.text
    assert f"/mes-donnees/export/{export.pk}/" in email.text
    assert outbox.count("email") == 1


def test_another_members_data_never_appears(client, post, demo):
    jean = Member.objects.get(member_number="100002")
    export = _export(client, demo, post)
    content = b"".join(
        client.get(f"/mes-donnees/export/{export.pk}/mes-donnees.zip").streaming_content
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(
        "utf-8", "replace"
    )
    assert jean.member_number not in everything
    assert jean.last_name not in everything


def test_the_link_is_a_404_for_anyone_else_and_after_24_hours(client, post, demo):
    export = _export(client, demo, post)
    url = f"/mes-donnees/export/{export.pk}/mes-donnees.zip"
    other = Member.objects.get(member_number="100002")
    _sign_in(client, other.user)
    assert client.get(url).status_code == 404
    assert client.get(f"/mes-donnees/export/{export.pk}/").status_code == 404
    _sign_in(client, demo.user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")  # a ZIP
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_the_hourly_purge_deletes_exports_past_24_hours(client, post, demo):
    from privacy.tasks import purge_data_exports

    export = _export(client, demo, post)
    path = export.__class__.objects.get(pk=export.pk).file.name
    assert purge_data_exports() == 0
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert purge_data_exports() == 1
    assert not DataExport.objects.exists()

    assert not is_stored(path)


def test_the_page_follows_the_job_in_json(client, post, demo):
    export = _export(client, demo, post)
    answer = client.get(
        f"/mes-donnees/export/{export.pk}/", headers={"Accept": "application/json"}
    ).json()
    assert answer["state"] == "ready"
    assert answer["download"].endswith("mes-donnees.zip")


def test_a_partner_gets_their_own_account_not_the_structures_requests(client, post, technician):
    _sign_in(client, technician)
    assert client.get("/mes-donnees/").status_code == 200
    post("/mes-donnees/")
    export = DataExport.objects.get(user=technician)
    content = b"".join(
        client.get(f"/mes-donnees/export/{export.pk}/mes-donnees.zip").streaming_content
    )
    data = json.loads(zipfile.ZipFile(io.BytesIO(content)).read("donnees.json"))
    assert data["account"][0]["username"] == technician.username
    assert data["structure"]
    assert "requests" not in data
    assert client.get("/mes-donnees/cloture/").status_code == 404  # members only


def test_an_insurer_manager_has_no_my_data_page(client, insurer_manager):
    _sign_in(client, insurer_manager)
    assert client.get("/mes-donnees/").status_code == 404


def test_the_closure_request_reaches_the_managers_queue(client, member, outbox):
    _sign_in(client, member.user)
    response = client.post("/mes-donnees/cloture/", {"reason": "Je change de mutuelle."})
    assert "Cochez cette case pour confirmer" in response.content.decode()
    assert not MemberRequest.objects.exists()
    response = client.post(
        "/mes-donnees/cloture/", {"reason": "Je change de mutuelle.", "confirm": "on"}
    )
    assert response.status_code == 302
    sent = MemberRequest.objects.get(member=member)
    assert sent.kind == RequestKind.CLOSURE and sent.status == "new"
    assert sent.message == "Je change de mutuelle."
    # A second ask while it is open adds nothing.
    client.post("/mes-donnees/cloture/", {"confirm": "on"})
    assert MemberRequest.objects.filter(member=member).count() == 1
    assert "Clôture de l" in client.get("/demandes/").content.decode()


def test_an_export_asked_while_the_broker_is_down_is_built_once_it_is_back(
    client, post, member, broker_down, celery_conf, caplog, outbox
):
    _sign_in(client, member.user)
    started = time.monotonic()
    response = post("/mes-donnees/")
    assert time.monotonic() - started < 1  # one refused publish, no retries
    assert response.status_code == 302
    export = DataExport.objects.get(user=member.user)
    page = client.get(response["Location"], headers={"Accept": "application/json"}).json()
    assert page["state"] == "queued"
    assert [r.name for r in caplog.records].count("portal.queueing") == 1

    celery_conf(task_always_eager=True)  # the broker is back
    assert requeue_data_exports() == 0  # not yet: its own job may only be late
    DataExport.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert requeue_data_exports() == 1

    page = client.get(f"/mes-donnees/export/{export.pk}/").content.decode()
    assert "Vos données sont prêtes." in page
    assert outbox.last("email", to=member.email).subject == (
        "Vos données sont prêtes à être téléchargées"
    )
    assert requeue_data_exports() == 0
    assert settings.CELERY_BEAT_SCHEDULE["privacy-requeue-data-exports"]["schedule"] <= 60
