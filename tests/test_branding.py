import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Branding

pytestmark = pytest.mark.django_db

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4bd0000000049454e44ae426082"
)


def test_pages_show_the_insurers_name_colours_and_contact_details(client):
    Branding.objects.update_or_create(
        pk=1,
        defaults={
            "insurer_name": "Mutuelle des Pins",
            "primary_colour": "#123456",
            "contact_phone": "05 56 00 00 00",
            "opening_hours": "du lundi au vendredi de 9h à 17h",
        },
    )
    page = client.get("/").content.decode()
    assert "Mutuelle des Pins" in page
    assert "--brand: #123456" in page
    assert "05 56 00 00 00" in page
    assert "du lundi au vendredi de 9h à 17h" in page


def test_the_logo_is_served_when_one_is_uploaded(client):
    assert client.get("/portail/logo/").status_code == 404
    branding = Branding.current()
    branding.logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    branding.save()
    response = client.get("/portail/logo/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert 'src="/portail/logo/"' in client.get("/").content.decode()


def test_there_is_only_ever_one_branding_row():
    Branding(insurer_name="A").save()
    Branding(insurer_name="B").save()
    assert Branding.objects.count() == 1
    assert Branding.current().insurer_name == "B"


def test_the_back_office_carries_the_insurers_name(client, insurer_manager):
    from tests.test_access_matrix import _sign_in

    Branding.objects.update_or_create(pk=1, defaults={"insurer_name": "Mutuelle des Pins"})
    _sign_in(client, insurer_manager)
    page = client.get("/gestion/").content.decode()
    assert "Mutuelle des Pins · gestion" in page
    assert "Administration de Django" not in page
