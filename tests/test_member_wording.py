"""Issue 16, point 22: the words and small behaviours a member notices."""

from html import unescape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from documents.sizes import file_size
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, member):
    _sign_in(client, member.user)
    return client


def test_file_sizes_read_ko_and_mo_not_kio():
    with translation.override("fr"):
        assert file_size(545) == "545 octets"
        assert file_size(3 * 1024) == "3,0 Ko"
        assert file_size(int(2.5 * 1024 * 1024)) == "2,5 Mo"
    with translation.override("en"):
        assert file_size(3 * 1024) == "3.0 KB"


def test_the_upload_widget_says_ko(signed_in):
    response = signed_in.post(
        reverse("documents:upload", args=["envoi"]),
        {"file": SimpleUploadedFile("facture.pdf", pdf_bytes() + b" " * 3000)},
    )
    assert response.json()["size_label"].endswith(" Ko")
    assert "Kio" not in response.json()["size_label"]


def test_accents_and_small_letters_where_they_belong(signed_in, member):
    page = unescape(signed_in.get("/demandes/devis/").content.decode())
    assert "Écrivez votre message" in page and "Ecrivez" not in page
    member.collective_contract = True
    member.save(update_fields=["collective_contract"])
    page = unescape(signed_in.get("/demandes/declarer-un-changement/").content.decode())
    assert "vous pouvez " in page and "vous pouvez <a" in page
    assert ">poser une question</a>" in page


def test_the_summary_page_puts_the_focus_on_the_send_button(signed_in):
    page = signed_in.post(
        "/demandes/poser-une-question/",
        {"_action": "review", "topic": "other", "message": "Bonjour"},
    ).content.decode()
    assert 'value="confirm" autofocus>' in page


def test_english_error_summaries_have_no_space_before_the_colon(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = unescape(
        signed_in.post(
            "/demandes/poser-une-question/", {"_action": "review", "topic": "", "message": ""}
        ).content.decode()
    )
    translation.activate("fr")  # the next tests read French
    summary = page[page.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert " : " not in summary
    assert ": This field is required." in summary or ": " in summary


@pytest.mark.parametrize("url", ["/carte/", "/beneficiaires/"])
def test_the_assurance_maladie_is_written_one_way(signed_in, url):
    """The institution is "l'Assurance Maladie" (as guide 001 writes it); only the common noun
    "caisse d'assurance maladie" keeps small letters."""
    page = unescape(signed_in.get(url).content.decode())
    assert "Assurance Maladie" in page
    rest = page.replace("caisse d'assurance maladie", "").replace("Assurance Maladie", "")
    assert "assurance maladie" not in rest.lower()
