"""Guide 003's security screen at sign-in (issue 14, point 3): a member without a verified
mobile phone indicates or confirms one, "Envoyer le code", enters it, "Continuer"."""

import pytest
from django.urls import reverse

from accounts.models import CodeDevice
from portal.models import Branding
from tests.factories import make_member_account
from tests.helpers.clock import a_minute_passes
from tests.test_signin import TWO_FACTOR, enter_code, password_step, send_code, signed_in_user_id

pytestmark = pytest.mark.django_db

PHONE = reverse("accounts:signin_phone")
NUMBER = "+33687654321"


@pytest.fixture
def sms_required(db):
    branding = Branding.current()
    branding.signin_phone_required = True
    branding.save()


@pytest.fixture
def without_mobile(db):
    return make_member_account(member_number="300001", email="sans.mobile@example.org",
                               mobile_phone="")  # fmt: skip


@pytest.fixture
def without_any_channel(db):
    return make_member_account(member_number="300002", email="", mobile_phone="")


def _email_code_passed(client, member, password, outbox):
    assert password_step(client, member.member_number, password)["Location"] == TWO_FACTOR
    send_code(client, member.user, "email")
    return enter_code(client, outbox.last("email").code())


def _phone_screen(client, outbox, number=NUMBER):
    page = client.get(PHONE)
    assert "Envoyer le code" in page.content.decode()
    sent = client.post(PHONE, {"action": "send", "mobile_phone": number})
    assert sent["Location"] == PHONE
    return outbox.last("sms", to=NUMBER).code()


def test_a_member_without_a_mobile_passes_the_screen_after_the_code(
    client, sms_required, without_mobile, password, outbox
):
    response = _email_code_passed(client, without_mobile, password, outbox)
    assert response["Location"] == PHONE
    assert signed_in_user_id(client) is None  # not in the space before the screen is passed
    assert client.get(reverse("home")).status_code == 200
    assert signed_in_user_id(client) is None

    code = _phone_screen(client, outbox, "06 87 65 43 21")
    page = client.get(PHONE).content.decode()
    assert "Continuer" in page and "Se souvenir de ce navigateur" not in page
    response = client.post(PHONE, {"action": "verify", "code": code})
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(without_mobile.user.pk)
    without_mobile.refresh_from_db()
    assert without_mobile.mobile_phone.as_e164 == NUMBER
    assert CodeDevice.objects.filter(
        user=without_mobile.user, channel="sms", target=NUMBER, confirmed=True
    ).exists()


def test_the_verified_number_serves_later_sign_ins_without_the_screen(
    client, sms_required, without_mobile, password, outbox
):
    _email_code_passed(client, without_mobile, password, outbox)
    client.post(PHONE, {"action": "verify", "code": _phone_screen(client, outbox)})
    client.post(reverse("accounts:logout"))
    a_minute_passes()
    assert password_step(client, "300001", password)["Location"] == TWO_FACTOR
    send_code(client, without_mobile.user, "sms")
    response = enter_code(client, outbox.last("sms", to=NUMBER).code())
    assert response["Location"] == reverse("home")


def test_a_number_on_file_is_offered_to_confirm(client, sms_required, password, outbox):
    member = make_member_account(member_number="300003", email="a.confirmer@example.org",
                                 mobile_phone=NUMBER)  # fmt: skip
    CodeDevice.objects.filter(user=member.user, channel="sms").delete()  # never verified
    _email_code_passed(client, member, password, outbox)
    page = client.get(PHONE).content.decode()
    assert 'value="+33687654321"' in page or 'value="06 87 65 43 21"' in page


def test_without_the_setting_a_member_with_an_email_signs_in_as_before(
    client, without_mobile, password, outbox
):
    response = _email_code_passed(client, without_mobile, password, outbox)
    assert response["Location"] == reverse("home")


def test_a_member_with_neither_channel_is_no_longer_stuck(
    client, without_any_channel, password, outbox
):
    response = password_step(client, "300002", password)
    assert response["Location"] == PHONE
    code = _phone_screen(client, outbox)
    page = client.get(PHONE).content.decode()
    assert "Se souvenir de ce navigateur" in page
    response = client.post(PHONE, {"action": "verify", "code": code})
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(without_any_channel.user.pk)


def test_the_screen_cannot_stand_for_the_code_of_an_existing_channel(
    client, sms_required, without_mobile, password, outbox
):
    password_step(client, without_mobile.member_number, password)
    assert client.get(PHONE)["Location"] == TWO_FACTOR
    response = client.post(PHONE, {"action": "send", "mobile_phone": NUMBER})
    assert response["Location"] == TWO_FACTOR
    assert outbox.count("sms") == 0


def test_a_wrong_number_or_code_is_said_next_to_the_field(
    client, sms_required, without_mobile, password, outbox
):
    _email_code_passed(client, without_mobile, password, outbox)
    page = client.post(PHONE, {"action": "send", "mobile_phone": "01 23"}).content.decode()
    assert 'value="0123"' in page  # what was typed stays, spaces aside
    assert 'class="errors"' in page
    code = _phone_screen(client, outbox)
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(PHONE, {"action": "verify", "code": wrong}).content.decode()
    assert "Code incorrect" in page
    assert signed_in_user_id(client) is None


def test_the_screen_without_a_sign_in_under_way_goes_back_to_sign_in(client):
    assert client.get(PHONE)["Location"] == reverse("accounts:login")


def test_the_demo_shows_the_screen_for_its_member_without_a_mobile(client, outbox):
    from django.core.management import call_command

    from accounts.models import Member
    from portal.management.commands.load_demo import DEMO_PASSWORD

    call_command("load_demo")
    lea = Member.objects.get(member_number="100005")
    response = _email_code_passed(client, lea, DEMO_PASSWORD, outbox)
    assert response["Location"] == PHONE
