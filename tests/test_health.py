"""/health/: what a load balancer or an operator reads to know the portal can do its job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import WorkerHeartbeat


def _beat(age=timedelta(0)):
    WorkerHeartbeat.objects.create(hostname="worker@test", last_seen=timezone.now() - age)


@pytest.mark.django_db
def test_it_answers_503_when_no_worker_has_ever_reported(client):
    response = client.get("/health/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "error",
        "checks": {
            "database": "ok",
            "broker": "ok",
            "worker": "error: no heartbeat",
            "storage": "ok",
            "email": "ok",
        },
    }


@pytest.mark.django_db
def test_it_answers_200_when_the_database_the_broker_and_a_worker_answer(client):
    _beat(timedelta(seconds=30))

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "broker": "ok",
            "worker": "ok",
            "storage": "ok",
            "email": "ok",
        },
    }


@pytest.mark.django_db
def test_it_answers_503_when_the_last_heartbeat_is_too_old(client, settings):
    _beat(settings.WORKER_HEARTBEAT_MAX_AGE + timedelta(seconds=1))

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "error: no heartbeat"


@pytest.mark.django_db
def test_it_answers_503_quickly_when_the_broker_does_not_answer(client, celery_conf):
    _beat()
    celery_conf(broker_url="redis://127.0.0.1:1/0", broker_transport_options={})

    started = timezone.now()
    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error: ")
    assert response.json()["checks"]["database"] == "ok"
    assert timezone.now() - started < timedelta(seconds=5)


@pytest.mark.django_db
def test_it_answers_503_when_the_file_system_broker_folders_are_missing(
    client, celery_conf, tmp_path
):
    _beat()
    missing = tmp_path / "nowhere"
    celery_conf(
        broker_url="filesystem://",
        broker_transport_options={
            "data_folder_in": str(missing),
            "data_folder_out": str(missing),
            "control_folder": str(missing),
        },
    )

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "error: data_folder_in missing"


@pytest.mark.django_db
def test_it_is_not_cached(client):
    response = client.get("/health/")

    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_stays_reachable_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    _beat()

    assert client.get("/").status_code == 301
    assert client.get("/health/").status_code == 200


@pytest.mark.django_db
def test_it_answers_head_requests_as_load_balancers_send_them(client):
    _beat()

    assert client.head("/health/").status_code == 200


@pytest.mark.django_db
def test_it_refuses_to_be_posted_to(client):
    assert client.post("/health/").status_code == 405


# -- Each component on its own (issue 19) ----------------------------------------------------
@pytest.mark.django_db
def test_it_reports_an_upload_folder_that_cannot_be_written(client, read_only_media):
    _beat()

    response = client.get("/health/")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["storage"].startswith("error: ")
    assert checks["database"] == checks["worker"] == checks["email"] == "ok"


@pytest.mark.django_db
def test_it_asks_the_smtp_relay_for_a_noop(client, smtp_sink):
    _beat()

    assert client.get("/health/").json()["checks"]["email"] == "ok"


@pytest.mark.django_db
def test_it_reports_a_relay_that_does_not_answer(client, smtp_down):
    _beat()

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["email"] == "error: ConnectionRefusedError"
    assert response.json()["checks"]["worker"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_a_database_outage_does_not_mark_the_worker_down(client, settings):
    from tests.helpers.database import refusing_connections

    _beat()
    with refusing_connections():
        response = client.get("/health/")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"].startswith("error: ")
    assert checks["worker"] == "unknown: database unavailable"
    assert checks["broker"] == checks["storage"] == "ok"
