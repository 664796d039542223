"""Exports of the managers' queues (issue 20, point 6): what the changelist's current filters
select, to CSV and XLSX, within what the manager may read; above QUEUE_EXPORT_DIRECT_ROWS rows
a Celery job builds the file, the page follows it and the link lasts QUEUE_EXPORT_HOURS.
Every export is journalled."""

import csv
import io
import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from casework.services import case_move
from oversight.exports import queue_exports_purge
from oversight.models import AccessEntry, QueueExport
from requests_app.models import RequestKind
from requests_app.services import member_request_submit
from tests.factories import ConventionFactory, OrganismFactory, make_partner_request
from tests.helpers.oversight import MEMBER_PERMISSIONS, make_manager
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

MEMBER_QUEUE = "/gestion/requests_app/memberrequest/"
PARTNER_QUEUE = "/gestion/partners/partnerrequest/"


def _client(user) -> Client:
    client = Client()
    _sign_in(client, user)
    return client


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx_rows(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def member_manager(db):
    return make_manager("gestionnaire.adherents", permissions=MEMBER_PERMISSIONS)


@pytest.fixture
def requests_of_two_members(member, other_member, insurer_manager):
    question = member_request_submit(member=member, kind=RequestKind.QUESTION, by=member.user)
    change = member_request_submit(
        member=other_member, kind=RequestKind.CHANGE, by=other_member.user
    )
    taken = member_request_submit(member=member, kind=RequestKind.QUESTION, by=member.user)
    case_move(case=taken, move="take", by=insurer_manager)
    return question, change, taken


def test_the_filtered_member_queue_exports_to_csv(member_manager, requests_of_two_members):
    question, change, taken = requests_of_two_members
    client = _client(member_manager)
    queue = client.get(f"{MEMBER_QUEUE}?status__exact=new")
    assert f"{MEMBER_QUEUE}export/csv/?status__exact=new" in queue.content.decode()
    response = client.get(f"{MEMBER_QUEUE}export/csv/?status__exact=new")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="memberrequest-')
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Référence", "Envoyée le", "Type"]
    assert sorted(row[0] for row in rows[1:]) == sorted([question.reference, change.reference])
    line = next(row for row in rows if row[0] == question.reference)
    assert line[5] == "Nouveau" or line[5] == "Nouvelle"
    assert line[6] == question.member.member_number


def test_the_member_queue_exports_to_xlsx_read_back(member_manager, requests_of_two_members):
    question, change, taken = requests_of_two_members
    response = _client(member_manager).get(f"{MEMBER_QUEUE}export/xlsx/?q={taken.reference}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_rows(response.content)
    assert rows[0][0] == "Référence"
    assert [row[0] for row in rows[1:]] == [taken.reference]
    assert rows[1][9] == "Camille Durand"  # the assignee
    assert rows[1][1].date() == timezone.localdate()  # a real date cell


def test_an_export_is_journalled_like_a_read(member_manager, requests_of_two_members):
    _client(member_manager).get(f"{MEMBER_QUEUE}export/csv/?status__exact=new")
    entry = AccessEntry.objects.get(kind=AccessEntry.Kind.EXPORT)
    assert entry.manager == member_manager
    assert entry.scope == AccessEntry.Scope.MEMBER
    assert "2 · CSV · status__exact=new" in entry.target


def test_an_organism_manager_exports_only_their_organisms_requests(
    organism, organism_manager, technician, convention, member_manager, requests_of_two_members
):
    other = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=convention.structure, organism=other)
    ours = make_partner_request(technician=technician, organism=organism)
    theirs = make_partner_request(technician=technician, organism=other)
    client = _client(organism_manager)
    rows = _csv_rows(client.get(f"{PARTNER_QUEUE}export/csv/"))
    assert [row[0] for row in rows[1:]] == [ours.number]
    # Filtering on the other organism selects nothing of it.
    filtered = client.get(f"{PARTNER_QUEUE}export/csv/?organism__id__exact={other.pk}")
    assert theirs.number not in filtered.content.decode("utf-8-sig")
    # The member queue is none of their business.
    assert client.get(f"{MEMBER_QUEUE}export/csv/").status_code == 404
    entries = AccessEntry.objects.filter(kind=AccessEntry.Kind.EXPORT, manager=organism_manager)
    assert {(entry.scope, entry.organism) for entry in entries} == {
        (AccessEntry.Scope.PARTNER, organism)
    }


def test_a_large_export_is_built_by_a_job_followed_on_a_page(
    settings, member_manager, requests_of_two_members, django_capture_on_commit_callbacks
):
    settings.QUEUE_EXPORT_DIRECT_ROWS = 2
    client = _client(member_manager)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.get(f"{MEMBER_QUEUE}export/xlsx/")
    assert len(queued) == 1
    export = QueueExport.objects.get()
    progress = f"{MEMBER_QUEUE}export/{export.pk}/"
    assert response.status_code == 302 and response["Location"] == progress
    # The job ran (eagerly here): the page offers the file.
    page = client.get(progress)
    assert "L'export est prêt : 3 lignes." in unescape(page.content.decode())
    answer = client.get(progress, headers={"Accept": "application/json"}).json()
    assert answer["state"] == "ready"
    assert answer["download"] == f"{progress}fichier/"
    download = client.get(answer["download"])
    rows = _xlsx_rows(b"".join(download.streaming_content))
    assert len(rows) == 4
    assert AccessEntry.objects.filter(kind=AccessEntry.Kind.EXPORT).count() == 1


def test_a_large_export_is_its_requesters_only_and_lasts_24_hours(
    settings,
    member_manager,
    insurer_manager,
    requests_of_two_members,
    django_capture_on_commit_callbacks,
):
    settings.QUEUE_EXPORT_DIRECT_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        _client(member_manager).get(f"{MEMBER_QUEUE}export/csv/")
    export = QueueExport.objects.get()
    assert export.state == QueueExport.State.READY
    assert timedelta(hours=23) < export.expires_at - timezone.now() <= timedelta(hours=24)
    progress = f"{MEMBER_QUEUE}export/{export.pk}/"
    stranger = _client(insurer_manager)
    assert stranger.get(progress).status_code == 404
    assert stranger.get(f"{progress}fichier/").status_code == 404
    assert stranger.get(f"{MEMBER_QUEUE}export/{uuid.uuid4()}/").status_code == 404
    # Under another list's address, it does not exist either.
    assert _client(member_manager).get(f"{PARTNER_QUEUE}export/{export.pk}/").status_code == 404
    QueueExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert _client(member_manager).get(f"{progress}fichier/").status_code == 404
    assert queue_exports_purge() == 1
    assert not QueueExport.objects.exists()


def test_an_unknown_format_or_filter_is_refused_plainly(member_manager, requests_of_two_members):
    client = _client(member_manager)
    assert client.get(f"{MEMBER_QUEUE}export/pdf/").status_code == 404
    response = client.get(f"{MEMBER_QUEUE}export/csv/?nothing__exact=1", follow=True)
    assert response.status_code == 200
    assert "Ces filtres ne peuvent pas être exportés." in response.content.decode()


@pytest.mark.worker
def test_a_separate_worker_process_builds_a_large_export(worker, member_manager, member):
    from oversight.tasks import build_queue_export
    from requests_app.models import MemberRequest

    for _ in range(3):
        member_request_submit(member=member, kind=RequestKind.QUESTION, by=member.user)
    now = timezone.now()
    export = QueueExport.objects.create(
        requested_by=member_manager,
        model=MemberRequest._meta.label_lower,
        query="kind__exact=question",
        format=QueueExport.Format.CSV,
        rows_total=3,
        expires_at=now + timedelta(hours=24),
    )
    worker.enqueue(build_queue_export, str(export.pk))
    worker.wait_for(
        lambda: QueueExport.objects.get(pk=export.pk).state == QueueExport.State.READY,
        "the export built",
    )
    export.refresh_from_db()
    with export.file.open("rb") as built:
        rows = list(csv.reader(io.StringIO(built.read().decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4 and export.rows_done == 3
