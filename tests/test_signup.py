"""'Créer mon espace': card data, a 48-hour single-use link, a password."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountToken, CodeDevice, Member
from tests.helpers.clock import a_minute_passes

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("accounts:signup")
SAME_ANSWER = "Si les informations saisies correspondent à votre carte d'adhérent"
NEW_PASSWORD = "une phrase de passe assez longue"


def _card(**overrides):
    data = {
        "member_number": " 200001 ",
        "last_name": "leger",
        "first_name": "ZOE ",
        "birth_date": "17/05/1980",
        "email": "zoe@example.net",
    }
    data.update(overrides)
    return data


def _submit(client, capture, **overrides):
    with capture(execute=True):
        response = client.post(SIGNUP_URL, _card(**overrides), follow=True)
    assert response.status_code == 200
    return response


@pytest.fixture
def link(client, card_holder, outbox, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://guichet.example.org"
    _submit(client, django_capture_on_commit_callbacks)
    url = outbox.last("email", to="zoe@example.net").link()
    assert url.startswith("https://guichet.example.org/compte/creer-mon-espace/confirmer/")
    return url.removeprefix("https://guichet.example.org")


def test_it_emails_a_link_when_the_card_data_match_whatever_the_case_and_accents(
    client, card_holder, outbox, django_capture_on_commit_callbacks
):
    response = _submit(client, django_capture_on_commit_callbacks)
    assert SAME_ANSWER in response.content.decode()
    assert "48h" in response.content.decode()
    email = outbox.last("email")
    assert email.to == "zoe@example.net"
    assert email.subject == "Confirmez la création de votre espace"
    assert "48 heures" in email.text
    assert email.link() in email.html
    token = AccountToken.objects.get(user__member=card_holder)
    assert token.purpose == AccountToken.Purpose.SIGNUP
    assert abs(token.expires_at - (timezone.now() + timedelta(hours=48))) < timedelta(minutes=1)
    card_holder.refresh_from_db()
    assert not card_holder.is_activated
    assert not card_holder.user.is_active
    assert not card_holder.user.has_usable_password()


@pytest.mark.parametrize(
    "field, value",
    [
        ("member_number", "200002"),
        ("last_name", "LEGERE"),
        ("first_name", "Zoe Marie"),
        ("birth_date", "18/05/1980"),
    ],
)
def test_wrong_card_data_get_the_same_answer_and_no_email(
    client, card_holder, outbox, django_capture_on_commit_callbacks, field, value
):
    response = _submit(client, django_capture_on_commit_callbacks, **{field: value})
    assert SAME_ANSWER in response.content.decode()
    assert outbox.count() == 0
    assert not AccountToken.objects.exists()


def test_an_already_activated_space_gets_the_same_answer_and_no_email(
    client, member, outbox, django_capture_on_commit_callbacks
):
    response = _submit(
        client,
        django_capture_on_commit_callbacks,
        member_number=member.member_number,
        last_name=member.last_name,
        first_name=member.first_name,
        birth_date=member.birth_date.strftime("%d/%m/%Y"),
    )
    assert SAME_ANSWER in response.content.decode()
    assert outbox.count() == 0


def test_it_stops_answering_a_member_number_after_many_mismatches(
    client, card_holder, outbox, django_capture_on_commit_callbacks
):
    for day in range(1, 11):
        _submit(client, django_capture_on_commit_callbacks, birth_date=f"{day:02d}/01/1990")
    response = _submit(client, django_capture_on_commit_callbacks)
    assert SAME_ANSWER in response.content.decode()
    assert outbox.count() == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("birth_date", "1980-05-17", "Saisissez une date valide au format jj/mm/aaaa."),
        ("birth_date", "31/02/1980", "Saisissez une date valide au format jj/mm/aaaa."),
        ("birth_date", "01/01/2999", "La date de naissance ne peut pas être dans le futur."),
        ("first_name", "", "Saisissez votre prénom."),
        ("member_number", "", "Saisissez votre numéro d&#x27;adhérent."),
        ("email", "zoe@", "Saisissez une adresse email valide"),
    ],
)
def test_it_shows_field_errors_in_french_and_keeps_what_was_typed(
    client, card_holder, outbox, field, value, message
):
    response = client.post(SIGNUP_URL, _card(**{field: value}))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error' in page
    for kept in ("200001", "leger", "ZOE", "zoe@example.net", "17/05/1980"):
        if _card()[field].strip() != kept:
            assert kept in page
    assert outbox.count() == 0


def test_the_link_lets_the_person_choose_a_password_once_and_activates_the_space(
    client, card_holder, link, outbox
):
    page = client.get(link)
    assert page.status_code == 200
    assert "Au moins 12 caractères" in page.content.decode()

    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")

    card_holder.refresh_from_db()
    user = card_holder.user
    assert card_holder.is_activated
    assert user.is_active and user.check_password(NEW_PASSWORD)
    assert user.username == "200001"
    assert user.email == card_holder.email == "zoe@example.net"
    devices = {d.channel: d for d in CodeDevice.objects.filter(user=user)}
    assert devices["email"].target == "zoe@example.net" and devices["email"].confirmed
    assert devices["sms"].target == "+33698765432" and devices["sms"].confirmed

    again = client.get(link)
    assert "Ce lien a déjà été utilisé." in again.content.decode()
    assert reverse("accounts:signup_resend") in again.content.decode()
    refused = client.post(link, {"password1": "autre phrase de passe", "password2": "x"})
    assert "Ce lien a déjà été utilisé." in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_and_a_new_one_can_be_asked_for(
    client, card_holder, link, outbox, django_capture_on_commit_callbacks
):
    AccountToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get(link)
    assert "Ce lien a expiré." in page.content.decode()
    assert 'name="email"' in page.content.decode()
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert "Ce lien a expiré." in response.content.decode()
    assert not Member.objects.get(pk=card_holder.pk).is_activated

    a_minute_passes()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("accounts:signup_resend"), {"email": "ZOE@example.net"}, follow=True
        )
    assert "vous recevrez un nouvel email de confirmation" in answer.content.decode()
    new_link = outbox.last("email", to="zoe@example.net").link()
    new_path = "/" + new_link.split("/", 3)[3]
    assert new_path != link
    done = client.post(new_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert Member.objects.get(pk=card_holder.pk).is_activated


def test_a_new_link_for_an_unknown_email_looks_the_same_and_sends_nothing(
    client, card_holder, link, outbox, django_capture_on_commit_callbacks
):
    before = outbox.count()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("accounts:signup_resend"), {"email": "nobody@example.net"}, follow=True
        )
    assert "vous recevrez un nouvel email de confirmation" in answer.content.decode()
    assert outbox.count() == before


def test_an_unknown_link_is_refused(client, db):
    response = client.get(reverse("accounts:signup_confirm", args=["not-a-real-secret"]))
    assert response.status_code == 404
    assert "Ce lien n&#x27;est pas valide." in response.content.decode()


@pytest.mark.parametrize(
    "password, accepted, message",
    [
        ("a" * 5 + " " + "b" * 5, False, "trop court"),
        ("une phrase !", True, ""),
        ("z" * 64 + "y" * 64, True, ""),
        ("z" * 64 + "y" * 65, False, "ne peut pas dépasser 128 caractères"),
        ("telechargement", False, "trop courant"),
    ],
)
def test_it_applies_the_password_rules(client, card_holder, link, password, accepted, message):
    response = client.post(link, {"password1": password, "password2": password})
    card_holder.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert card_holder.is_activated
    else:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not card_holder.is_activated


def test_it_refuses_two_different_passwords(client, card_holder, link):
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "Les deux mots de passe ne correspondent pas." in response.content.decode()
    card_holder.refresh_from_db()
    assert not card_holder.is_activated
