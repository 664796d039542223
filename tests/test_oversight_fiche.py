"""The member's fiche for managers (issue 20, point 5) and the access journal: every opening
of a fiche, a request or a file by a manager is journalled, the NIR is shown only when asked
(and that too is journalled), and the data-protection role reads the journal within its scope.
An organism manager sees nothing of members (404)."""

import csv
import io
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents.rules import SEND_DOCUMENT
from documents.services import stored_file_create
from oversight.models import AccessEntry
from requests_app.models import RequestKind
from requests_app.services import member_request_submit
from tests.factories import ContractFactory, make_partner_request, make_payment
from tests.helpers.oversight import MEMBER_PERMISSIONS, make_manager
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

MEMBER_NIR = "180057512345629"
LUCAS_NIR = "295109912611193"
JOURNAL = "/gestion/oversight/accessentry/"


def _fiche_url(member):
    return f"/gestion/accounts/member/{member.pk}/fiche/"


def _page(response) -> str:
    return unescape(response.content.decode())


def _client(user) -> Client:
    client = Client()
    _sign_in(client, user)
    return client


@pytest.fixture
def member_manager(db):
    return make_manager("gestionnaire.adherents", permissions=MEMBER_PERMISSIONS)


@pytest.fixture
def dpo(db):
    return make_manager(
        "dpo", permissions=[("accounts", "view_member")], dpo=True, last_name="DELEGUE"
    )


@pytest.fixture
def known_member(member):
    member.nir = MEMBER_NIR
    member.save()
    lucas = member.beneficiaries.get(first_name="Lucas")
    lucas.nir = LUCAS_NIR
    lucas.save()
    ContractFactory(member=member, number="CT-777")
    make_payment(member, lines=2)
    return member


def test_the_fiche_shows_the_members_whole_situation_with_the_nir_masked(
    member_manager, known_member
):
    request = member_request_submit(
        member=known_member, kind=RequestKind.QUESTION, by=known_member.user
    )
    response = _client(member_manager).get(_fiche_url(known_member))
    assert response.status_code == 200
    page = _page(response)
    assert known_member.member_number in page
    assert known_member.email in page
    assert "CT-777" in page  # contracts
    assert "Lucas" in page and "Paul" in page  # beneficiaries
    assert "Consultation médecin généraliste" in page  # last reimbursements
    assert request.reference in page
    assert f"/gestion/requests_app/memberrequest/{request.pk}/change/" in page
    assert "Nouveau" in page or "Nouvelle" in page  # the request's status
    assert "Courriel" in page and "SMS" in page  # sign-in channels, masked
    assert known_member.user.email not in page.split("Canaux de code")[1]
    # The NIR: the sex digit and the key only, never the number.
    assert "1 •• •• •• ••• ••• 29" in page
    assert MEMBER_NIR not in page.replace(" ", "")
    assert LUCAS_NIR not in page.replace(" ", "")


def test_opening_the_fiche_is_journalled_with_its_optional_reason(member_manager, known_member):
    client = _client(member_manager)
    client.get(_fiche_url(known_member) + "?motif=Appel+de+l%27adhérent")
    entry = AccessEntry.objects.get()
    assert (entry.manager, entry.member, entry.kind) == (
        member_manager,
        known_member,
        AccessEntry.Kind.FICHE,
    )
    assert entry.reason == "Appel de l'adhérent"
    # Without a reason in the link, the manager may say it once on the page.
    response = client.get(_fiche_url(known_member))
    opened = AccessEntry.objects.latest("pk")
    assert opened.reason == ""
    assert f'value="{opened.pk}"' in _page(response)
    client.post(
        _fiche_url(known_member),
        {"action": "motif", "entry": opened.pk, "motif": "Réclamation"},
    )
    opened.refresh_from_db()
    assert opened.reason == "Réclamation"
    # Said once: the journal is not rewritten afterwards.
    client.post(_fiche_url(known_member), {"action": "motif", "entry": opened.pk, "motif": "Autre"})
    opened.refresh_from_db()
    assert opened.reason == "Réclamation"


def test_showing_the_nir_is_asked_explicitly_and_journalled(member_manager, known_member):
    client = _client(member_manager)
    client.get(_fiche_url(known_member))
    response = client.post(
        _fiche_url(known_member), {"action": "nir", "motif": "Vérification des droits"}
    )
    page = _page(response)
    assert "1 80 05 75 123 456 29" in page
    assert "2 95 10 99 126 111 93" in page
    shown = AccessEntry.objects.get(kind=AccessEntry.Kind.NIR)
    assert (shown.manager, shown.member, shown.reason) == (
        member_manager,
        known_member,
        "Vérification des droits",
    )


def test_the_member_and_request_pages_link_to_the_fiche(member_manager, known_member):
    client = _client(member_manager)
    change = client.get(f"/gestion/accounts/member/{known_member.pk}/change/")
    assert _fiche_url(known_member) in _page(change)
    # The record's edit page shows the NIR: its opening is journalled too.
    opened = AccessEntry.objects.get()
    assert (opened.kind, opened.member, opened.manager) == (
        AccessEntry.Kind.MEMBER,
        known_member,
        member_manager,
    )
    request = member_request_submit(
        member=known_member, kind=RequestKind.QUESTION, by=known_member.user
    )
    page = client.get(f"/gestion/requests_app/memberrequest/{request.pk}/change/")
    assert _fiche_url(known_member) in _page(page)


def test_opening_a_request_or_its_file_is_journalled(member_manager, known_member):
    upload = stored_file_create(
        uploaded=SimpleUploadedFile("ordonnance.pdf", pdf_bytes()),
        rules=SEND_DOCUMENT,
        by=known_member.user,
    )
    request = member_request_submit(
        member=known_member,
        kind=RequestKind.DOCUMENT,
        by=known_member.user,
        subject="Facture",
        attachments=[upload],
    )
    client = _client(member_manager)
    opened = client.get(f"/gestion/requests_app/memberrequest/{request.pk}/change/")
    assert opened.status_code == 200
    served = client.get(f"/documents/{upload.pk}/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF")
    entries = list(AccessEntry.objects.order_by("pk"))
    assert [(e.kind, e.member_id) for e in entries] == [
        (AccessEntry.Kind.MEMBER_REQUEST, known_member.pk),
        (AccessEntry.Kind.FILE, known_member.pk),
    ]
    assert entries[0].target == request.reference
    assert entries[1].target == f"ordonnance.pdf ({request.reference})"
    # The member reading their own file is no manager's read.
    own = _client(known_member.user).get(f"/documents/{upload.pk}/")
    assert b"".join(own.streaming_content).startswith(b"%PDF")
    assert AccessEntry.objects.count() == 2


def test_the_data_protection_role_reads_filters_and_exports_the_journal(
    member_manager, dpo, known_member, other_member
):
    manager = _client(member_manager)
    manager.get(_fiche_url(known_member))
    manager.get(_fiche_url(other_member))
    client = _client(dpo)
    listed = client.get(JOURNAL)
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == 2
    by_member = client.get(f"{JOURNAL}?member__id__exact={known_member.pk}")
    assert [e.member for e in by_member.context["cl"].result_list] == [known_member]
    by_manager = client.get(f"{JOURNAL}?manager__id__exact={member_manager.pk}")
    assert len(by_manager.context["cl"].result_list) == 2
    # The DPO's fiche offers the member's journal.
    fiche = client.get(_fiche_url(known_member))
    assert f"{JOURNAL}?member__id__exact={known_member.pk}" in _page(fiche)
    exported = client.get(f"{JOURNAL}export/csv/?member__id__exact={known_member.pk}")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Le", "Gestionnaire", "Consultation"]
    assert [row[2] for row in rows[1:]] == ["Fiche adhérent", "Fiche adhérent"]
    assert {row[3] for row in rows[1:]} == {known_member.member_number}
    # The export is itself journalled.
    assert AccessEntry.objects.filter(manager=dpo, kind=AccessEntry.Kind.EXPORT).exists()


def test_nobody_adds_changes_or_deletes_an_entry(insurer_manager, member_manager, known_member):
    _client(member_manager).get(_fiche_url(known_member))
    entry = AccessEntry.objects.get()
    client = _client(insurer_manager)  # a superuser
    assert client.get(f"{JOURNAL}add/").status_code == 403
    change = client.get(f"{JOURNAL}{entry.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in _page(change)
    assert client.post(f"{JOURNAL}{entry.pk}/change/", {"reason": "x"}).status_code == 403
    assert client.get(f"{JOURNAL}{entry.pk}/delete/").status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""


def test_a_manager_without_the_role_never_sees_the_journal(member_manager, known_member):
    client = _client(member_manager)
    client.get(_fiche_url(known_member))
    assert client.get(JOURNAL).status_code == 404
    entry = AccessEntry.objects.get()
    assert client.get(f"{JOURNAL}{entry.pk}/change/").status_code == 404
    assert client.get(f"{JOURNAL}export/csv/").status_code == 404


def test_an_organism_manager_sees_no_fiche_and_no_journal_of_members(
    organism_manager, member_manager, known_member
):
    _client(member_manager).get(_fiche_url(known_member))
    client = _client(organism_manager)
    assert client.get(_fiche_url(known_member)).status_code == 404
    assert client.post(_fiche_url(known_member), {"action": "nir"}).status_code == 404
    assert client.get(JOURNAL).status_code == 404
    assert AccessEntry.objects.count() == 1  # nothing journalled for a page never shown


def test_an_organism_dpo_reads_only_the_journal_of_their_organism(
    organism, organism_manager, technician, convention, member_manager, known_member
):
    from django.contrib.auth.models import Group

    from oversight.journal import DPO_GROUP
    from tests.factories import ConventionFactory, OrganismFactory

    organism_manager.groups.add(Group.objects.get(name=DPO_GROUP))
    other = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=convention.structure, organism=other)
    other_manager = make_manager("gestionnaire.landes")
    other.managers.add(other_manager)
    ours = make_partner_request(technician=technician, organism=organism)
    theirs = make_partner_request(technician=technician, organism=other)
    _client(organism_manager).get(f"/gestion/partners/partnerrequest/{ours.pk}/change/")
    _client(other_manager).get(f"/gestion/partners/partnerrequest/{theirs.pk}/change/")
    _client(member_manager).get(_fiche_url(known_member))
    client = _client(organism_manager)
    listed = client.get(JOURNAL)
    assert listed.status_code == 200
    assert [e.target for e in listed.context["cl"].result_list] == [ours.number]
    elsewhere = AccessEntry.objects.get(target=theirs.number)
    assert client.get(f"{JOURNAL}{elsewhere.pk}/change/").status_code == 404
    fiche_entry = AccessEntry.objects.get(kind=AccessEntry.Kind.FICHE)
    assert client.get(f"{JOURNAL}{fiche_entry.pk}/change/").status_code == 404
    exported = client.get(f"{JOURNAL}export/csv/")
    text = exported.content.decode("utf-8-sig")
    assert ours.number in text and theirs.number not in text
    assert known_member.member_number not in text


def test_a_reason_too_long_is_said_next_to_the_field_and_kept(member_manager, known_member):
    client = _client(member_manager)
    client.get(_fiche_url(known_member))
    too_long = "x" * 301
    response = client.post(_fiche_url(known_member), {"action": "nir", "motif": too_long})
    page = _page(response)
    assert response.status_code == 200
    assert "Le motif tient en 300 caractères au plus." in page
    assert too_long in page  # what was typed stays
    assert "1 •• •• •• ••• ••• 29" in page  # and the NIR stays masked
    assert not AccessEntry.objects.filter(kind=AccessEntry.Kind.NIR).exists()
