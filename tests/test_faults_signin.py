"""Sign-in codes and "Mot de passe oublié" while the mail relay is down (issue 19).

The relay is a real SMTP server the tests start (tests/helpers/smtp.py), or a closed port.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import AccountToken, CodeDevice
from tests.helpers.clock import a_minute_passes
from tests.helpers.database import committed

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")
RESET = reverse("accounts:password_reset")
NOT_SENT = "Nous n&#x27;avons pas pu envoyer le code. Réessayez dans un instant ou choisissez"


def _to_code_step(client, member, password):
    response = client.post(LOGIN, {"identifier": member.member_number, "password": password})
    assert response.url == TWO_FACTOR


def _send(client, member, channel):
    device = CodeDevice.objects.get(user=member.user, channel=channel, confirmed=True)
    return client.post(TWO_FACTOR, {"action": "send", "device": device.persistent_id})


def test_an_email_code_that_cannot_leave_is_said_and_sms_can_be_chosen(
    client, member, password, outbox, smtp_down
):
    _to_code_step(client, member, password)

    response = _send(client, member, "email")

    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_SENT in page
    assert "SMS au" in page  # the other channel, offered on the same page
    # Nothing was counted: asking again at once is not refused with "dans 60 secondes".
    again = _send(client, member, "email").content.decode()
    assert NOT_SENT in again
    assert "nouveau code dans" not in again

    assert _send(client, member, "sms").status_code == 302
    response = client.post(TWO_FACTOR, {"action": "verify", "code": outbox.last("sms").code()})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(member.user.pk)


def test_an_email_code_goes_once_the_relay_is_back_and_only_then_counts(
    client, member, password, settings, smtp_sink
):
    _to_code_step(client, member, password)
    smtp_sink.refusing = True  # the relay answers "451 try again later"
    assert NOT_SENT in _send(client, member, "email").content.decode()

    smtp_sink.refusing = False
    assert _send(client, member, "email").status_code == 302
    [email] = smtp_sink.to(member.email)
    code = re.search(r"\b(\d{6})\b", email.get_content()).group(1)
    resend = client.post(TWO_FACTOR, {"action": "resend"}).content.decode()
    assert "Vous pourrez demander un nouveau code dans" in resend
    response = client.post(TWO_FACTOR, {"action": "verify", "code": code})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(member.user.pk)


def test_a_failed_resend_keeps_the_code_already_received(
    client, member, password, settings, smtp_sink
):
    _to_code_step(client, member, password)
    _send(client, member, "email")
    code = re.search(r"\b(\d{6})\b", smtp_sink.to(member.email)[0].get_content()).group(1)
    a_minute_passes()
    smtp_sink.stop()

    response = client.post(TWO_FACTOR, {"action": "resend"})

    page = response.content.decode()
    assert NOT_SENT in page
    assert "Recevoir le code autrement" in page
    response = client.post(TWO_FACTOR, {"action": "verify", "code": code})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(member.user.pk)


def _csrf_free(response) -> str:
    return re.sub(
        r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", response.content.decode()
    )


def test_forgotten_password_answers_alike_for_known_and_unknown_with_the_relay_down(
    client, member, smtp_down
):
    with committed():
        known = client.post(RESET, {"identifier": member.member_number}, follow=True)
        unknown = client.post(RESET, {"identifier": "personne@example.org"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert "Si un compte correspond, un email vous a été envoyé." in known.content.decode()
    assert _csrf_free(known) == _csrf_free(unknown)


def test_the_reset_link_is_emailed_by_the_job_once_the_relay_answers(client, member, smtp_sink):
    smtp_sink.refusing = True
    with committed():
        client.post(RESET, {"identifier": member.member_number})
    # The job retried while the relay refused, then gave up; the page did not wait for it.
    assert smtp_sink.to(member.email) == []

    smtp_sink.refusing = False
    a_minute_passes()  # "Mot de passe oublié" may be asked again a minute later
    with committed():
        response = client.post(RESET, {"identifier": member.member_number}, follow=True)

    assert "Si un compte correspond" in response.content.decode()
    [email] = smtp_sink.to(member.email)
    link = re.search(r"https?://\S+", email.get_content()).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    assert AccountToken.objects.filter(user=member.user, used_at__isnull=True).count() == 1
