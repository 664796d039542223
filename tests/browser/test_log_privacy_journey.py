"""Issue 19: the logs written while a member uses the portal carry none of their personal data.

A member writes a message (the FAQ suggestions follow what they type), asks the virtual advisor
a question it cannot answer and follows "Écrire à nos conseillers", then looks for a dentist
"Autour de moi". Everything logged meanwhile (every logger, at DEBUG) and the access log the
production server would write (gunicorn's format from deploy/gunicorn.conf.py, rendered for
every request the browser made) is then scanned for the member's names, email, NIR, IBAN, what
they typed and their precise position."""

import datetime
import importlib.util
import io
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from playwright.sync_api import expect

from directory.models import Specialty
from support.demo import demo_support_load
from tests.browser.conftest import open_signed_in
from tests.test_locator import _pro

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IBAN = "FR76 3000 6000 0112 3456 7890 189"
NIR = "2 84 05 33 063 042 55"
TYPED = f"Je suis diabétique depuis mars, mon IBAN est {IBAN} et mon NIR {NIR}, merci"
QUESTION = "Mon fils Lucas a une angine blanche, que faire ?"
POSITION = {"latitude": 44.837812, "longitude": -0.579213}


@pytest.fixture(autouse=True)
def _patient_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def _access_logger():
    """gunicorn's access log, formatted as deploy/gunicorn.conf.py says."""
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    path = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = Config()
    config.set("access_log_format", module.access_log_format)
    return config, Logger(config)


@pytest.fixture
def web_log(live_server):
    """Everything the web process logs during the test, the access log included."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    config, access = _access_logger()
    httpd = live_server.thread.httpd
    application = httpd.get_app()

    def logged(environ, start_response):
        seen = {}

        def start(status, headers, exc_info=None):
            seen["status"] = status
            return start_response(status, headers, exc_info)

        result = application(environ, start)
        try:
            body = list(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        query = environ.get("QUERY_STRING", "")
        environ.setdefault("RAW_URI", environ["PATH_INFO"] + (f"?{query}" if query else ""))
        response = SimpleNamespace(
            status=seen.get("status", "500"), headers=[], response_length=0, sent=0
        )
        request = SimpleNamespace(headers=[("REFERER", environ.get("HTTP_REFERER", ""))])
        atoms = access.atoms(response, request, environ, datetime.timedelta(milliseconds=1))
        stream.write(config.access_log_format % access.atoms_wrapper_class(atoms) + "\n")
        return body

    httpd.set_app(logged)
    yield stream
    httpd.set_app(application)
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_members_journey_leaves_no_personal_data_in_the_logs(
    new_page, live_server, member, web_log
):
    demo_support_load()
    _pro("Dr Jeanne LEROY", "33000", "Bordeaux", tiers_payant=True)
    member.nir = "284053306304255"
    member.save(update_fields=["nir"])

    # A message: the FAQ suggestions follow what is typed (posted, never in a URL).
    page = open_signed_in(new_page, live_server, member.user, "/messagerie/ecrire/")
    with page.expect_response(re.compile(r"/aide/faq/suggestions/$")) as suggested:
        page.get_by_label("Votre message").press_sequentially("Ma carte de tiers payant : " + TYPED)
    assert suggested.value.request.method == "POST"
    assert TYPED not in suggested.value.url

    # The advisor, without an answer, hands the question to the contact form.
    page.goto("/aide/conseiller/")
    page.locator("main").get_by_label("Votre question").fill(QUESTION)
    page.locator("main").get_by_role("button", name=re.compile("Envoyer|Poser")).click()
    page.get_by_role("link", name="Écrire à nos conseillers").last.click()
    page.wait_for_url(re.compile(r"/contact/$"))
    expect(page.get_by_label("Votre message")).to_have_value(QUESTION)

    # "Autour de moi": the position reaches the URL rounded.
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(POSITION)
    page.goto("/professionnels-de-sante/")
    page.get_by_label("Spécialité").select_option(value=Specialty.DENTIST)
    page.get_by_role("button", name="Autour de moi").click()
    page.wait_for_url(re.compile(r"lat="))
    assert "lat=44.84" in page.url and "lon=-0.58" in page.url

    log = web_log.getvalue()
    assert "/aide/faq/suggestions/" in log and "/contact/" in log  # the requests were logged
    for secret in (
        member.first_name,
        member.last_name,
        member.email,
        member.nir,
        NIR,
        IBAN,
        IBAN.replace(" ", ""),
        "diabétique",
        "angine",
        "44.8378",
        "0.5792",
    ):
        assert secret not in log, f"{secret!r} in the logs"
