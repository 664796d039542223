"""Reads of cases that pages share: the thread of one case, the messages a party received."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.lifecycle import case_type_of
from casework.models import Case, CaseEvent, CaseMessage, Side
from documents.models import StoredFile

# What each move reads as in a thread, for both sides.
EVENT_LABELS = {
    "submit": _("Demande envoyée"),
    "take": _("Demande prise en charge"),
    "ask": _("Complément demandé"),
    "reply": _("Complément envoyé"),
    "write": _("Message ajouté"),
    "reopen": _("Demande rouverte"),
    "resolve": _("Réponse apportée"),
    "cancel": _("Demande annulée"),
    "complete": _("Demande complétée"),
    "remind": _("Relance envoyée par email"),
    "assign": _("Demande attribuée"),
}
# Moves of the managers' own organisation, never shown to the requester.
INSURER_ONLY = {"assign"}


@dataclass
class ThreadItem:
    """One line of a case's thread: an event, with its message when it carried one."""

    at: datetime
    event: CaseEvent
    message: CaseMessage | None
    label: str
    status_label: str  # the status it led to, when it changed the status; "" otherwise
    note: str = ""  # what else it says: a cancellation's reason

    @property
    def side(self) -> str:
        return self.message.side if self.message is not None else ""


def case_thread(case: Case, *, side: str, with_reminders: bool = False) -> list[ThreadItem]:
    """Everything that happened to `case`, oldest first, worded for `side`: the sending, every
    message both ways with its files and when the other side read it, every status change.
    Two queries plus one for the messages' files, however long the thread."""
    kind = case_type_of(case)
    files = Prefetch("attachments", queryset=StoredFile.objects.order_by("created_at", "pk"))
    events = (
        CaseEvent.objects.filter(case_type=kind.content_type(), case_id=case.pk)
        .exclude(action="read")
        .select_related("by", "message__author", "message__read_by")
        .prefetch_related(Prefetch("message__attachments", queryset=files.queryset))
        .order_by("at", "id")
    )
    events = list(events)
    assigned = {e.data.get("to") for e in events if e.action == "assign"} - {None}
    assignee_names = {}
    if assigned and side == Side.INSURER:
        from django.contrib.auth import get_user_model

        for user in get_user_model().objects.filter(pk__in=assigned):
            assignee_names[user.pk] = user.get_full_name() or user.get_username()
    items = []
    for event in events:
        if event.action == "remind" and not with_reminders:
            continue
        if event.action in INSURER_ONLY and side != Side.INSURER:
            continue
        label = str(EVENT_LABELS.get(event.action, event.action))
        status = kind.status_label(event.to_status, side) if event.changes_status else ""
        note = ""
        if event.action == "cancel" and event.data.get("reason"):
            reason = event.data["reason"]
            note = str(kind.cancel_reasons.get(reason, reason))
        elif event.action == "assign":
            note = assignee_names.get(event.data.get("to"), str(_("personne")))
        elif event.action == "complete":
            added = event.data.get("added_files", 0)
            note = ngettext(
                "Commentaire complété, %(count)s pièce jointe ajoutée.",
                "Commentaire complété, %(count)s pièces jointes ajoutées.",
                added,
            ) % {"count": added}
        items.append(ThreadItem(event.at, event, event.message, label, status, note))
    return items


def awaited_message(case: Case) -> CaseMessage | None:
    """What the managers asked, while the case waits for its requester."""
    kind = case_type_of(case)
    if case.status != "awaiting":
        return None
    return (
        CaseMessage.objects.filter(
            case_type=kind.content_type(), case_id=case.pk, side=Side.INSURER
        )
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
        .first()
    )


def case_files(case: Case, *, side: str) -> list[StoredFile]:
    """Files `side` sent on `case` through messages (not those sent with the case), oldest
    first."""
    kind = case_type_of(case)
    return list(
        StoredFile.objects.filter(
            case_messages__case_type=kind.content_type(),
            case_messages__case_id=case.pk,
            case_messages__side=side,
        ).order_by("created_at", "pk")
    )


def party_received_messages(model, party_id: int) -> QuerySet[CaseMessage]:
    """What the insurer sent to one party on every case of `model`'s type, newest first."""
    kind = case_type_of(model)
    return CaseMessage.objects.filter(
        case_type=kind.content_type(), party_id=party_id, side=Side.INSURER
    ).order_by("-created_at", "-id")


def party_unread_count(model, party) -> int:
    """How many insurer messages one party (its pk, or a one-row query of it) has not opened
    yet: a count on a small partial index."""
    kind = case_type_of(model)
    return CaseMessage.objects.filter(
        case_type=kind.content_type(), party_id=party, side=Side.INSURER, read_at__isnull=True
    ).count()


def sent_with_token(case: Case, token) -> bool:
    """Whether a message of `case` was already recorded from the form carrying `token` (the
    same form posted again: the page answers as it did the first time)."""
    import uuid

    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return False
    kind = case_type_of(case)
    return CaseMessage.objects.filter(
        case_type=kind.content_type(), case_id=case.pk, token=token
    ).exists()
