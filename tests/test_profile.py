"""'Mes informations personnelles': read, change address, email, phone and password."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountNotice, CodeDevice, TrustedBrowser
from tests.helpers.clock import a_minute_passes
from tests.helpers.reauth import reauthenticated

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
ADDRESS = reverse("accounts:profile_address")
EMAIL = reverse("accounts:profile_email")
EMAIL_CODE = reverse("accounts:profile_email_verify")
PHONE = reverse("accounts:profile_phone")
PHONE_CODE = reverse("accounts:profile_phone_verify")
PASSWORD = reverse("accounts:profile_password")
NEW_PASSWORD = "une toute nouvelle phrase secrète"


@pytest.fixture
def member_client(client, member):
    """Signed in, and re-authenticated a moment ago (tests/test_reauth.py: without it, every
    change below is refused)."""
    client.force_login(member.user)
    return reauthenticated(client)


def _allow_next_attempt():
    # django-otp delays the attempt right after a failure; tests do not wait.
    CodeDevice.objects.update(throttling_failure_timestamp=None)


def _wrong(code):
    return "000000" if code != "000000" else "111111"


def test_it_shows_the_members_data_and_beneficiaries(member_client, member):
    page = member_client.get(PROFILE).content.decode()
    for text in (
        "Madame",
        "MARTIN",
        "Marie",
        "17/05/1980",
        member.member_number,
        "12 rue des Lilas",
        "33000 Bordeaux",
        member.email,
        "06 12 34 56 78",
        "Lucas",
        "Paul",
        "Conjoint",
    ):
        assert text in page


@pytest.mark.parametrize("url", [PROFILE, ADDRESS, EMAIL, EMAIL_CODE, PHONE, PHONE_CODE, PASSWORD])
def test_it_sends_anonymous_visitors_to_the_sign_in_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["technician", "partner_manager", "insurer_manager"])
@pytest.mark.parametrize("url", [PROFILE, ADDRESS, EMAIL, PHONE, PASSWORD])
def test_only_members_reach_the_pages(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 404


def test_it_updates_the_address(member_client, member):
    response = member_client.post(
        ADDRESS,
        {
            "address_line1": "3 place du Marché",
            "address_line2": "Bât. B",
            "postcode": "64000",
            "city": "Pau",
        },
    )
    assert response["Location"] == PROFILE
    member.refresh_from_db()
    assert (member.address_line1, member.address_line2, member.postcode, member.city) == (
        "3 place du Marché",
        "Bât. B",
        "64000",
        "Pau",
    )


@pytest.mark.parametrize(
    "postcode, message",
    [
        ("6400", "Le code postal doit comporter 5 chiffres."),
        ("640000", "Le code postal doit comporter 5 chiffres."),
        ("64 00", "Le code postal doit comporter 5 chiffres."),
        ("ABCDE", "Le code postal doit comporter 5 chiffres."),
        ("", "Saisissez votre code postal."),
    ],
)
def test_it_refuses_a_postcode_that_is_not_five_digits(member_client, member, postcode, message):
    response = member_client.post(
        ADDRESS, {"address_line1": "3 place du Marché", "postcode": postcode, "city": "Pau"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="3 place du Marché"' in page
    member.refresh_from_db()
    assert member.postcode == "33000"


def test_a_new_email_replaces_the_old_one_only_after_its_code_and_the_old_one_is_told(
    member_client, member, outbox, django_capture_on_commit_callbacks
):
    old = member.email
    assert member_client.post(EMAIL, {"email": "marie.nouvelle@example.net"})["Location"] == (
        EMAIL_CODE
    )
    code_email = outbox.last("email")
    assert code_email.to == "marie.nouvelle@example.net"
    member.refresh_from_db()
    assert member.email == old

    page = member_client.post(EMAIL_CODE, {"code": _wrong(code_email.code())}).content.decode()
    assert "Code incorrect." in page
    member.refresh_from_db()
    assert member.email == old == member.user.email

    _allow_next_attempt()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(EMAIL_CODE, {"code": code_email.code()})
    assert response["Location"] == PROFILE
    member.refresh_from_db()
    assert member.email == member.user.email == "marie.nouvelle@example.net"
    device = CodeDevice.objects.get(user=member.user, channel="email")
    assert device.confirmed and device.target == "marie.nouvelle@example.net"

    notice = outbox.last("email", to=old)
    assert notice.subject == "Votre adresse email a été modifiée"
    assert "Votre adresse email a été modifiée" in notice.text
    assert "Votre adresse email a été modifiée" in notice.html
    for private in ("marie.nouvelle", "MARTIN", member.member_number):
        assert private not in notice.text and private not in notice.html


def test_an_email_used_by_another_space_is_refused(member_client, member, other_member, outbox):
    member_client.post(EMAIL, {"email": other_member.email.upper()})
    page = member_client.post(EMAIL_CODE, {"code": outbox.last("email").code()})
    assert "Cette adresse email ne peut pas être utilisée." in page.content.decode()
    member.refresh_from_db()
    assert member.email != other_member.email


def test_the_old_email_is_told_once_even_when_its_task_runs_twice(
    member_client, member, outbox, django_capture_on_commit_callbacks
):
    old = member.email
    member_client.post(EMAIL, {"email": "marie.nouvelle@example.net"})
    code = outbox.last("email").code()
    with django_capture_on_commit_callbacks() as callbacks:
        member_client.post(EMAIL_CODE, {"code": code})
    notice = AccountNotice.objects.get()
    assert notice.kind == "email_changed" and notice.recipient == old
    assert notice.user == member.user and notice.sent_at is None

    for callback in callbacks + callbacks:  # the broker delivers the task twice
        callback()

    assert len([m for m in outbox.all() if m.to == old]) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None


@pytest.mark.parametrize("value", ["marie@", "", "  "])
def test_it_refuses_a_bad_email(member_client, member, outbox, value):
    page = member_client.post(EMAIL, {"email": value}).content.decode()
    assert 'id="id_email_error' in page
    assert outbox.count() == 0


def test_a_new_phone_replaces_the_old_one_only_after_its_code_and_the_old_one_is_told(
    member_client, member, outbox, django_capture_on_commit_callbacks
):
    assert member_client.post(PHONE, {"mobile_phone": "07 81 22 33 44"})["Location"] == PHONE_CODE
    sms = outbox.last("sms")
    assert sms.to == "+33781223344"

    page = member_client.post(PHONE_CODE, {"code": _wrong(sms.code())}).content.decode()
    assert "Code incorrect." in page
    member.refresh_from_db()
    assert member.mobile_phone.as_e164 == "+33612345678"
    assert CodeDevice.objects.get(user=member.user, channel="sms", confirmed=True).target == (
        "+33612345678"
    )

    _allow_next_attempt()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(PHONE_CODE, {"code": sms.code()})
    assert response["Location"] == PROFILE
    member.refresh_from_db()
    assert member.mobile_phone.as_e164 == "+33781223344"
    assert not CodeDevice.objects.filter(user=member.user, confirmed=False).exists()
    device = CodeDevice.objects.get(user=member.user, channel="sms")
    assert device.confirmed and device.target == "+33781223344"

    notice = outbox.last("sms", to="+33612345678")
    assert "numéro de téléphone mobile a été modifié" in notice.text
    assert "07" not in notice.text and "MARTIN" not in notice.text


def test_the_old_phone_is_told_once_even_when_its_task_runs_twice(
    member_client, member, outbox, django_capture_on_commit_callbacks
):
    member_client.post(PHONE, {"mobile_phone": "07 81 22 33 44"})
    code = outbox.last("sms").code()
    with django_capture_on_commit_callbacks() as callbacks:
        member_client.post(PHONE_CODE, {"code": code})

    for callback in callbacks + callbacks:
        callback()

    assert len([m for m in outbox.all() if m.to == "+33612345678"]) == 1
    notice = AccountNotice.objects.get(kind="phone_changed")
    assert notice.recipient == "+33612345678" and notice.sent_at is not None


@pytest.mark.parametrize(
    "value", ["01 23 45 67 89", "+44 7911 123456", "06 12", "not a number", ""]
)
def test_it_refuses_a_phone_that_is_not_a_french_mobile(member_client, member, outbox, value):
    page = member_client.post(PHONE, {"mobile_phone": value}).content.decode()
    assert 'id="id_mobile_phone_error' in page
    assert outbox.count() == 0


def test_it_resends_the_code_to_the_new_destination_and_can_cancel(member_client, member, outbox):
    member_client.post(EMAIL, {"email": "marie.nouvelle@example.net"})
    assert "nouveau code dans" in member_client.post(EMAIL_CODE, {"resend": "1"}).content.decode()
    a_minute_passes()
    assert member_client.post(EMAIL_CODE, {"resend": "1"})["Location"] == EMAIL_CODE
    assert outbox.count("email") == 2
    member_client.post(reverse("accounts:profile_email_cancel"))
    assert member_client.get(EMAIL_CODE)["Location"] == EMAIL
    member.refresh_from_db()
    assert member.email == member.user.email


def test_a_password_change_needs_the_current_password(member_client, member):
    page = member_client.post(
        PASSWORD,
        {"current_password": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ).content.decode()
    assert "Le mot de passe actuel est incorrect." in page
    member.user.refresh_from_db()
    assert not member.user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "new, message",
    [("a" * 11, "trop court"), ("telechargement", "trop courant"), ("x" * 129, "128")],
)
def test_a_password_change_applies_the_rules(member_client, member, password, new, message):
    page = member_client.post(
        PASSWORD, {"current_password": password, "password1": new, "password2": new}
    ).content.decode()
    assert message in page


def test_a_password_change_ends_other_sessions_and_tells_the_member(
    member_client, member, password, outbox, django_capture_on_commit_callbacks
):
    other = Client()
    other.force_login(member.user)
    assert other.get(PROFILE).status_code == 200
    TrustedBrowser.objects.create(
        user=member.user, key_hash="k" * 64, last_ip="192.0.2.1", verified_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            PASSWORD,
            {"current_password": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response["Location"] == PROFILE
    assert member_client.get(PROFILE).status_code == 200
    assert other.get(PROFILE).status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password(NEW_PASSWORD)
    assert not TrustedBrowser.objects.filter(user=member.user).exists()

    notice = outbox.last("email", to=member.email)
    assert notice.subject == "Votre mot de passe a été modifié"
    assert "a été modifié" in notice.text and "a été modifié" in notice.html
    assert NEW_PASSWORD not in notice.text


def test_the_password_notice_is_sent_once_even_when_its_task_runs_twice(
    member_client, member, password, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        member_client.post(
            PASSWORD,
            {"current_password": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    for callback in callbacks + callbacks:
        callback()

    assert outbox.count("email") == 1
    assert outbox.last("email", to=member.email).subject == "Votre mot de passe a été modifié"
    notice = AccountNotice.objects.get(kind="password_changed")
    assert notice.recipient == member.email and notice.sent_at is not None


def test_no_notice_is_recorded_when_the_change_does_not_stand(member_client, member, outbox):
    member_client.post(EMAIL, {"email": "marie.nouvelle@example.net"})
    member_client.post(EMAIL_CODE, {"code": _wrong(outbox.last("email").code())})
    assert not AccountNotice.objects.exists()


def test_the_phone_being_verified_reads_the_french_way(member_client, member, outbox):
    """Issue 16, point 20: "06 45 67 89 01", not "+33645678901"."""
    member_client.post(PHONE, {"mobile_phone": "+33 6 45 67 89 01"})
    page = member_client.get(PHONE_CODE).content.decode()
    assert "Un code de vérification a été envoyé à 06 45 67 89 01." in page
    assert "+33645678901" not in page
    profile = member_client.get(PROFILE).content.decode()
    assert "Vérification en cours pour 06 45 67 89 01." in profile


@pytest.mark.parametrize(
    ("postcode", "city", "field", "message"),
    [
        ("33000", "Lyon", "city",
         "Cette ville ne correspond pas au code postal 33000 (communes de ce code postal : "
         "Bordeaux)."),
        ("99999", "Bordeaux", "postcode", "Ce code postal n&#x27;existe pas."),
    ],
)  # fmt: skip
def test_an_address_whose_postcode_and_city_do_not_match_is_refused(
    member_client, member, postcode, city, field, message
):
    """Issue 16, point 20: the commune list of the locator checks the pair."""
    response = member_client.post(
        ADDRESS, {"address_line1": "3 rue Sainte-Catherine", "postcode": postcode, "city": city}
    )
    page = response.content.decode()
    assert response.status_code == 200
    start = page.index(f'id="id_{field}_error"')
    assert message in page[start : start + 400]
    assert 'value="3 rue Sainte-Catherine"' in page
    member.refresh_from_db()
    assert member.address_line1 != "3 rue Sainte-Catherine"


def test_a_city_typed_without_accents_or_capitals_is_accepted(member_client, member):
    response = member_client.post(
        ADDRESS, {"address_line1": "1 place de la Mairie", "postcode": "64000", "city": "pau"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.postcode == "64000"
