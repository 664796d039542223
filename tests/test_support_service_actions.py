""" "Mes services" pages carry actions edited in the admin (issue 15): a phone number, a request
form with its topic chosen, a guide to download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from support.demo import demo_support_load
from support.models import ServiceAction, ServicePage
from tests.test_access_matrix import _sign_in
from tests.test_support_faq import page_of

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def member_client(client, member):
    _sign_in(client, member.user)
    return client


@pytest.fixture
def hospital(db):
    page = ServicePage.objects.create(
        slug="hospitalisation", title="En cas d'hospitalisation", summary="Résumé.", body="Texte."
    )
    ServiceAction.objects.create(
        page=page, kind="phone", label="Appeler l'assistance", phone="01 44 20 97 80", position=1
    )
    ServiceAction.objects.create(
        page=page,
        kind="request",
        label="Demander une prise en charge",
        request_form="requests_app:quote",
        topic="hospital",
        position=2,
    )
    ServiceAction.objects.create(
        page=page,
        kind="guide",
        label="Guide de l'hospitalisation",
        guide=SimpleUploadedFile("guide.pdf", PDF, content_type="application/pdf"),
        position=3,
    )
    return page


def test_a_service_page_offers_its_actions(member_client, hospital):
    page = page_of(member_client.get("/services/hospitalisation/"))
    assert "<h2>Vos démarches</h2>" in page
    assert 'href="tel:+33144209780">Appeler l\'assistance : 01 44 20 97 80</a>' in page
    assert 'href="/demandes/devis/?topic=hospital">Demander une prise en charge</a>' in page
    guide = ServiceAction.objects.get(kind="guide")
    assert f'href="/services/hospitalisation/guide/{guide.pk}/"' in page
    # The request form opens with the topic chosen (the member may change it).
    form = page_of(member_client.get("/demandes/devis/?topic=hospital"))
    assert '<option value="hospital" selected>Hospitalisation</option>' in form


def test_the_guide_downloads_as_a_pdf_and_only_from_its_page(member_client, hospital):
    guide = ServiceAction.objects.get(kind="guide")
    response = member_client.get(f"/services/hospitalisation/guide/{guide.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="guide-de-lhospitalisation.pdf"'
    assert b"".join(response.streaming_content) == PDF
    phone = ServiceAction.objects.get(kind="phone")
    assert member_client.get(f"/services/hospitalisation/guide/{phone.pk}/").status_code == 404
    assert member_client.get(f"/services/autre/guide/{guide.pk}/").status_code == 404
    hospital.published = False
    hospital.save()
    assert member_client.get(f"/services/hospitalisation/guide/{guide.pk}/").status_code == 404


def _inline(prefix="actions", **action):
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    data.update({f"{prefix}-0-{name}": value for name, value in action.items()})
    return data


def _page_fields():
    return {
        "title": "Téléconsultation",
        "slug": "teleconsultation",
        "summary": "Un médecin par vidéo.",
        "body": "Sept jours sur sept.",
        "published": "on",
        "position": "5",
    }


def test_managers_add_actions_in_the_admin_and_are_told_what_is_missing(client, insurer_manager):
    _sign_in(client, insurer_manager)
    url = reverse("admin:support_servicepage_add")
    response = client.post(
        url, {**_page_fields(), **_inline(kind="phone", label="Appeler", position="1")}
    )
    assert response.status_code == 200
    assert "Indiquez le numéro de téléphone." in page_of(response)
    assert not ServicePage.objects.filter(slug="teleconsultation").exists()
    response = client.post(
        url,
        {
            **_page_fields(),
            **_inline(
                kind="guide",
                label="Le guide",
                guide=SimpleUploadedFile(
                    "guide.pdf", b"not a pdf at all", content_type="application/pdf"
                ),
                position="1",
            ),
        },
    )
    assert "Le guide doit être un fichier PDF." in page_of(response)
    response = client.post(
        url,
        {
            **_page_fields(),
            **_inline(kind="phone", label="Appeler", phone="01 23 45 67 89", position="1"),
        },
    )
    assert response.status_code == 302
    action = ServiceAction.objects.get(page__slug="teleconsultation")
    assert (action.kind, action.phone) == ("phone", "01 23 45 67 89")


def test_the_demo_services_carry_actions(member_client):
    demo_support_load()
    page = page_of(member_client.get("/services/hospitalisation/"))
    assert 'href="/demandes/devis/?topic=hospital"' in page
    assert "(PDF)" in page
