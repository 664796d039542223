"""The scaled-out portal (scripts/cluster): HAProxy in front of two gunicorn replicas from two
working folders, two workers and a beat, on PostgreSQL, Redis and SeaweedFS. A member signs in,
sends a document with two files, downloads them and signs out, through the balancer, while
the replicas take turns answering (X-Guichet-Replica).

Started by its own step of .ci/run (GUICHET_CLUSTER_TESTS=1; `make cluster-test`): the cluster
takes a minute to come up, so the two passes of the suite leave it out (tests/conftest.py).
"""

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import Outbox
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = pytest.mark.browser

PORT = int(os.environ.get("CLUSTER_PORT", "8700"))
BASE_URL = f"http://127.0.0.1:{PORT}"
START_SECONDS = 300


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    log = folder / "cluster.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "TEST_STORAGE"}
    }
    env["CLUSTER_DIR"] = str(folder)
    env["DATABASE_URL"] = os.environ.get(
        "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_cluster"
    )
    env["REDIS_URL"] = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/8")
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(Path(settings.BASE_DIR) / "scripts" / "cluster")],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_SECONDS
    while "cluster: ready" not in log.read_text():
        assert process.poll() is None, f"scripts/cluster stopped:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"the cluster did not start:\n{log.read_text()}"
        time.sleep(0.5)
    yield folder
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_replicas_take_turns_answering_through_the_balancer(cluster):
    replicas = []
    for _ in range(4):
        page = f"{BASE_URL}/compte/connexion/"
        with urllib.request.urlopen(page, timeout=10) as response:  # noqa: S310 - http only
            replicas.append(response.headers["X-Guichet-Replica"])
    assert replicas in (["replica-1", "replica-2"] * 2, ["replica-2", "replica-1"] * 2)


def test_a_member_signs_in_sends_two_files_downloads_them_and_signs_out(cluster, browser):
    outbox = Outbox(cluster / "outbox")
    context = browser.new_context(base_url=BASE_URL, locale="fr-FR", accept_downloads=True)
    answered_by = []  # (method, path, replica) of every page and upload
    context.on(
        "response",
        lambda response: (
            answered_by.append(
                (
                    response.request.method,
                    response.url.removeprefix(BASE_URL),
                    response.headers.get("x-guichet-replica"),
                )
            )
            if response.url.startswith(BASE_URL) and "/static/" not in response.url
            else None
        ),
    )
    page = context.new_page()
    page.set_default_timeout(20_000)

    # Sign in with a code by email (demo member Marie MARTIN).
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant").fill("100001")
    page.get_by_label(re.compile(r"^Mot de passe\b")).fill("demo-guichet-2026")
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_label(re.compile("Email à")).check()
    page.get_by_role("button", name="Envoyer le code").click()
    page.get_by_label("Code de sécurité").fill(outbox.last("email").code())
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/$"))

    # Send a document with two files.
    page.get_by_role("link", name=re.compile(r"^Envoyer un document")).first.click()
    page.get_by_label("Type de demande").select_option(label="Facture")
    page.get_by_label("Type de soins").select_option(label="Pharmacie")
    page.get_by_label("Bénéficiaire concerné").select_option(index=1)
    page.get_by_label("Date des soins").fill("02/11/2026")
    page.get_by_label("Montant de la facture (€)").fill("42,80")
    page.set_input_files(
        "input[type=file]",
        files=[
            {"name": "facture.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
            {"name": "ordonnance.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")},
        ],
    )
    page.get_by_role("button", name="Retirer « facture.pdf »").wait_for()
    page.get_by_role("button", name="Retirer « ordonnance.jpg »").wait_for()
    page.get_by_role("button", name="Vérifier le résumé").click()
    page.get_by_role("button", name="Envoyer la demande").click()
    page.get_by_text("La demande a bien été envoyée ! Il n'y a rien de plus à faire.").wait_for()

    # Download both from the request's page, whichever replica answers.
    page.get_by_role("link", name="Échanger avec nous").first.click()
    page.locator(".request-row").first.get_by_role("link").first.click()
    for name, content in (("facture.pdf", pdf_bytes()), ("ordonnance.jpg", image_bytes("JPEG"))):
        with page.expect_download() as download_info:
            page.get_by_role("link", name=f"Télécharger « {name} »").first.click()
        download = download_info.value
        assert download.suggested_filename == name
        assert Path(download.path()).read_bytes() == content

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.get_by_label("Identifiant").wait_for()
    context.close()

    # Every page and upload came from one replica or the other, and both took part: the
    # uploads, the pages and the downloads crossed replicas without losing anything.
    assert {replica for _method, _path, replica in answered_by} == {"replica-1", "replica-2"}
    uploads = [replica for method, path, replica in answered_by if path.startswith("/documents/")]
    assert len(uploads) >= 4  # two uploads, two downloads
    assert set(uploads) == {"replica-1", "replica-2"}
