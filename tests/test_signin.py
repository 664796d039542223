import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_STARTED_KEY
from accounts.models import CodeDevice, LoginThrottle
from accounts.services.signin import login_throttle_key
from accounts.views.signin import PENDING_KEY
from tests.factories import UserFactory
from tests.helpers.clock import a_minute_passes

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")
WRONG = "not the right password at all"


# -- Helpers shared by the sign-in test modules ----------------------------------------------
def password_step(client, identifier, password, next_url="", **extra):
    data = {"identifier": identifier, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, **extra)


def send_code(client, user, channel="sms", **extra):
    device = CodeDevice.objects.get(user=user, channel=channel, confirmed=True)
    return client.post(TWO_FACTOR, {"action": "send", "device": device.persistent_id}, **extra)


def enter_code(client, code, remember=False, **extra):
    data = {"action": "verify", "code": code}
    if remember:
        data["remember"] = "on"  # "Se souvenir de ce navigateur"
    return client.post(TWO_FACTOR, data, **extra)


def sign_in(
    client, user, password, outbox, channel="sms", identifier=None, remember=False, **extra
):
    """The whole journey: password, code received by `channel`, "Se souvenir de ce navigateur"
    ticked if `remember`, "Continuer"."""
    response = password_step(client, identifier or user.username, password, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    if response.url != TWO_FACTOR:
        return response  # second factor skipped
    send_code(client, user, channel, **extra)
    return enter_code(client, outbox.last(channel).code(), remember=remember, **extra)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def lift_code_throttle(device):
    # django-otp waits 1, 2, 4... seconds after each failure: lift it so that only the
    # 5-attempt rule of accounts.codes is at work.
    CodeDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def page_without_token(response) -> str:
    html = response.content.decode()
    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", html)


# -- Password step ---------------------------------------------------------------------------
def test_the_sign_in_page_offers_the_forgotten_password_link(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Me connecter" in page
    assert "Mot de passe oublié ?" in page
    assert reverse("accounts:password_reset") in page


def test_an_unknown_member_number_gives_the_same_page_as_a_wrong_password(client, member):
    wrong_password = password_step(client, member.member_number, WRONG)
    unknown = password_step(client, "999999", WRONG)
    assert wrong_password.status_code == unknown.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in wrong_password.content.decode()
    assert page_without_token(wrong_password).replace(
        member.member_number, "X"
    ) == page_without_token(unknown).replace("999999", "X")


def test_it_keeps_the_identifier_typed_after_a_wrong_password(client, member):
    response = password_step(client, member.member_number, WRONG)
    assert f'value="{member.member_number}"' in response.content.decode()
    assert WRONG not in response.content.decode()


def test_empty_fields_are_shown_next_to_each_field(client, db):
    response = client.post(LOGIN, {"identifier": "", "password": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "id_identifier_error" in page
    assert "id_password_error" in page


def test_the_password_alone_does_not_sign_in(client, member, password):
    response = password_step(client, member.member_number, password)
    assert response.status_code == 302
    assert response.url == TWO_FACTOR
    assert signed_in_user_id(client) is None
    assert client.get(reverse("home")).context["user"].is_anonymous


def test_the_email_address_is_an_identifier_too(client, member, password):
    response = password_step(client, member.email.upper(), password)
    assert response.url == TWO_FACTOR


def test_the_eleventh_attempt_is_delayed_even_with_the_right_password(client, member, password):
    for _attempt in range(10):
        response = password_step(client, member.member_number, WRONG)
        assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    response = password_step(client, member.member_number, password)
    assert response.status_code == 200
    assert "Patientez 1 minute avant de réessayer" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_an_unknown_identifier_is_delayed_exactly_like_a_known_one(client, db):
    for _attempt in range(10):
        password_step(client, "  Inconnu@Example.org ", WRONG)
    response = password_step(client, "inconnu@example.org", WRONG)
    assert "Patientez 1 minute" in response.content.decode()
    throttle = LoginThrottle.objects.get()
    assert throttle.key.startswith(login_throttle_key("inconnu@example.org")[:32])
    assert "inconnu" not in throttle.key


def test_the_delay_grows_with_each_further_failure(client, member):
    for _attempt in range(10):
        password_step(client, member.member_number, WRONG)
    throttle = LoginThrottle.objects.get()
    LoginThrottle.objects.filter(pk=throttle.pk).update(blocked_until=timezone.now())
    password_step(client, member.member_number, WRONG)  # 11th failure
    response = password_step(client, member.member_number, WRONG)
    assert "Patientez 2 minutes" in response.content.decode()


def test_a_success_after_the_delay_resets_the_count(client, member, password):
    for _attempt in range(10):
        password_step(client, member.member_number, WRONG)
    LoginThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))
    response = password_step(client, member.member_number, password)
    assert response.url == TWO_FACTOR
    assert not LoginThrottle.objects.exists()


def test_an_inactive_account_is_refused_with_the_same_message(client, member, password):
    member.user.is_active = False
    member.user.save()
    response = password_step(client, member.member_number, password)
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


# -- Second factor ---------------------------------------------------------------------------
def test_it_lists_the_verified_channels_with_masked_destinations(client, member, password):
    CodeDevice.objects.create(
        user=member.user, name="new", channel="sms", target="+33699999999", confirmed=False
    )
    password_step(client, member.member_number, password)
    page = client.get(TWO_FACTOR).content.decode()
    assert "Envoyer le code" in page
    assert "SMS au ••••••••••78" in page
    assert "Email à m" in page
    assert member.email not in page
    assert "+33612345678" not in page
    assert "••••••••••99" not in page  # a channel still being verified is not offered


def test_a_code_received_by_sms_signs_in(client, member, password, outbox):
    password_step(client, member.member_number, password)
    anonymous_key = client.session.session_key
    response = send_code(client, member.user, "sms")
    assert response.status_code == 302
    page = client.get(TWO_FACTOR).content.decode()
    assert "Un code vous a été envoyé : SMS au ••••••••••78." in page
    assert "Renvoyer le code" in page
    sms = outbox.last("sms")
    assert sms.to == "+33612345678"
    response = enter_code(client, sms.code())
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(client) == str(member.user.pk)
    assert client.session.session_key != anonymous_key
    assert client.session["otp_device_id"].startswith("accounts.codedevice/")
    assert abs(client.session[SESSION_STARTED_KEY] - time.time()) < 5
    assert PENDING_KEY not in client.session
    home = client.get(reverse("home"))
    assert "Bonjour Marie" in home.content.decode()


def test_a_code_received_by_email_signs_in(client, member, password, outbox):
    response = sign_in(client, member.user, password, outbox, channel="email")
    assert response.url == reverse("home")
    assert outbox.last("email").to == member.email


def test_a_reused_code_is_refused(client, member, password, outbox, settings):
    sign_in(client, member.user, password, outbox)
    used = outbox.last("sms").code()
    client.post(reverse("accounts:logout"))
    client.cookies.pop(settings.REMEMBER_BROWSER_COOKIE)
    a_minute_passes()
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    if outbox.last("sms").code() == used:  # one chance in a million
        return
    response = enter_code(client, used)
    assert response.status_code == 200
    assert "Code incorrect." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_an_expired_code_is_refused(client, member, password, outbox):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    CodeDevice.objects.filter(user=member.user, channel="sms").update(
        code_valid_until=timezone.now() - timedelta(seconds=1)
    )
    response = enter_code(client, outbox.last("sms").code())
    page = response.content.decode()
    assert "Ce code a expiré. Demandez un nouveau code." in page
    assert "id_code_error" in page
    assert signed_in_user_id(client) is None


def test_the_sixth_code_is_refused_even_when_right(client, member, password, outbox):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    device = CodeDevice.objects.get(user=member.user, channel="sms")
    code = outbox.last("sms").code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _attempt in range(5):
        lift_code_throttle(device)
        response = enter_code(client, wrong)
        assert response.status_code == 200
    lift_code_throttle(device)
    response = enter_code(client, code)
    assert "Trop de codes erronés. Demandez un nouveau code." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_wrong_code_is_shown_next_to_the_field(client, member, password, outbox):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    code = outbox.last("sms").code()
    response = enter_code(client, f"{(int(code) + 1) % 10**6:06d}")
    page = response.content.decode()
    assert "Code incorrect." in page
    assert "id_code_error" in page


@pytest.mark.parametrize("typed", ["", "12345", "abcdef", "1234567"])
def test_a_code_that_is_not_six_digits_is_refused_before_checking(client, member, password, typed):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    response = enter_code(client, typed)
    assert response.status_code == 200
    assert "id_code_error" in response.content.decode()
    device = CodeDevice.objects.get(user=member.user, channel="sms")
    assert device.code_failures == 0


def test_a_code_typed_with_spaces_is_accepted(client, member, password, outbox):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    code = outbox.last("sms").code()
    response = enter_code(client, f" {code[:3]} {code[3:]} ")
    assert response.url == reverse("home")


def test_a_resend_within_sixty_seconds_is_refused(client, member, password, outbox):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    response = client.post(TWO_FACTOR, {"action": "resend"})
    assert response.status_code == 200
    assert "Vous pourrez demander un nouveau code dans" in response.content.decode()
    assert outbox.count("sms") == 1


def test_a_resend_after_sixty_seconds_sends_a_new_code(client, member, password, outbox):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    a_minute_passes()
    response = client.post(TWO_FACTOR, {"action": "resend"})
    assert response.status_code == 302
    assert outbox.count("sms") == 2
    assert enter_code(client, outbox.last("sms").code()).url == reverse("home")


def test_the_person_can_choose_another_channel(client, member, password, outbox):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    client.post(TWO_FACTOR, {"action": "change"})
    assert "Envoyer le code" in client.get(TWO_FACTOR).content.decode()
    send_code(client, member.user, "email")
    assert enter_code(client, outbox.last("email").code()).url == reverse("home")


def test_a_channel_of_another_account_cannot_be_chosen(client, member, other_member, password):
    password_step(client, member.member_number, password)
    response = send_code(client, other_member.user, "sms")
    assert response.status_code == 200
    assert "id_device_error" in response.content.decode()


def test_the_code_page_without_a_password_step_goes_back_to_sign_in(client, db):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302
    assert response.url == LOGIN


def test_the_wait_for_a_code_expires_after_ten_minutes(client, member, password, outbox):
    password_step(client, member.member_number, password)
    send_code(client, member.user, "sms")
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "until": time.time() - 1}
    session.save()
    response = enter_code(client, outbox.last("sms").code())
    assert response.status_code == 302
    assert response.url == LOGIN
    assert "Votre connexion a expiré" in client.get(LOGIN).content.decode()
    assert signed_in_user_id(client) is None


# -- Where the person lands ------------------------------------------------------------------
def test_it_goes_back_to_a_safe_next_page(client, member, password, outbox):
    next_url = reverse("accounts:totp_setup")
    response = password_step(client, member.member_number, password, next_url=next_url)
    send_code(client, member.user)
    response = enter_code(client, outbox.last("sms").code())
    assert response.url == next_url


def test_it_ignores_a_next_page_on_another_site(client, member, password, outbox):
    password_step(client, member.member_number, password, next_url="https://evil.example/")
    send_code(client, member.user)
    response = enter_code(client, outbox.last("sms").code())
    assert response.url == reverse("home")


def test_an_insurer_manager_lands_on_the_administration(client, insurer_manager, password, outbox):
    response = sign_in(client, insurer_manager, password, outbox, channel="email")
    assert response.url == reverse("admin:index")


def test_a_technician_signs_in_with_a_username_and_gets_an_email_channel(
    client, technician, password, outbox
):
    assert not CodeDevice.objects.filter(user=technician).exists()
    response = password_step(client, technician.username, password)
    assert response.url == TWO_FACTOR
    assert CodeDevice.objects.get(user=technician).target == technician.email
    response = sign_in(client, technician, password, outbox, channel="email")
    assert response.url == reverse("partners:choose")


def test_an_account_without_any_channel_is_told_whom_to_contact(client, db, password):
    user = UserFactory(email="")
    response = password_step(client, user.username, password)
    assert response.status_code == 200
    assert "Contactez votre organisme" in response.content.decode()
    assert signed_in_user_id(client) is None
