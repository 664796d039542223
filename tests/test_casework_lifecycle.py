"""Every move of both case types, allowed and forbidden, through the one transition service.

The expected tables are written here, not read from the declaration: a change of workflow
shows up as a failing test to update on purpose. An allowed move lands in its status with one
journal event; a forbidden one raises a French message and leaves no trace.
"""

import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from casework.lifecycle import case_type_of
from casework.models import CaseEvent, CaseMessage
from casework.services import CaseError, case_can, case_move
from documents.rules import ANSWER, PARTNER_REQUEST, SEND_DOCUMENT
from documents.services import stored_file_create
from partners.catalogue import Service
from partners.models import PartnerRequest
from partners.services import partner_request_complete, partner_request_submit
from requests_app.models import MemberRequest
from requests_app.services import member_request_submit
from tests.factories import UserFactory
from tests.test_uploads import pdf_bytes

STATUSES = ["new", "in_progress", "awaiting", "resolved", "cancelled"]

# move -> {status before: status after}; every other status refuses the move.
MEMBER_MOVES = {
    "take": {"new": "in_progress"},
    "ask": {"in_progress": "awaiting"},
    "reply": {"awaiting": "in_progress"},
    "write": {"new": "new", "in_progress": "in_progress"},
    "reopen": {"resolved": "in_progress"},
    "resolve": {"in_progress": "resolved", "awaiting": "resolved"},
    "cancel": {"new": "cancelled"},
}
PARTNER_MOVES = {
    "take": {"new": "in_progress"},
    "ask": {"in_progress": "awaiting"},
    "reply": {"awaiting": "in_progress"},
    "resolve": {"in_progress": "resolved", "awaiting": "resolved"},
    "cancel": {"new": "cancelled"},
    "complete": {"new": "new"},
}
INSURER_MOVES = {"take", "ask", "resolve"}
REQUESTER_TEXT = {"reply", "write", "reopen"}
# The email each move announces to the requester ("" none).
MEMBER_EMAILS = {"take": "taken", "ask": "asked", "resolve": "resolved"}
PARTNER_EMAILS = {"take": "taken", "ask": "asked", "resolve": "resolved"}

# Reached by this very move of the same person (see PATHS): repeating it is a no-op.
REPEATS = {("take", "in_progress"), ("cancel", "cancelled")}

CASES = [
    *[("member", move, status) for move in MEMBER_MOVES for status in STATUSES],
    *[("partner", move, status) for move in PARTNER_MOVES for status in STATUSES],
]


@pytest.fixture
def people(member, technician, convention, organism_manager, insurer_manager):
    return {
        "member": {"requester": member.user, "insurer": insurer_manager, "member": member},
        "partner": {"requester": technician, "insurer": organism_manager, "space": convention},
    }


def _new_case(kind, people):
    if kind == "member":
        return member_request_submit(
            member=people["member"]["member"],
            kind="question",
            by=people["member"]["requester"],
            message="Comment obtenir ma carte ?",
        )
    convention = people["partner"]["space"]
    return partner_request_submit(
        by=people["partner"]["requester"],
        structure=convention.structure,
        organism=convention.organism,
        service=Service.CASE_STUDY,
        motif="etude_c2s",
        comment="Hospitalisation en cours.",
        person={
            "civility": "MME", "last_name": "TUTU", "first_name": "Joséphine",
            "birth_date": timezone.localdate() - timedelta(days=20000), "birth_place": "44",
            "phone": "0700000000",
        },
    )  # fmt: skip


# The way each status is reached, by the moves the guides describe.
PATHS = {
    "new": [],
    "in_progress": ["take"],
    "awaiting": ["take", "ask"],
    "resolved": ["take", "resolve"],
    "cancelled": ["cancel"],
}


def _move(kind, people, case, name, **extra):
    side = "insurer" if name in INSURER_MOVES else "requester"
    by = people[kind][side]
    if name == "complete":
        return partner_request_complete(request=case, by=by, comment="Complété.", **extra)
    options = {}
    if name in INSURER_MOVES - {"take"} or name in REQUESTER_TEXT:
        options["text"] = f"Message de {name}."
    if name == "cancel":
        options["reason"] = "autre"
    return case_move(case=case, move=name, by=by, **options, **extra)


def _case_in(kind, status, people):
    case = _new_case(kind, people)
    for name in PATHS[status]:
        _move(kind, people, case, name)
    case.refresh_from_db()
    assert case.status == status
    return case


def _trace(case):
    kind = case_type_of(case)
    where = {"case_type": kind.content_type(), "case_id": case.pk}
    return CaseEvent.objects.filter(**where).count(), CaseMessage.objects.filter(**where).count()


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "move", "status"), CASES)
def test_each_move_is_allowed_exactly_from_the_statuses_the_workflow_names(
    kind, move, status, people
):
    table = MEMBER_MOVES if kind == "member" else PARTNER_MOVES
    case = _case_in(kind, status, people)
    events, messages = _trace(case)
    before = case.status_changed_at
    expected = table[move].get(status)

    if (move, status) in REPEATS:
        # The state came from this very move by the same person: a repeat (a double click)
        # changes nothing and is not an error.
        last = CaseEvent.objects.filter(case_id=case.pk, action=move).get()
        assert _move(kind, people, case, move).pk == last.pk
        assert _trace(case) == (events, messages)
        return

    if expected is None:
        assert not case_can(case, move)
        with pytest.raises(CaseError) as refused:
            _move(kind, people, case, move)
        assert "La demande" in refused.value.message
        case.refresh_from_db()
        assert (case.status, case.status_changed_at) == (status, before)
        assert _trace(case) == (events, messages)
        return

    assert case_can(case, move)
    event = _move(kind, people, case, move)
    case.refresh_from_db()
    assert case.status == expected
    assert (event.action, event.from_status, event.to_status) == (move, status, expected)
    carries_text = move in (INSURER_MOVES - {"take"}) | REQUESTER_TEXT
    assert _trace(case) == (events + 1, messages + (1 if carries_text else 0))
    assert (event.message is not None) == carries_text
    emails = MEMBER_EMAILS if kind == "member" else PARTNER_EMAILS
    assert event.notification == emails.get(move, "")
    if expected != status:
        assert case.status_changed_at == event.at
    else:
        assert case.status_changed_at == before


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["member", "partner"])
def test_a_refused_move_says_which_status_stops_it(kind, people):
    case = _case_in(kind, "new", people)
    with pytest.raises(CaseError) as refused:
        _move(kind, people, case, "resolve")
    reference = case.reference if kind == "member" else case.number
    assert refused.value.message == (
        f"La demande {reference} est « Nouveau » : elle ne peut pas passer à « Résolu »."
    )


@pytest.mark.django_db
def test_the_partners_have_no_free_message_nor_reopening(people):
    case = _case_in("partner", "resolved", people)
    kind = case_type_of(case)
    assert not kind.has_move("write") and not kind.has_move("reopen")
    with pytest.raises(KeyError):
        case_move(case=case, move="reopen", by=people["partner"]["requester"], text="Encore")


@pytest.mark.django_db
def test_a_member_reopens_only_within_thirty_days_of_the_answer(people):
    case = _case_in("member", "resolved", people)
    MemberRequest.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=31))
    case.refresh_from_db()
    events = _trace(case)
    with pytest.raises(CaseError) as refused:
        _move("member", people, case, "reopen")
    assert "plus de 30 jours" in refused.value.message
    assert _trace(case) == events
    MemberRequest.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=29))
    case.refresh_from_db()
    _move("member", people, case, "reopen")
    case.refresh_from_db()
    assert (case.status, case.resolved_at) == ("in_progress", None)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["member", "partner"])
def test_taking_twice_is_one_move_and_a_colleague_cannot_take_it_back(kind, people):
    case = _case_in(kind, "new", people)
    first = _move(kind, people, case, "take")
    again = _move(kind, people, case, "take")
    assert again.pk == first.pk
    colleague = UserFactory(role="insurer_manager", is_staff=True, is_superuser=True)
    with pytest.raises(CaseError):
        case_move(case=case, move="take", by=colleague)
    case.refresh_from_db()
    assert case.assignee == people[kind]["insurer"]
    assert _trace(case) == (2, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["member", "partner"])
def test_the_same_form_posted_twice_records_one_message(kind, people):
    case = _case_in(kind, "in_progress", people)
    token = "4f1c1b2e-55a5-4a39-9a55-0a1d7c1f2b3c"
    first = _move(kind, people, case, "ask", token=token)
    second = _move(kind, people, case, "ask", token=token)
    assert second.pk == first.pk
    assert _trace(case) == (3, 1)


@pytest.mark.django_db
def test_moves_follow_who_waits_for_whom(people):
    case = _case_in("member", "in_progress", people)
    _move("member", people, case, "ask")
    case.refresh_from_db()
    assert case.awaiting_since is not None and case.reply_pending_since is None
    _move("member", people, case, "reply")
    case.refresh_from_db()
    assert case.awaiting_since is None and case.reply_pending_since is not None
    _move("member", people, case, "resolve")
    case.refresh_from_db()
    assert case.reply_pending_since is None and case.resolved_at is not None


@pytest.mark.django_db
def test_a_member_message_takes_the_forms_rules_and_twenty_files_in_all(people):
    member_user = people["member"]["requester"]
    case = _case_in("member", "in_progress", people)

    def upload(n):
        return stored_file_create(
            uploaded=SimpleUploadedFile(f"piece-{n}.pdf", pdf_bytes()),
            rules=SEND_DOCUMENT,
            by=member_user,
        )

    with pytest.raises(CaseError, match="au maximum 5 fichiers"):
        case_move(case=case, move="write", by=member_user, text="Six",
                  attachments=[upload(n) for n in range(6)])  # fmt: skip
    assert _trace(case)[1] == 0
    for round_ in range(4):
        case_move(case=case, move="write", by=member_user, text=f"Lot {round_}",
                  attachments=[upload(n) for n in range(5)])  # fmt: skip
    with pytest.raises(CaseError, match="au maximum 0 fichiers"):
        case_move(case=case, move="write", by=member_user, text="Un de plus",
                  attachments=[upload(99)])  # fmt: skip


@pytest.mark.django_db
def test_a_partner_reply_stays_within_the_eight_files_of_the_request(people):
    technician = people["partner"]["requester"]
    case = _case_in("partner", "awaiting", people)

    def upload(n):
        return stored_file_create(
            uploaded=SimpleUploadedFile(f"piece-{n}.pdf", pdf_bytes()),
            rules=PARTNER_REQUEST,
            by=technician,
        )

    case.attachments.add(*[upload(n) for n in range(6)])
    with pytest.raises(CaseError, match="au maximum 2 fichiers"):
        case_move(case=case, move="reply", by=technician, text="Trois",
                  attachments=[upload(n) for n in range(3)])  # fmt: skip
    case.refresh_from_db()
    assert case.status == "awaiting"
    case_move(case=case, move="reply", by=technician, text="Deux",
              attachments=[upload(n) for n in range(2)])  # fmt: skip
    case.refresh_from_db()
    assert case.status == "in_progress"


@pytest.mark.django_db
def test_insurer_files_of_a_partner_request_are_kept_fifteen_days(people, settings):
    case = _case_in("partner", "in_progress", people)
    manager = people["partner"]["insurer"]
    answer = stored_file_create(
        uploaded=SimpleUploadedFile("reponse.pdf", pdf_bytes()), rules=ANSWER, by=manager
    )
    case_move(case=case, move="resolve", by=manager, text="Voici.", attachments=[answer])
    answer.refresh_from_db()
    assert answer.expires_at - answer.attached_at == settings.PARTNER_FILE_RETENTION


@pytest.mark.django_db(transaction=True)
def test_two_managers_taking_at_once_make_one_move(people):
    case = _case_in("partner", "new", people)
    managers = [people["partner"]["insurer"]]
    managers[0].managed_organisms.first().managers.add(
        second := UserFactory(role="insurer_manager", is_staff=True)
    )
    managers.append(second)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def take(manager):
        try:
            barrier.wait(timeout=10)
            case_move(case=PartnerRequest.objects.get(pk=case.pk), move="take", by=manager)
            outcomes.append(manager.pk)
        except CaseError:
            outcomes.append(None)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes, key=lambda o: o is None)[1] is None
    case.refresh_from_db()
    assert case.assignee_id in {m.pk for m in managers}
    assert CaseEvent.objects.filter(case_id=case.pk, action="take").count() == 1


@pytest.mark.django_db
def test_a_token_replayed_from_another_cases_form_records_a_new_message(people):
    first = _case_in("member", "in_progress", people)
    second = _case_in("member", "in_progress", people)
    token = "0b8f4f2e-55a5-4a39-9a55-0a1d7c1f2b3c"
    _move("member", people, first, "ask", token=token)
    event = _move("member", people, second, "ask", token=token)
    assert event.case_id == second.pk and event.message.case_id == second.pk
    assert _trace(first)[1] == 1 and _trace(second)[1] == 1
