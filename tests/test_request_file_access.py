"""Who may read the files of a member's requests and of the answers they received."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.rules import ANSWER, SEND_DOCUMENT
from documents.services import stored_file_create
from requests_app.models import RequestKind
from requests_app.services import member_request_resolve, member_request_submit
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
    member_request_resolve(
        request=request, by=insurer_manager, text="Voici votre décompte.", attachments=[answer_file]
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
