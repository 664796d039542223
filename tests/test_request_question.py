"""Poser une question: object, text, summary, sent; the member is told by email, once."""

from html import unescape

import pytest

from requests_app.models import MemberRequest, RequestStatus
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

URL = "/demandes/poser-une-question/"


def _post(client, action, **data):
    return client.post(URL, {"_action": action, **data})


def test_it_shows_the_summary_then_sends_the_question(
    client, member, outbox, django_capture_on_commit_callbacks
):
    _sign_in(client, member.user)
    data = {"topic": "contract", "message": "Quelle est la date de fin de mon contrat ?"}
    summary = _post(client, "review", **data)
    page = summary.content.decode()
    assert "Vérifier le résumé" in page
    assert "Mon contrat et mes garanties" in page
    assert MemberRequest.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        sent = _post(client, "confirm", **data)
    request = MemberRequest.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"/demandes/{request.reference}/envoyee/"
    confirmation = client.get(sent["Location"]).content.decode()
    assert "La demande a bien été envoyée ! Il n'y a rien de plus à faire." in unescape(
        confirmation
    )
    assert request.member == member
    assert request.status == RequestStatus.NEW
    assert request.topic_label == "Mon contrat et mes garanties"
    assert {"label": "Votre question", "value": data["message"]} in request.details

    email = outbox.last("email", to=member.email)
    assert request.reference in email.subject
    assert "date de fin" not in email.text  # never the content, only a link
    assert f"/demandes/{request.reference}/" in email.link()
    assert outbox.count("email") == 1


def test_back_from_the_summary_keeps_what_was_typed(client, member):
    _sign_in(client, member.user)
    page = _post(client, "back", topic="card", message="Ma carte est perdue.").content.decode()
    assert "Ma carte est perdue." in page
    assert '<option value="card" selected>' in page
    # No error message in the form (the advisor panel's empty error line is not the form's).
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "errors" not in main


def test_it_asks_for_the_object_and_the_text(client, member):
    _sign_in(client, member.user)
    page = _post(client, "review", topic="", message="").content.decode()
    assert 'id="id_topic_error"' in page
    assert 'id="id_message_error"' in page
    assert "Ce champ est obligatoire." in page
    assert MemberRequest.objects.count() == 0


def test_two_requests_get_two_references(client, member):
    _sign_in(client, member.user)
    data = {"topic": "other", "message": "Bonjour"}
    _post(client, "confirm", **data)
    _post(client, "confirm", **data)
    references = list(MemberRequest.objects.values_list("reference", flat=True))
    assert len(set(references)) == 2
    assert all(ref.startswith("DEM-") for ref in references)


def test_a_text_filling_the_box_with_line_breaks_is_not_refused_as_too_long(client, member):
    """The browser counts a line break as one character; the form posts it as two."""
    _sign_in(client, member.user)
    lines = ["x" * 99] * 50  # 50 lines of 99 + 49 breaks: 4999 characters in the box
    message = "\r\n".join(lines)

    _post(client, "confirm", topic="contract", message=message)

    request = MemberRequest.objects.get()
    assert request.message == "\n".join(lines)


def test_a_question_sent_twice_from_the_same_form_is_one_request(
    client, member, outbox, django_capture_on_commit_callbacks
):
    """Issue 16, point 18: each form page carries a one-time token; sending it again (the
    browser's resubmission, a double click) shows the first request instead of a second."""
    import re

    _sign_in(client, member.user)
    form = client.get(URL).content.decode()
    token = re.search(r'name="_submission" value="([0-9a-f-]{36})"', form).group(1)
    assert token != re.search(
        r'name="_submission" value="([0-9a-f-]{36})"', client.get(URL).content.decode()
    ).group(1)  # each form page has its own
    data = {"_submission": token, "topic": "other", "message": "Bonjour"}
    summary = _post(client, "review", **data).content.decode()
    assert f'name="_submission" value="{token}"' in summary
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, "confirm", **data)
        again = _post(client, "confirm", **data)
    request = MemberRequest.objects.get()
    assert first["Location"] == again["Location"] == f"/demandes/{request.reference}/envoyee/"
    assert outbox.count("email") == 1
