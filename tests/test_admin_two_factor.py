"""The administration (/gestion/) needs an active staff account that passed a second factor."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.urls import path, reverse

from accounts.admin_site import require_second_factor
from portal import urls as portal_urls
from tests.test_signin import sign_in

# The real site gets require_second_factor() in portal/urls.py; here a copy of it with the same
# registrations, so that these tests do not depend on that line nor change the shared site.
site = AdminSite(name="admin")
for model, model_admin in admin.site._registry.items():
    site.register(model, type(model_admin))
require_second_factor(site)

urlpatterns = [
    pattern for pattern in portal_urls.urlpatterns if str(pattern.pattern) != "gestion/"
] + [path("gestion/", site.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

INDEX = "/gestion/"


def _follow_to_sign_in(client, url):
    """Follow the admin's redirects; return where the person is asked to sign in, if anywhere."""
    response = client.get(url)
    while response.status_code == 302 and not response.url.startswith("/compte/connexion/"):
        response = client.get(response.url)
    return response


def test_an_anonymous_visitor_is_sent_to_our_sign_in_page_and_back(client, db):
    response = _follow_to_sign_in(client, INDEX)
    assert response.status_code == 302
    target = urlparse(response.url)
    assert target.path == reverse("accounts:login")
    assert parse_qs(target.query)["next"] == [INDEX]


def test_the_admin_login_form_is_never_shown(client, db):
    response = client.get("/gestion/login/?next=/gestion/auth/group/")
    assert response.status_code == 302
    assert response.url == "/compte/connexion/?next=%2Fgestion%2Fauth%2Fgroup%2F"


def test_the_admin_login_ignores_a_next_page_on_another_site(client, db):
    response = client.get("/gestion/login/?next=https://evil.example/")
    assert response.url == "/compte/connexion/?next=%2Fgestion%2F"


def test_it_refuses_a_staff_session_without_a_second_factor(client, insurer_manager):
    client.force_login(insurer_manager)
    response = _follow_to_sign_in(client, INDEX)
    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/")


def test_it_accepts_an_insurer_manager_who_passed_a_second_factor(
    client, insurer_manager, password, outbox
):
    response = sign_in(client, insurer_manager, password, outbox, channel="email")
    assert response.url == "/gestion/"
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "Site d’administration" in response.content.decode()


def test_the_sign_in_goes_back_to_the_admin_page_asked_for(
    client, insurer_manager, password, outbox
):
    asked = _follow_to_sign_in(client, "/gestion/auth/group/")
    next_url = parse_qs(urlparse(asked.url).query)["next"][0]
    response = client.post(
        "/compte/connexion/",
        {"identifier": insurer_manager.email, "password": password, "next": next_url},
    )
    device = insurer_manager.codedevice_set.get()
    client.post("/compte/connexion/code/", {"action": "send", "device": device.persistent_id})
    response = client.post(
        "/compte/connexion/code/", {"action": "verify", "code": outbox.last("email").code()}
    )
    assert response.url == "/gestion/auth/group/"
    assert client.get(response.url).status_code == 200


def test_it_refuses_a_verified_account_that_is_not_staff(client, member, password, outbox):
    sign_in(client, member.user, password, outbox)
    response = _follow_to_sign_in(client, INDEX)
    assert response.status_code == 404


def test_it_refuses_a_deactivated_staff_account(client, insurer_manager, password, outbox):
    sign_in(client, insurer_manager, password, outbox, channel="email")
    insurer_manager.is_staff = False
    insurer_manager.save()
    assert _follow_to_sign_in(client, INDEX).status_code == 404


def test_applying_it_twice_changes_nothing(db):
    assert require_second_factor(site) is site
    assert site.login.__name__ == "login"
