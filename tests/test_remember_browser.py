"""Guide 003: the second factor is asked on a new browser, a new IP, after 3 months away."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.models import TrustedBrowser, User
from accounts.remember import COOKIE_SALT
from accounts.services.passwords import user_set_password
from tests.helpers.clock import a_minute_passes
from tests.test_signin import TWO_FACTOR, password_step, sign_in, signed_in_user_id

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une toute autre phrase de passe"


@pytest.fixture
def remembered(client, member, password, outbox):
    """`member` passed a second factor in this browser, then signed out."""
    sign_in(client, member.user, password, outbox, remember=True)
    client.post(reverse("accounts:logout"))
    return client


def _cookie(client, settings):
    return client.cookies[settings.REMEMBER_BROWSER_COOKIE]


def test_a_second_factor_remembers_the_browser_with_a_safe_cookie(
    client, member, password, outbox, settings
):
    response = sign_in(client, member.user, password, outbox, remember=True)
    cookie = response.cookies[settings.REMEMBER_BROWSER_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]
    assert int(cookie["max-age"]) == 90 * 24 * 3600
    browser = TrustedBrowser.objects.get(user=member.user)
    assert browser.last_ip == "127.0.0.1"
    assert len(browser.key_hash) == 64
    key = signing.loads(cookie.value, salt=COOKIE_SALT)["k"]
    assert key not in browser.key_hash


def test_the_cookie_is_secure_when_the_setting_says_so(client, member, password, outbox, settings):
    settings.REMEMBER_BROWSER_COOKIE_SECURE = True
    response = sign_in(client, member.user, password, outbox, remember=True)
    assert response.cookies[settings.REMEMBER_BROWSER_COOKIE]["secure"] is True


def test_the_same_browser_and_ip_skip_the_second_factor(remembered, member, password, outbox):
    sent = outbox.count()
    response = password_step(remembered, member.member_number, password)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(remembered) == str(member.user.pk)
    # The session still counts as verified, by the device used last time.
    assert remembered.session["otp_device_id"].startswith("accounts.codedevice/")
    assert outbox.count() == sent


def test_a_skipped_second_factor_still_needs_the_right_password(remembered, member):
    response = password_step(remembered, member.member_number, "not the password at all")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert signed_in_user_id(remembered) is None


def test_the_cookie_of_another_member_does_not_skip_it(remembered, other_member, password):
    response = password_step(remembered, other_member.member_number, password)
    assert response.url == TWO_FACTOR
    assert signed_in_user_id(remembered) is None


def test_two_members_sharing_a_browser_each_get_remembered(
    remembered, member, other_member, password, outbox
):
    assert sign_in(remembered, other_member.user, password, outbox, remember=True)
    remembered.post(reverse("accounts:logout"))
    # One cookie per browser: the last member who passed a second factor here.
    assert password_step(remembered, other_member.member_number, password).url == reverse("home")
    remembered.post(reverse("accounts:logout"))
    assert password_step(remembered, member.member_number, password).url == TWO_FACTOR


def test_a_new_ip_address_asks_again(remembered, member, password, outbox):
    response = password_step(remembered, member.member_number, password, REMOTE_ADDR="10.1.2.3")
    assert response.url == TWO_FACTOR
    a_minute_passes()  # the first code was sent a minute ago
    response = sign_in(
        remembered, member.user, password, outbox, remember=True, REMOTE_ADDR="10.1.2.3"
    )
    assert response.url == reverse("home")
    assert TrustedBrowser.objects.get(user=member.user).last_ip == "10.1.2.3"


def test_three_months_without_signing_in_asks_again(remembered, member, password):
    User.objects.filter(pk=member.user.pk).update(last_login=timezone.now() - timedelta(days=91))
    assert password_step(remembered, member.member_number, password).url == TWO_FACTOR


def test_a_sign_in_less_than_three_months_ago_is_enough(remembered, member, password):
    User.objects.filter(pk=member.user.pk).update(last_login=timezone.now() - timedelta(days=89))
    assert password_step(remembered, member.member_number, password).url == reverse("home")


def test_a_password_change_kills_the_cookie(remembered, member):
    user_set_password(user=member.user, password=NEW_PASSWORD)
    assert not TrustedBrowser.objects.filter(user=member.user).exists()
    assert password_step(remembered, member.member_number, NEW_PASSWORD).url == TWO_FACTOR


def test_a_password_changed_elsewhere_kills_the_cookie_too(remembered, member):
    # A password set without the service (admin, shell) leaves the row, but the cookie is bound
    # to the password.
    user = member.user
    user.set_password(NEW_PASSWORD)
    user.save()
    assert TrustedBrowser.objects.filter(user=user).exists()
    assert password_step(remembered, member.member_number, NEW_PASSWORD).url == TWO_FACTOR


def test_a_forgotten_browser_row_asks_again(remembered, member, password):
    TrustedBrowser.objects.filter(user=member.user).delete()
    assert password_step(remembered, member.member_number, password).url == TWO_FACTOR


def test_a_tampered_cookie_asks_again(remembered, member, password, settings):
    cookie = _cookie(remembered, settings)
    remembered.cookies[settings.REMEMBER_BROWSER_COOKIE] = cookie.value[:-2] + "xx"
    assert password_step(remembered, member.member_number, password).url == TWO_FACTOR


def test_a_cookie_older_than_its_lifetime_asks_again(remembered, member, password, settings):
    settings.REMEMBER_BROWSER_DAYS = 0
    assert password_step(remembered, member.member_number, password).url == TWO_FACTOR


def test_a_removed_channel_asks_again(remembered, member, password):
    member.user.codedevice_set.all().delete()
    assert password_step(remembered, member.member_number, password).url == TWO_FACTOR


def test_an_insurer_manager_always_passes_a_second_factor(
    client, insurer_manager, password, outbox, settings
):
    response = sign_in(client, insurer_manager, password, outbox, channel="email", remember=True)
    assert settings.REMEMBER_BROWSER_COOKIE not in response.cookies
    assert not TrustedBrowser.objects.filter(user=insurer_manager).exists()
    client.post(reverse("accounts:logout"))
    assert password_step(client, insurer_manager.username, password).url == TWO_FACTOR


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_compared(rf, settings):
    from accounts.remember import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "10.0.0.2"
    settings.USE_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.0.113.9"
