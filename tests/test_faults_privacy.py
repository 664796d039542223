"""What members type stays out of URLs and access logs (issue 19): the FAQ suggestions are
posted, the locator rounds a position before it reaches a URL, and gunicorn's access log keeps
paths without their query strings."""

import datetime
import importlib.util
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from gunicorn.config import Config
from gunicorn.glogging import Logger

pytestmark = pytest.mark.django_db

TYPED = "Marie MARTIN, diabète, IBAN FR76 3000 6000 0112 3456 7890 189"


def _gunicorn_config() -> Config:
    path = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = Config()
    config.set("access_log_format", module.access_log_format)
    return config


def test_the_access_log_keeps_the_path_without_the_query_string():
    config = _gunicorn_config()
    logger = Logger(config)
    query = "q=Marie+MARTIN+diab%C3%A8te&lat=44.83781&lon=-0.57918"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/annuaire/?{query}",
        "PATH_INFO": "/annuaire/",
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": f"https://guichet.example/aide/faq/?{query}",
    }
    response = SimpleNamespace(status="200 OK", headers=[], response_length=1234, sent=1234)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=12))

    line = config.access_log_format % logger.atoms_wrapper_class(atoms)

    assert '"GET /annuaire/ HTTP/1.1" 200 1234' in line
    for secret in ("Marie", "MARTIN", "diab", "44.83", "-0.57", "q="):
        assert secret not in line


def test_faq_suggestions_are_posted_never_read_from_the_url(signed_in_member):
    assert signed_in_member.get("/aide/faq/suggestions/", {"q": TYPED}).status_code == 405
    response = signed_in_member.post("/aide/faq/suggestions/", {"q": TYPED})
    assert response.status_code == 200
    assert "results" in response.json()


def test_the_suggestions_script_posts_what_is_typed():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "faq_suggest.js").read_text()
    assert 'method: "POST"' in script
    assert '"q=" + encodeURIComponent' not in script


def test_the_locator_rounds_a_position_to_about_a_kilometre(signed_in_member):
    script = (Path(settings.BASE_DIR) / "static" / "js" / "locator.js").read_text()
    assert "latitude.toFixed(2)" in script and "longitude.toFixed(2)" in script
    # A wider search offered from a precise position keeps it rounded in its link.
    response = signed_in_member.get(
        "/professionnels-de-sante/", {"specialite": "dentist", "lat": "45.77721", "lon": "3.08702"}
    )
    page = response.content.decode()
    assert "Chercher à moins de" in page
    wider = re.search(r'href="([^"]*rayon=[^"]*)"', page).group(1)
    assert "lat=45.78&amp;lon=3.09" in wider
