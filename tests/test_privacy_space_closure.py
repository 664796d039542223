"""The managers answer a "Clôture de l'espace" request by closing the space, from the admin
(/gestion/): a confirmation page, then sign-in disabled, the account's personal fields removed,
the request resolved with the answer, which the member gets by email."""

from html import unescape

import pytest
from django.contrib.auth.models import Permission

from accounts.models import Member, User
from casework.lifecycle import case_type_of
from casework.models import CaseEvent
from casework.services import case_move
from privacy.services import closure_request_submit
from requests_app.models import MemberRequest, RequestKind, RequestStatus
from requests_app.services import member_request_submit
from tests.factories import PASSWORD, UserFactory
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

QUEUE = "/gestion/requests_app/memberrequest/"
ANSWER = "Votre espace est fermé. Votre dossier reste chez nous."


def _close_url(request):
    return f"{QUEUE}{request.pk}/cloturer-espace/"


def _page(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def manager_client(client, insurer_manager):
    _sign_in(client, insurer_manager)
    return client


@pytest.fixture
def closure(member, insurer_manager):
    """A closure request, taken in charge."""
    request = closure_request_submit(member=member, by=member.user)
    case_move(case=request, move="take", by=insurer_manager)
    return request


def test_the_closure_request_offers_to_close_the_space_with_a_confirmation(manager_client, closure):
    page = _page(manager_client.get(f"{QUEUE}{closure.pk}/change/"))
    assert f'href="{_close_url(closure)}"' in page
    assert "Clôturer l'espace" in page

    confirm = _page(manager_client.get(_close_url(closure)))
    assert "Elle ne peut pas être annulée." in confirm
    assert "Je confirme la clôture" in confirm
    assert "Comme vous l'avez demandé, votre espace en ligne est clôturé." in confirm


def test_nothing_is_closed_without_the_confirmation(manager_client, closure, member):
    response = manager_client.post(_close_url(closure), {"text": ANSWER})
    assert response.status_code == 200
    assert "Cochez cette case pour confirmer la clôture." in _page(response)
    user = User.objects.get(pk=member.user_id)
    assert user.is_active and user.email
    closure.refresh_from_db()
    assert closure.status == RequestStatus.IN_PROGRESS


def test_closing_disables_sign_in_removes_the_account_and_answers_the_member_by_email(
    manager_client, client, closure, member, outbox, django_capture_on_commit_callbacks
):
    user_id, address, number = member.user_id, member.user.email, member.member_number
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            _close_url(closure), {"text": ANSWER, "confirm": "on"}, follow=True
        )
    assert response.redirect_chain[-1][0] == f"{QUEUE}{closure.pk}/change/"
    assert (
        f"L'espace de l'adhérent {number} est clôturé et la demande {closure.reference} "
        "résolue : la réponse lui est envoyée par email."
    ) in [str(m) for m in response.context["messages"]]
    assert "Clôturer l'espace</a>" not in _page(response)  # closed once

    user = User.objects.get(pk=user_id)
    assert not user.is_active and not user.has_usable_password()
    assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert user.username.startswith("ferme-")
    assert Member.objects.get(pk=member.pk).user is None  # the insurer's record stays

    closure.refresh_from_db()
    assert closure.status == RequestStatus.RESOLVED
    event = CaseEvent.objects.get(
        case_type=case_type_of(MemberRequest).content_type(), case_id=closure.pk, action="resolve"
    )
    assert event.data == {"space_closed": True} and event.message.text == ANSWER
    assert ANSWER in _page(manager_client.get(f"{QUEUE}{closure.pk}/change/"))

    email = outbox.last("email", to=address)
    assert email.subject == "Votre espace en ligne est clôturé"
    for body in (email.text, unescape(email.html)):
        assert ANSWER in body
        assert f"Suite à votre demande {closure.reference}, votre espace en ligne est clôturé" in (
            body
        )

    # Signing in again, with the number and the old password, leads nowhere.
    client.logout()
    response = client.post("/compte/connexion/", {"identifier": number, "password": PASSWORD})
    assert "/compte/connexion/code/" not in response.get("Location", "")
    assert "_auth_user_id" not in client.session


def test_a_closure_request_not_taken_in_charge_cannot_close_yet(
    manager_client, member, insurer_manager
):
    request = closure_request_submit(member=member, by=member.user)
    assert _close_url(request) not in _page(manager_client.get(f"{QUEUE}{request.pk}/change/"))
    response = manager_client.post(_close_url(request), {"text": ANSWER, "confirm": "on"})
    assert response.status_code == 302
    assert User.objects.get(pk=member.user_id).is_active


def test_another_kind_of_request_never_closes_a_space(manager_client, member, insurer_manager):
    question = member_request_submit(
        member=member, kind=RequestKind.QUESTION, by=member.user, message="Une question ?"
    )
    case_move(case=question, move="take", by=insurer_manager)
    assert _close_url(question) not in _page(manager_client.get(f"{QUEUE}{question.pk}/change/"))
    response = manager_client.post(_close_url(question), {"text": ANSWER, "confirm": "on"})
    assert response.status_code == 404
    assert User.objects.get(pk=member.user_id).is_active


def test_a_manager_who_may_only_read_the_requests_cannot_close_a_space(client, closure, member):
    reader = UserFactory(role="insurer_manager", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_memberrequest"))
    _sign_in(client, reader)
    page = _page(client.get(f"{QUEUE}{closure.pk}/change/"))
    assert closure.reference in page and _close_url(closure) not in page
    response = client.post(_close_url(closure), {"text": ANSWER, "confirm": "on"})
    assert response.status_code == 404
    assert User.objects.get(pk=member.user_id).is_active
