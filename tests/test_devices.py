"""Issue 14, point 4: "Se souvenir de ce navigateur" is a choice, "Mes appareils et sessions"
lists and removes, and the account's addresses hear of a new browser and of a new space."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SessionActivity, TrustedBrowser
from accounts.sessions import ACTIVITY_AT_KEY, browser_label, ip_prefix
from tests.helpers.clock import a_minute_passes
from tests.helpers.reauth import reauthenticated
from tests.test_signin import TWO_FACTOR, password_step, sign_in

pytestmark = pytest.mark.django_db

DEVICES = reverse("accounts:devices")
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = (
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def _browser(user_agent=FIREFOX, ip="192.168.1.20"):
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


@pytest.fixture
def signed_in(password, outbox, django_capture_on_commit_callbacks):
    """Sign `member` in with a code in `client` (a minute after the previous code), the emails
    it queues sent as after a real commit."""

    def sign(client, member, **kwargs):
        a_minute_passes()
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_in(client, member.user, password, outbox, **kwargs)
        assert response["Location"] == reverse("home"), response
        return client

    return sign


def _new_browser_emails(outbox):
    return [m for m in outbox.all() if m.subject == "Nouvelle connexion à votre espace"]


# -- "Se souvenir de ce navigateur" ------------------------------------------------------------
def test_the_code_step_offers_to_remember_the_browser_unticked(client, member, password, outbox):
    password_step(client, member.member_number, password)
    client.post(TWO_FACTOR, {"action": "send", "device": member.user.codedevice_set.first()
                             .persistent_id})  # fmt: skip
    page = client.get(TWO_FACTOR).content.decode()
    checkbox = re.search(r'<input type="checkbox" name="remember"[^>]*>', page)
    assert checkbox and "checked" not in checkbox.group(0)
    assert "Se souvenir de ce navigateur" in page


def test_a_browser_not_remembered_asks_the_code_again(signed_in, member, password, outbox):
    browser = signed_in(_browser(), member)
    browser.post(reverse("accounts:logout"))
    assert password_step(browser, member.member_number, password)["Location"] == TWO_FACTOR


def test_a_browser_remembered_skips_the_code(signed_in, member, password, outbox):
    browser = signed_in(_browser(), member, remember=True)
    browser.post(reverse("accounts:logout"))
    assert password_step(browser, member.member_number, password)["Location"] == reverse("home")


# -- New browser email -------------------------------------------------------------------------
def test_a_sign_in_from_a_new_browser_emails_the_account(signed_in, member, password, outbox):
    signed_in(_browser(), member)  # the first sign-in of the space
    assert _new_browser_emails(outbox) == []
    signed_in(_browser(CHROME, "10.20.30.40"), member)
    [email] = _new_browser_emails(outbox)
    assert email.to == member.user.email
    assert "Chrome sur Android" in email.text
    assert "adresse 10.20.x.x" in email.text
    assert "10.20.30.40" not in email.text + email.html
    assert "/compte/ce-n-etait-pas-moi/" in email.text


def test_the_same_browser_again_sends_no_email_even_when_not_remembered(
    signed_in, member, password, outbox
):
    browser = signed_in(_browser(), member)
    signed_in(_browser(CHROME), member)
    browser.post(reverse("accounts:logout"))
    signed_in(browser, member)
    assert len(_new_browser_emails(outbox)) == 1


def test_the_address_on_file_is_told_too_when_it_differs(signed_in, member, password, outbox):
    member.email = "adresse.au.dossier@example.org"
    member.save(update_fields=["email"])
    signed_in(_browser(), member)
    signed_in(_browser(CHROME), member)
    assert sorted(m.to for m in _new_browser_emails(outbox)) == sorted(
        [member.user.email, "adresse.au.dossier@example.org"]
    )


# -- "Mes appareils et sessions" ---------------------------------------------------------------
def test_the_page_lists_remembered_browsers_and_open_sessions(signed_in, member, password, outbox):
    mine = signed_in(_browser(), member, remember=True)
    signed_in(_browser(CHROME, "10.20.30.40"), member)
    page = mine.get(DEVICES).content.decode()
    assert "Firefox sur Windows" in page and "Chrome sur Android" in page
    assert "adresse 192.168.x.x" in page and "adresse 10.20.x.x" in page
    assert "192.168.1.20" not in page
    assert page.count(">Retirer<") == 1  # Chrome was not remembered
    assert "Déconnecter les autres sessions" in page


def test_retirer_forgets_the_browser_which_is_then_asked_a_code(
    signed_in, member, password, outbox
):
    mine = signed_in(_browser(), member)
    theirs = signed_in(_browser(CHROME), member, remember=True)
    theirs.post(reverse("accounts:logout"))
    browser = TrustedBrowser.objects.get(user=member.user, remembered=True)
    response = mine.post(reverse("accounts:device_forget", args=[browser.pk]))
    assert response["Location"] == DEVICES
    assert not TrustedBrowser.objects.filter(pk=browser.pk).exists()
    assert password_step(theirs, member.member_number, password)["Location"] == TWO_FACTOR


def test_retirer_and_deconnecter_ask_to_re_authenticate_first(signed_in, member, password, outbox):
    remembered = signed_in(_browser(), member, remember=True)
    remembered.post(reverse("accounts:logout"))
    # Signed in again without a code: the session may not change the account's protections.
    assert password_step(remembered, member.member_number, password)["Location"] == "/"
    browser = TrustedBrowser.objects.get(user=member.user)
    for url in (
        reverse("accounts:device_forget", args=[browser.pk]),
        reverse("accounts:sessions_logout_others"),
    ):
        assert remembered.post(url)["Location"].startswith(reverse("accounts:reauth"))
    assert TrustedBrowser.objects.filter(pk=browser.pk).exists()


def test_another_accounts_browser_cannot_be_removed(
    signed_in, member, other_member, password, outbox
):
    mine = reauthenticated(signed_in(_browser(), member))
    signed_in(_browser(CHROME), other_member, remember=True)
    theirs = TrustedBrowser.objects.get(user=other_member.user)
    assert mine.post(reverse("accounts:device_forget", args=[theirs.pk])).status_code == 404
    assert TrustedBrowser.objects.filter(pk=theirs.pk).exists()


def test_deconnecter_les_autres_sessions_ends_them_and_keeps_mine(
    signed_in, member, password, outbox
):
    mine = signed_in(_browser(), member)
    theirs = signed_in(_browser(CHROME), member)
    response = mine.post(reverse("accounts:sessions_logout_others"))
    assert response["Location"] == DEVICES
    assert theirs.get(reverse("accounts:profile"))["Location"].startswith(reverse("accounts:login"))
    assert mine.get(reverse("accounts:profile")).status_code == 200
    page = mine.get(DEVICES).content.decode()
    assert "Chrome" not in page
    assert "Aucune autre session n'est ouverte." in page


def test_session_activity_is_written_at_most_once_a_minute(signed_in, member, password, outbox):
    mine = signed_in(_browser(), member)
    activity = SessionActivity.objects.get(user=member.user)
    first_seen = activity.last_seen_at
    mine.get(reverse("accounts:profile"))
    activity.refresh_from_db()
    assert activity.last_seen_at == first_seen
    session = mine.session
    session[ACTIVITY_AT_KEY] = time.time() - 61
    session.save()
    mine.get(reverse("accounts:profile"))
    activity.refresh_from_db()
    assert activity.last_seen_at > first_seen


# -- "Ce n'était pas moi" ----------------------------------------------------------------------
def test_the_not_me_link_ends_every_session_and_forgets_every_browser(
    signed_in, member, password, outbox
):
    mine = signed_in(_browser(), member, remember=True)
    signed_in(_browser(CHROME), member)
    link = _new_browser_emails(outbox)[0].link()
    path = link.split("://", 1)[1].split("/", 1)[1]
    stranger = Client()
    page = stranger.get(f"/{path}")
    assert page.status_code == 200
    assert "Fermer toutes les sessions" in page.content.decode()
    assert SessionActivity.objects.filter(user=member.user).count() == 2  # GET changes nothing
    done = stranger.post(f"/{path}").content.decode()
    assert "Toutes les sessions de votre espace ont été fermées" in done
    assert reverse("accounts:password_reset") in done
    assert mine.get(reverse("accounts:profile"))["Location"].startswith(reverse("accounts:login"))
    assert not TrustedBrowser.objects.filter(user=member.user).exists()


def test_a_forged_not_me_link_is_refused(client):
    response = client.get(reverse("accounts:not_me", args=["forged:value"]))
    assert response.status_code == 410
    assert "Ce lien n'est plus valable." in response.content.decode()


# -- Space creation ---------------------------------------------------------------------------
def test_creating_a_space_tells_the_new_and_the_former_address(
    client, outbox, django_capture_on_commit_callbacks
):
    from tests.helpers.signup import card_form, card_holder_record

    record = card_holder_record()
    former = record.email
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), card_form(email="nouvelle@example.org"))
    link = outbox.last("email", to="nouvelle@example.org").link()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    new_password = "une phrase de passe assez longue"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"password1": new_password, "password2": new_password})
    record.refresh_from_db()
    assert record.is_activated
    told = [m for m in outbox.all() if m.subject == "Votre espace a été créé"]
    assert sorted(m.to for m in told) == sorted(["nouvelle@example.org", former])
    assert all("/compte/ce-n-etait-pas-moi/" in m.text for m in told)


# -- What the page shows of a browser -----------------------------------------------------------
@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (FIREFOX, "Firefox sur Windows"),
        (CHROME, "Chrome sur Android"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Safari/605.1.15",
            "Safari sur macOS",
        ),  # fmt: skip
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge sur Windows",
        ),  # fmt: skip
        ("", "Navigateur inconnu"),
    ],
)
def test_browser_labels(user_agent, label):
    assert browser_label(user_agent) == label


def test_only_the_first_bytes_of_an_address_are_kept():
    assert ip_prefix("192.168.12.34") == "192.168.x.x"
    assert ip_prefix("2001:db8:85a3::8a2e:370:7334") == "2001:db8:x:x:…"
    assert ip_prefix("not an address") == ""


def test_the_hourly_purge_forgets_what_was_noted_of_ended_sessions(member, settings):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tasks import purge_expired

    now = timezone.now()
    old = SessionActivity.objects.create(
        session_key="a" * 32,
        user=member.user,
        last_seen_at=now - timedelta(seconds=settings.SESSION_MAX_AGE_SECONDS + 60),
    )
    recent = SessionActivity.objects.create(session_key="b" * 32, user=member.user,
                                            last_seen_at=now)  # fmt: skip
    purge_expired.delay()
    assert not SessionActivity.objects.filter(pk=old.pk).exists()
    assert SessionActivity.objects.filter(pk=recent.pk).exists()
