"""Downloading a stored file: only through the checked view, as an attachment.

A file waiting in an unsent form is its uploader's alone: no manager reads it, not even one who
may read every request (they read a file through the request it was sent with)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.rules import SEND_DOCUMENT
from documents.services import stored_file_create
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(member):
    uploaded = SimpleUploadedFile("Attestation été 2024.pdf", pdf_bytes())
    return stored_file_create(uploaded=uploaded, rules=SEND_DOCUMENT, by=member.user)


def url(stored_file):
    return reverse("documents:download", args=[stored_file.pk])


def test_the_uploader_downloads_the_file_as_an_attachment(client, member, stored):
    client.force_login(member.user)
    response = client.get(url(stored))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Attestation%20%C3%A9t%C3%A9%202024.pdf" in disposition
    response.close()


@pytest.mark.parametrize(
    "persona",
    ["other_member", "technician", "partner_manager", "insurer_manager", "organism_manager"],
)
def test_anyone_else_gets_a_404(client, request, stored, persona):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    response = client.get(url(stored))
    assert response.status_code == 404
    assert "Attestation" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, stored):
    response = client.get(url(stored))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_file_is_a_404(client, member):
    client.force_login(member.user)
    response = client.get("/documents/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_an_expired_file_is_no_longer_served(client, member, stored):
    stored.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    stored.save()
    client.force_login(member.user)
    response = client.get(url(stored))
    assert response.status_code == 404
    assert "n'est plus disponible" in response.content.decode()


def test_a_deleted_file_is_no_longer_served(client, member, stored):
    stored.file.delete(save=False)
    stored.deleted_at = timezone.now()
    stored.save()
    client.force_login(member.user)
    response = client.get(url(stored))
    assert response.status_code == 404
    assert "n'est plus disponible" in response.content.decode()


def test_a_file_missing_from_storage_is_a_404_not_a_500(client, member, stored):
    stored.file.delete(save=False)
    client.force_login(member.user)
    assert client.get(url(stored)).status_code == 404
