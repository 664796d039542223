"""Issue 16, point 3: files left in forms never sent do not block the next uploads: "Annuler"
releases a form's files, the refusal past the limit offers to discard them, and only the files
of the last hours count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import StoredFile
from partners.catalogue import Service
from tests.test_partner_ods import url_of, valid
from tests.test_upload_endpoint import _stored, _upload
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

ABANDON = reverse("documents:abandon")
PENDING = reverse("documents:pending")


@pytest.fixture
def signed_in(client, member):
    from tests.test_access_matrix import _sign_in

    _sign_in(client, member.user)
    return client


def test_files_of_forms_left_hours_ago_no_longer_count(signed_in, member, settings):
    settings.UPLOAD_PENDING_LIMIT = 8
    old = [_stored(member.user, f"page{n}.pdf") for n in range(8)]
    StoredFile.objects.filter(pk__in=[f.pk for f in old]).update(
        created_at=timezone.now() - datetime.timedelta(hours=4)
    )
    assert _upload(signed_in, "suite.pdf", pdf_bytes()).status_code == 201


def test_the_refusal_past_the_limit_offers_to_discard_the_waiting_files(
    signed_in, member, settings
):
    settings.UPLOAD_PENDING_LIMIT = 8
    for number in range(8):
        _stored(member.user, f"page{number}.pdf")
    answer = _upload(signed_in, "page9.pdf", pdf_bytes()).json()
    assert answer["discard_url"] == PENDING
    assert answer["discard_label"] == "Abandonner les fichiers en attente (nouvel onglet)"

    page = signed_in.get(PENDING).content.decode()
    assert "8 fichiers ont été joints à des formulaires qui n'ont pas encore été envoyés" in (page)
    response = signed_in.post(PENDING, follow=True)
    assert "8 fichier(s) en attente supprimé(s)" in response.content.decode()
    assert not StoredFile.objects.filter(uploaded_by=member.user).exists()
    assert _upload(signed_in, "page9.pdf", pdf_bytes()).status_code == 201


def test_a_form_sent_without_javascript_past_the_limit_links_to_the_discard_page(
    partner_client, technician, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.UPLOAD_PENDING_LIMIT = 8
    for number in range(8):
        _stored(technician, f"page{number}.pdf")
    response = partner_client.post(
        url_of(Service.CASE_STUDY),
        {
            **valid(Service.CASE_STUDY),
            "files_files": [SimpleUploadedFile("x.pdf", pdf_bytes())],
        },
    )
    page = response.content.decode()
    assert "trop de fichiers sont en attente d&#x27;envoi" in page
    assert (
        f'<a href="{PENDING}" target="_blank" rel="noopener">'
        "Abandonner les fichiers en attente (nouvel onglet)</a>" in page
    )


def test_annuler_releases_the_files_of_the_form_and_goes_where_it_said(
    partner_client, technician, member
):
    mine = _stored(technician, "mine.pdf")
    kept = _stored(technician, "other-form.pdf")
    someone_elses = _stored(member.user, "theirs.pdf")
    page = partner_client.get(url_of(Service.CASE_STUDY)).content.decode()
    assert (
        f'formaction="{ABANDON}?next=/partenaires/accueil/" formnovalidate>Annuler</button>' in page
    )
    response = partner_client.post(
        f"{ABANDON}?next=/partenaires/accueil/",
        {"comment": "brouillon", "files": [str(mine.pk), str(someone_elses.pk), "not-a-uuid"]},
    )
    assert response.status_code == 302
    assert response["Location"] == "/partenaires/accueil/"
    assert not StoredFile.objects.filter(pk=mine.pk).exists()
    assert StoredFile.objects.filter(pk__in=[kept.pk, someone_elses.pk]).count() == 2


def test_annuler_never_sends_the_person_to_another_site(partner_client):
    response = partner_client.post(f"{ABANDON}?next=https://example.com/", {})
    assert response["Location"] == "/"


def test_the_member_forms_annuler_releases_their_files_too(signed_in):
    page = signed_in.get("/demandes/poser-une-question/").content.decode()
    assert f'formaction="{ABANDON}?next=/" formnovalidate>Annuler</button>' in page
