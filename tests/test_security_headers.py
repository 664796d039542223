"""Every kind of page, served with the production settings (`HTTPS=1`) behind the TLS proxy,
carries a strict Content-Security-Policy and the other security headers, and grades A+ as the
HTTP Observatory scores it (issue 17, point 5); CSP reports are logged without personal data."""

import json
import logging
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.helpers.database import refusing_connections
from tests.helpers.headers import (
    cookies_set,
    csp_directives,
    grade,
    observatory_score,
    production_settings,
)
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

REPORT = reverse("portal:csp_report")


@pytest.fixture
def production(settings):
    for name, value in production_settings().items():
        setattr(settings, name, value)
    return settings


def _browser(**options) -> Client:
    """A browser behind the TLS proxy: the portal sees HTTPS as it does in production."""
    return Client(headers={"X-Forwarded-Proto": "https"}, **options)


def _signed_in(user) -> Client:
    client = _browser()
    _sign_in(client, user)
    return client


def assert_hardened(response, *, admin: bool = False, personal: bool = False) -> None:
    page = response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    directives = csp_directives(policy)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["report-uri"] == [REPORT]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    nonces = [s for s in directives["script-src"] if s.startswith("'nonce-")]
    if admin:
        # Django's admin loads its own files with plain <script src>: our origin, no inline.
        assert "'self'" in directives["script-src"]
    else:
        # Scripts by nonce only: each <script> of the page carries the one of the header.
        assert directives["script-src"] == nonces and len(nonces) == 1
        scripts = re.findall(r"<script\b[^>]*>", page)
        for tag in scripts:
            assert f'nonce="{nonces[0][7:-1]}"' in tag, tag
        for tag in re.findall(r"<style\b[^>]*>", page):
            nonce = re.search(r'nonce="([^"]+)"', tag)
            assert nonce and f"'nonce-{nonce.group(1)}'" in directives["style-src"], tag
        assert not re.search(r"<[^>]+\sstyle=", page), "a style attribute"
        assert not re.search(r"<[^>]+\son[a-z]+=", page), "an inline event handler"

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=(self)" in response["Permissions-Policy"]
    if personal:
        assert "no-store" in response["Cache-Control"]
    for cookie in cookies_set(response):
        assert cookie["secure"] and cookie["samesite"] == "Lax", cookie
    score, notes = observatory_score(response, session_cookie=django_settings.SESSION_COOKIE_NAME)
    assert grade(score) == "A+", notes


# -- Every page type ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/compte/connexion/",
        "/compte/creer-mon-espace/",
        "/informations/accessibilite/",
        "/plan-du-site/",
        "/compte/activer-mon-espace/",
    ],
)
def test_public_pages_are_hardened(production, path):
    response = _browser().get(path)
    assert response.status_code == 200
    assert_hardened(response)


def test_the_sign_in_page_sets_cookies_only_secure_httponly_and_samesite(production, member):
    browser = _browser()
    response = browser.post(
        "/compte/connexion/", {"username": member.member_number, "password": "faux"}
    )
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert_hardened(response)
    jar = browser.cookies
    assert jar[django_settings.CSRF_COOKIE_NAME]["secure"]
    assert jar[django_settings.LANGUAGE_COOKIE_NAME]["secure"]
    assert jar[django_settings.LANGUAGE_COOKIE_NAME]["httponly"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/demandes/",
        "/demandes/envoyer-un-document/",
        "/demandes/remboursement/",
        "/compte/mes-informations/",
        "/remboursements/",
        "/mes-donnees/",
    ],
)
def test_member_pages_are_hardened_and_never_stored(production, member, path):
    response = _signed_in(member.user).get(path, follow=True)
    assert response.status_code == 200
    assert_hardened(response, personal=True)


def test_the_attachments_widget_loads_its_script_with_the_pages_nonce(production, member):
    page = _signed_in(member.user).get("/demandes/envoyer-un-document/").content.decode()
    assert re.search(r'<script src="/static/js/uploader\.js" nonce="[^"]+" defer>', page)
    assert "data-uploader" in page


@pytest.mark.parametrize(
    "path",
    [
        reverse("partners:home"),
        reverse("partners:history"),
        reverse("partners:new", args=["contacter-votre-organisme"]),
    ],
)
def test_partner_pages_are_hardened_and_never_stored(production, technician, convention, path):
    from partners.selectors import SESSION_ORGANISM

    client = _signed_in(technician)
    session = client.session
    session[SESSION_ORGANISM] = convention.organism_id
    session.save()
    response = client.get(path)
    assert response.status_code == 200
    assert_hardened(response, personal=True)


@pytest.mark.parametrize(
    "path", ["/gestion/", "/gestion/requests_app/memberrequest/", "/gestion/accounts/member/"]
)
def test_admin_pages_are_hardened_with_no_inline_script(production, insurer_manager, path):
    response = _signed_in(insurer_manager).get(path)
    assert response.status_code == 200
    assert_hardened(response, admin=True, personal=True)


# -- Error pages -------------------------------------------------------------------------------
def test_the_404_page_is_hardened(production):
    response = _browser().get("/nulle-part/")
    assert response.status_code == 404
    assert_hardened(response)


def test_the_expired_form_page_is_hardened(production):
    response = _browser(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert_hardened(response)


def test_the_500_page_is_hardened_and_styled_from_a_static_file(production):
    production.ROOT_URLCONF = "tests.helpers.failing_urls"
    response = _browser(raise_request_exception=False).get("/panne/")
    assert response.status_code == 500
    assert_hardened(response)
    assert 'href="/static/css/errors.css"' in response.content.decode()


def test_the_503_page_is_hardened_while_the_database_is_down(production, transactional_db):
    with refusing_connections():
        response = _browser(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert_hardened(response)


# -- Sign-out --------------------------------------------------------------------------------
def test_signing_out_clears_the_site_data_but_keeps_the_remembered_browser(production, member):
    client = _signed_in(member.user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]
    assert "Clear-Site-Data" not in client.get("/").headers


# -- Violation reports -------------------------------------------------------------------------
def _report(**fields) -> dict:
    return {
        "csp-report": {
            "document-uri": "https://portal.example.org/demandes/?q=Marie+MARTIN",
            "violated-directive": "script-src-elem",
            "effective-directive": "script-src-elem",
            "blocked-uri": "https://evil.example/x.js?who=marie.martin@example.org",
            "source-file": "https://portal.example.org/demandes/",
            "line-number": 12,
            "script-sample": "alert('Marie MARTIN')",
            **fields,
        }
    }


def test_a_violation_report_is_logged_without_personal_data(caplog):
    browser = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = browser.post(
            REPORT, json.dumps(_report()), content_type="application/csp-report"
        )

    assert response.status_code == 204
    assert caplog.messages == [
        "CSP violation: directive=script-src-elem blocked=https://evil.example/x.js "
        "page=https://portal.example.org/demandes/ source=https://portal.example.org/demandes/ "
        "line=12"
    ]
    assert "MARTIN" not in caplog.text and "marie" not in caplog.text


def test_reports_of_the_reporting_api_are_logged_too(caplog):
    body = [{"type": "csp-violation", "body": {"effectiveDirective": "style-src-attr",
             "blockedURL": "inline", "documentURL": "https://portal.example.org/"}}]  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = Client().post(REPORT, json.dumps(body), content_type="application/reports+json")
    assert response.status_code == 204
    assert "directive=style-src-attr blocked=inline page=https://portal.example.org/" in (
        caplog.text
    )


def test_an_oversized_or_malformed_report_is_refused_and_not_logged(caplog):
    huge = json.dumps(_report(**{"script-sample": "x" * 20_000}))
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        assert Client().post(REPORT, huge, content_type="application/json").status_code == 413
        assert Client().post(REPORT, "{", content_type="application/json").status_code == 400
        assert Client().post(REPORT, "[1]", content_type="application/json").status_code == 204
    assert [r for r in caplog.records if r.name == "portal.csp"] == []


def test_the_report_endpoint_only_takes_posts():
    assert Client().get(REPORT).status_code == 405
