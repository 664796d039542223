"""Who may read the files of a member's requests, of the answers they received and of the
messages they wrote since."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import CaseMessage, Side
from casework.services import case_move
from documents.rules import ANSWER, SEND_DOCUMENT
from documents.services import stored_file_create
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit, member_request_write
from tests.factories import UserFactory
from tests.test_access_matrix import _sign_in
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

SENT = pdf_bytes(4000)
ANSWERED = image_bytes("PNG", size=(30, 30))


@pytest.fixture
def files(member, insurer_manager):
    """A file the member sent with a request, and one a manager joined to the answer."""
    sent = stored_file_create(
        uploaded=SimpleUploadedFile("ma-facture.pdf", SENT), rules=SEND_DOCUMENT, by=member.user
    )
    request = member_request_submit(
        member=member,
        kind=RequestKind.DOCUMENT,
        by=member.user,
        subject="Facture de pharmacie",
        attachments=[sent],
    )
    answer_file = stored_file_create(
        uploaded=SimpleUploadedFile("decompte.png", ANSWERED), rules=ANSWER, by=insurer_manager
    )
    case_move(case=request, move="take", by=insurer_manager)
    case_move(
        case=request,
        move="resolve",
        by=insurer_manager,
        text="Voici votre décompte.",
        attachments=[answer_file],
    )
    return {"sent": sent, "answer": answer_file}


def _get(client, stored, view="download"):
    response = client.get(reverse(f"documents:{view}", args=[stored.pk]))
    # Reading a streamed file to its end closes it.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, content


@pytest.mark.parametrize("view", ["download", "view"])
def test_a_member_reads_the_files_of_their_request_and_of_its_answer(client, member, files, view):
    _sign_in(client, member.user)
    assert _get(client, files["sent"], view) == (200, SENT)
    assert _get(client, files["answer"], view) == (200, ANSWERED)


@pytest.mark.parametrize("persona", ["other_member", "technician"])
@pytest.mark.parametrize("view", ["download", "view"])
def test_nobody_else_reads_them(client, request, files, persona, view):
    user = request.getfixturevalue(persona)
    _sign_in(client, getattr(user, "user", user))
    for stored in files.values():
        status, content = _get(client, stored, view)
        assert status == 404
        assert stored.original_name.encode() not in content


def test_another_member_reads_their_own_files_only(client, other_member, files):
    theirs = stored_file_create(
        uploaded=SimpleUploadedFile("leur-facture.pdf", pdf_bytes()),
        rules=SEND_DOCUMENT,
        by=other_member.user,
    )
    _sign_in(client, other_member.user)
    assert _get(client, theirs)[0] == 200
    assert _get(client, files["sent"])[0] == 404


def test_the_insurer_manager_reads_the_files(client, insurer_manager, files):
    _sign_in(client, insurer_manager)
    assert _get(client, files["sent"]) == (200, SENT)
    assert _get(client, files["answer"]) == (200, ANSWERED)


def test_a_manager_reads_them_only_with_the_permission_to_view_member_requests(client, files):
    manager = UserFactory(role="insurer_manager", is_staff=True)
    _sign_in(client, manager)
    for stored in files.values():
        assert _get(client, stored)[0] == 404

    manager.user_permissions.add(Permission.objects.get(codename="view_memberrequest"))
    client.logout()
    manager = type(manager).objects.get(pk=manager.pk)  # permissions are cached per instance
    _sign_in(client, manager)
    assert _get(client, files["sent"]) == (200, SENT)
    assert _get(client, files["answer"]) == (200, ANSWERED)


def test_a_manager_of_a_partner_organism_only_does_not_read_them(client, organism_manager, files):
    _sign_in(client, organism_manager)
    for stored in files.values():
        assert _get(client, stored)[0] == 404


def test_a_member_reads_the_files_they_sent_in_a_later_message(client, member, other_member, files):
    request = MemberRequest.objects.get(member=member)
    reply_file = stored_file_create(
        uploaded=SimpleUploadedFile("complement.pdf", SENT), rules=SEND_DOCUMENT, by=member.user
    )
    member_request_write(
        request=request, by=member.user, text="Il manque une ligne.", attachments=[reply_file]
    )
    assert CaseMessage.objects.get(attachments=reply_file).side == Side.REQUESTER

    _sign_in(client, member.user)
    assert _get(client, reply_file) == (200, SENT)
    client.logout()
    _sign_in(client, other_member.user)
    assert _get(client, reply_file)[0] == 404
