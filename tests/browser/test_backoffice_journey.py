"""The back office's reads, end to end in Chromium (issue 20, points 5 and 6): a manager opens
a member's fiche from one of their requests and shows the NIR; the data-protection role finds
both in the access journal; a manager exports the filtered queue to CSV and XLSX and reads the
files back. The pages added (fiche, journal, export progress) pass axe-core."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from oversight.models import QueueExport
from requests_app.models import RequestKind
from requests_app.services import member_request_submit
from tests.browser.conftest import open_signed_in
from tests.helpers.axe import assert_no_violation
from tests.helpers.oversight import MEMBER_PERMISSIONS, make_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/gestion/requests_app/memberrequest/"


@pytest.fixture
def member_manager(db):
    return make_manager(
        "gestionnaire.adherents", permissions=MEMBER_PERMISSIONS, last_name="BERNARD"
    )


@pytest.fixture
def dpo(db):
    return make_manager("dpo", permissions=[("accounts", "view_member")], dpo=True)


def test_a_fiche_opened_by_a_manager_is_read_in_the_journal_by_the_dpo(
    new_page, live_server, member, member_manager, dpo
):
    member.nir = "180057512345629"
    member.save()
    sent = member_request_submit(member=member, kind=RequestKind.QUESTION, by=member.user)
    admin = open_signed_in(new_page, live_server, member_manager, f"{QUEUE}{sent.pk}/change/")
    admin.get_by_role("link", name="Fiche adhérent").click()
    admin.wait_for_url(re.compile(r"/fiche/$"))
    admin.get_by_role("heading", name="Identité et coordonnées").wait_for()
    assert admin.get_by_text("1 •• •• •• ••• ••• 29").is_visible()
    assert_no_violation(admin)
    admin.get_by_label("Motif de la consultation (facultatif)").fill("Appel de l'adhérente")
    admin.get_by_role("button", name="Afficher le NIR").click()
    admin.get_by_text("1 80 05 75 123 456 29").wait_for()
    assert admin.get_by_role("link", name=sent.reference).is_visible()

    journal = open_signed_in(
        new_page, live_server, dpo, f"/gestion/accounts/member/{member.pk}/fiche/"
    )
    journal.get_by_role("link", name="Journal des consultations de l'adhérent").click()
    journal.wait_for_url(re.compile(r"/oversight/accessentry/\?member__id__exact="))
    rows = journal.locator("#result_list tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any("NIR affiché" in t and "BERNARD" in t and "Appel de l'adhérente" in t for t in texts)
    assert any("Fiche adhérent" in t and "BERNARD" in t for t in texts)
    assert_no_violation(journal)


def test_a_manager_exports_the_filtered_queue_and_reads_it_back(
    new_page, live_server, settings, member, other_member, member_manager
):
    first = member_request_submit(member=member, kind=RequestKind.QUESTION, by=member.user)
    member_request_submit(member=other_member, kind=RequestKind.CHANGE, by=other_member.user)
    admin = open_signed_in(new_page, live_server, member_manager, f"{QUEUE}?kind__exact=question")
    with admin.expect_download() as downloaded:
        admin.get_by_role("link", name="Exporter (CSV)").click()
    text = Path(downloaded.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Référence"
    assert [row[0] for row in rows[1:]] == [first.reference]

    # Above the threshold the job builds it; the page follows it and offers the file.
    settings.QUEUE_EXPORT_DIRECT_ROWS = 1
    admin.goto(QUEUE)
    admin.get_by_role("link", name="Exporter (XLSX)").click()
    admin.wait_for_url(re.compile(r"/export/[0-9a-f-]+/$"))
    link = admin.get_by_role("link", name="Télécharger l'export")
    link.wait_for()
    assert_no_violation(admin)
    with admin.expect_download() as downloaded:
        link.click()
    workbook = load_workbook(io.BytesIO(Path(downloaded.value.path()).read_bytes()))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert len(sheet_rows) == 3
    assert QueueExport.objects.get().state == QueueExport.State.READY


def test_a_formules_history_page_has_no_axe_violation(new_page, live_server, insurer_manager):
    from cover.models import Guarantee
    from tests.factories import ProductFactory

    product = ProductFactory(guarantees=[])
    product.name = "Santé Confort"
    product.save()
    Guarantee.objects.create(
        product=product, care_type="optics", label="Lunettes", coverage="250 € par an"
    )
    page = open_signed_in(
        new_page, live_server, insurer_manager, f"/gestion/cover/product/{product.pk}/history/"
    )
    page.get_by_text("Versions des garanties de la formule").wait_for()
    assert_no_violation(page)
