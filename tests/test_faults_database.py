"""Pages while the database refuses connections (issue 19): the French 503 page for every
error of that kind, a session that could not be saved included, and one log line per failed
request (the traceback once a minute per kind), so that an outage cannot fill a disk."""

import io
import logging

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils.module_loading import import_string

from portal.views import bad_request
from tests.helpers.database import refusing_connections

UNAVAILABLE = "Service momentanément indisponible"


@pytest.fixture
def database_down(transactional_db):
    with refusing_connections():
        yield


def _browser():
    return Client(raise_request_exception=False)


def test_an_anonymous_page_gets_the_french_503_page(database_down):
    response = _browser().get("/")

    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert response["Retry-After"] == "30"


def test_a_signed_in_member_gets_the_503_page_not_a_500(member, transactional_db):
    browser = _browser()
    browser.force_login(member.user)
    with refusing_connections():
        for url in ("/", "/compte/connexion/", "/mes-demandes/"):
            response = browser.get(url)
            assert response.status_code == 503, url
            assert UNAVAILABLE in response.content.decode()
        response = browser.post("/compte/connexion/", {"identifier": "x", "password": "y"})
        assert response.status_code == 503


def test_a_session_that_could_not_be_saved_gets_the_503_page_not_a_bare_400():
    try:
        try:
            try:
                raise OperationalError("connection refused")
            except OperationalError as exc:
                raise UpdateError from exc
        except UpdateError:  # as django.contrib.sessions.middleware raises it
            raise SessionInterrupted("The request's session was deleted.")  # noqa: B904
    except SessionInterrupted as interrupted:
        response = bad_request(RequestFactory().get("/"), interrupted)

    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()


def test_other_bad_requests_keep_a_french_400_page():
    response = bad_request(RequestFactory().get("/"), SessionInterrupted("deleted elsewhere"))
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()


def test_an_outage_logs_one_line_per_request_and_the_traceback_once(database_down, settings):
    # The console handler's filter, as settings.LOGGING configures it, on a stream we read.
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(import_string(settings.LOGGING["filters"]["traceback_once"]["()"])())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        browser = _browser()
        for _request in range(20):
            assert browser.get("/").status_code == 503
    finally:
        logger.removeHandler(handler)

    log = stream.getvalue()
    failed = [line for line in log.splitlines() if line.startswith("Service Unavailable: /")]
    assert len(failed) == 20
    assert "OperationalError" in failed[-1]
    assert log.count("Traceback (most recent call last)") <= 1
    assert len(log.splitlines()) < 20 + 120  # one traceback at most, not twenty
