"""The move onto the casework core keeps every request: numbers, files, history and answers.

The database is taken back to the migrations before casework, filled with data shaped like the
demo (a member's requests in each status, one answered with a file; partner requests answered,
completed, cancelled), then migrated forward, and read back through today's models and pages.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from casework.lifecycle import case_type_of
from casework.models import CaseEvent, CaseMessage, Side
from casework.selectors import case_thread
from casework.services import case_move
from documents.models import StoredFile
from partners.models import PartnerRequest
from requests_app.models import MemberRequest
from tests.factories import make_partner_user

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("requests_app", "0003_member_request_counter"),
    ("partners", "0003_convention_counter"),
    ("casework", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _file(name, by, *, days_ago=0):
    now = timezone.now() - timedelta(days=days_ago)
    return StoredFile.objects.create(
        original_name=name,
        file=f"2026/11/{name}",
        size=1200,
        content_type="application/pdf",
        sha256="0" * 64,
        uploaded_by=by,
        created_at=now,
        attached_at=now,
        expires_at=now + timedelta(days=15),
    )


@pytest.fixture
def old_apps():
    apps = _migrate(BEFORE)
    yield apps
    _migrate(_latest())


def test_member_requests_keep_their_numbers_files_history_and_answers(
    old_apps, member, insurer_manager
):
    OldRequest = old_apps.get_model("requests_app", "MemberRequest")
    Change = old_apps.get_model("requests_app", "RequestStatusChange")
    Answer = old_apps.get_model("requests_app", "RequestAnswer")
    now = timezone.now()
    sent = now - timedelta(days=20)
    user = member.user
    invoice = _file("facture.png", user, days_ago=20)
    letter = _file("reponse-carte.pdf", insurer_manager, days_ago=18)

    def request(number, status, **fields):
        return OldRequest.objects.create(
            reference=f"DEM-2026-00000{number}", member_id=member.pk, kind="question",
            topic_label="Ma carte", message="Comment obtenir ma carte ?", status=status,
            submitted_by_id=user.pk, created_at=sent, updated_at=sent, **fields,
        )  # fmt: skip

    new = request(1, "new")
    new.attachments.add(invoice.pk)
    taken = request(2, "in_progress", assignee_id=insurer_manager.pk)
    answered = request(3, "resolved", assignee_id=insurer_manager.pk, resolved_at=sent)
    for case, moves in ((new, ["new"]), (taken, ["new", "in_progress"]),
                        (answered, ["new", "in_progress", "resolved"])):  # fmt: skip
        before = ""
        for to in moves:
            Change.objects.create(
                request_id=case.pk, from_status=before, to_status=to, at=sent,
                by_id=user.pk if to == "new" else insurer_manager.pk, notified_at=sent,
            )  # fmt: skip
            before = to
    answer = Answer.objects.create(
        request_id=answered.pk, member_id=member.pk, author_id=insurer_manager.pk,
        text="Votre carte est en pièce jointe.", created_at=sent, read_at=now,
    )  # fmt: skip
    answer.attachments.add(letter.pk)

    _migrate(_latest())

    requests = {r.reference: r for r in MemberRequest.objects.filter(member=member)}
    assert sorted(requests) == ["DEM-2026-000001", "DEM-2026-000002", "DEM-2026-000003"]
    first, second, third = (requests[f"DEM-2026-00000{n}"] for n in (1, 2, 3))
    assert [f.original_name for f in first.attachments.all()] == ["facture.png"]
    assert (first.status, second.status, third.status) == ("new", "in_progress", "resolved")
    assert third.status_changed_at == sent and third.assignee == insurer_manager

    kind_type = case_type_of(third).content_type()
    events = CaseEvent.objects.filter(case_id=third.pk, case_type=kind_type)
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("submit", "", "new"),
        ("take", "new", "in_progress"),
        ("resolve", "in_progress", "resolved"),
    ]
    # Those emails went out before the move: none goes again.
    assert all(e.notified_at == sent for e in events)
    message = CaseMessage.objects.get(case_id=third.pk, case_type=events[0].case_type)
    assert events[2].message == message
    assert (message.side, message.party_id, message.text) == (
        Side.INSURER,
        member.pk,
        "Votre carte est en pièce jointe.",
    )
    assert message.read_at is not None and message.author == insurer_manager
    assert [f.original_name for f in message.attachments.all()] == ["reponse-carte.pdf"]
    # "L'intégralité des retours reçus": the member's files no longer expire.
    letter.refresh_from_db()
    invoice.refresh_from_db()
    assert letter.expires_at is None and invoice.expires_at is None

    thread = case_thread(third, side=Side.REQUESTER)
    assert [item.label for item in thread] == [
        "Demande envoyée",
        "Demande prise en charge",
        "Réponse apportée",
    ]
    assert thread[2].message == message

    # Later messages get new numbers (the id sequence follows the migrated rows).
    case_move(case=second, move="ask", by=insurer_manager, text="Joignez votre RIB.")
    assert CaseMessage.objects.count() == 2


def test_partner_requests_keep_their_answers_completions_and_cancellations(
    structure, organism, convention, organism_manager, old_apps
):
    # The reference rows are made before going back (today's models write today's columns).
    from accounts.models import User

    technician = make_partner_user(User.Role.TECHNICIAN, structure, first_name="Sophie")
    OldRequest = old_apps.get_model("partners", "PartnerRequest")
    Event = old_apps.get_model("partners", "PartnerRequestEvent")
    now = timezone.now()
    filed = now - timedelta(days=10)
    sent_file = _file("avis-imposition.pdf", technician, days_ago=10)
    received = _file("reponse-cpam.pdf", organism_manager, days_ago=2)

    def request(number, status, **fields):
        return OldRequest.objects.create(
            number=f"263310000{number}", organism_id=organism.pk, structure_id=structure.pk,
            requester_id=technician.pk, requester_name="BERNARD Sophie", service=1,
            motif="aide_financiere", status=status, status_changed_at=filed, created_at=filed,
            **{"comment": "Rééquilibre budgétaire.", **fields},
        )  # fmt: skip

    resolved = request(1, "resolved", answer="Le dossier est étudié.", resolved_at=now,
                       assignee_id=organism_manager.pk)  # fmt: skip
    resolved.attachments.add(sent_file.pk)
    resolved.answer_files.add(received.pk)
    completed = request(2, "new", comment="Commentaire complété.")
    cancelled = request(3, "cancelled", cancel_reason="autre_canal")
    for case, moves in ((resolved, ["new", "in_progress", "resolved"]), (completed, ["new"]),
                        (cancelled, ["new", "cancelled"])):  # fmt: skip
        before = ""
        for to in moves:
            Event.objects.create(
                request_id=case.pk, kind="status", from_status=before, to_status=to, at=filed,
                by_id=technician.pk, notified_at=filed if to == "in_progress" else None,
            )  # fmt: skip
            before = to
    Event.objects.create(
        request_id=completed.pk, kind="completed", previous_comment="Premier commentaire.",
        added_files=0, at=now, by_id=technician.pk,
    )  # fmt: skip

    _migrate(_latest())

    kind_type = case_type_of(PartnerRequest).content_type()
    answered = PartnerRequest.objects.get(number="2633100001")
    message = CaseMessage.objects.get(case_type=kind_type, case_id=answered.pk)
    assert (message.side, message.text, message.party_id) == (
        Side.INSURER,
        "Le dossier est étudié.",
        structure.pk,
    )
    assert [f.original_name for f in message.attachments.all()] == ["reponse-cpam.pdf"]
    assert [f.original_name for f in answered.attachments.all()] == ["avis-imposition.pdf"]
    # The partners' received files still go after 15 days, as the guide says.
    received.refresh_from_db()
    assert received.expires_at is not None

    events = list(CaseEvent.objects.filter(case_type=kind_type, case_id=answered.pk))
    assert [e.action for e in events] == ["submit", "take", "resolve"]
    assert events[2].message == message and events[2].notification == "resolved"
    # "Pris en charge" went out; "Résolu" never did and is still to be sent (no email on filing).
    assert events[0].notification == "" and events[1].notified_at == filed
    assert events[2].notified_at is None

    completion = CaseEvent.objects.get(case_type=kind_type, action="complete")
    assert completion.data == {"previous_comment": "Premier commentaire.", "added_files": 0}
    cancellation = CaseEvent.objects.get(case_type=kind_type, action="cancel")
    assert cancellation.data == {"reason": "autre_canal"}
    assert PartnerRequest.objects.get(number="2633100003").cancel_reason == "autre_canal"
    assert PartnerRequest.objects.get(number="2633100002").comment == "Commentaire complété."
