"""Every write on a case, whatever its type: opening it, moving it, reading its messages.

Guarantees, for every case type (the declaration is `casework.lifecycle`):
- a move is checked against the case's status under a row lock, so two managers (or a manager
  and the requester) acting at once can never both move it from the same status;
- a refused move writes nothing and says why in French (`CaseError.message`);
- every move leaves one `CaseEvent` (who, when, from, to) in the same transaction, with the
  message it carried; the email it announces is queued only once that transaction committed,
  and the event row is what makes it go once;
- repeating the same move (a double click, a form posted twice) records it once.
"""

import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import tasks
from casework.lifecycle import NONE, REQUIRED, CaseType, Move, case_type_of
from casework.models import STATUS_RANKS, Case, CaseEvent, CaseMessage, CaseStatus, Side
from documents.models import StoredFile
from documents.services import stored_files_attach
from portal.queueing import enqueue_on_commit


class CaseError(Exception):
    """A write refused by a rule; `message` is French text for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def queue_notification(event: CaseEvent) -> None:
    """Queue the event's email once the current transaction has committed.

    The change stands whatever happens to its email; if the broker is down, the publish gives
    up at once and the catch-up job (`tasks.notify_pending_events`) sends it later.
    """
    if event.notification:
        enqueue_on_commit(tasks.notify_case_event, event.pk)


# -- Reading the declaration -----------------------------------------------------------------
def case_can(case: Case, name: str, *, now=None) -> bool:
    """Whether the move `name` is open to `case` now (what the pages offer; the services check
    again under a lock)."""
    kind = case_type_of(case)
    return kind.has_move(name) and _refusal(kind, case, kind.move(name), now=now) == ""


def case_refusal(case: Case, name: str, *, now=None) -> str:
    """Why the move `name` is not open to `case` now, in French; "" when it is."""
    kind = case_type_of(case)
    return _refusal(kind, case, kind.move(name), now=now)


def _refusal(kind: CaseType, case: Case, move: Move, *, now=None) -> str:
    now = now or timezone.now()
    status_label = kind.status_label(case.status, move.side)
    if case.status not in move.sources:
        if move.target and move.target != case.status:
            return _(
                "La demande %(reference)s est « %(status)s » : elle ne peut pas passer à "
                "« %(to)s »."
            ) % {
                "reference": kind.reference(case),
                "status": status_label,
                "to": kind.status_label(move.target, move.side),
            }
        return _(
            "La demande %(reference)s est « %(status)s » : « %(move)s » n'est plus possible."
        ) % {
            "reference": kind.reference(case),
            "status": status_label,
            "move": move.label,
        }
    days = move.within_days_of_resolution
    if days is not None and (
        case.resolved_at is None or case.resolved_at < now - timedelta(days=days)
    ):
        return _(
            "La demande %(reference)s a été résolue il y a plus de %(days)s jours : "
            "faites une nouvelle demande en citant sa référence."
        ) % {"reference": kind.reference(case), "days": days}
    return ""


def requester_files_count(case: Case) -> int:
    """How many files the requester sent for `case`, first sending and messages together."""
    kind = case_type_of(case)
    return (
        case.attachments.count()
        + StoredFile.objects.filter(
            case_messages__case_type=kind.content_type(),
            case_messages__case_id=case.pk,
            case_messages__side=Side.REQUESTER,
        ).count()
    )


def files_check(files: Iterable[StoredFile], by) -> list[StoredFile]:
    """The files, if each is a pending upload of `by` (nothing sent, removed or someone else's)."""
    files = list(files)
    for stored in files:
        if not stored.is_pending or stored.uploaded_by_id != getattr(by, "pk", None):
            raise CaseError(
                _(
                    "Un fichier joint n'est plus disponible : "
                    "joignez-le de nouveau, s'il vous plaît."
                )
            )
    return files


def case_files_attach(case: Case, files: list[StoredFile], *, side: str) -> None:
    """Mark `files` as sent on `case`: they now live as long as its type keeps `side`'s files."""
    if files:
        stored_files_attach(files=files, keep_for=case_type_of(case).file_retention(side))


# -- Writes ------------------------------------------------------------------------------------
def case_opened(*, case: Case, by, at=None) -> CaseEvent:
    """Record that `case` (just saved by its app, in the current transaction) was sent: the
    "submit" event, and the acknowledgement email its type declares."""
    kind = case_type_of(case)
    submit = kind.move("submit")
    event = CaseEvent.objects.create(
        case_type=kind.content_type(),
        case_id=case.pk,
        action=submit.name,
        from_status="",
        to_status=case.status,
        by=by,
        at=at or case.created_at,
        notification=submit.notification,
    )
    queue_notification(event)
    return event


def case_move(
    *,
    case: Case,
    move: str,
    by,
    text: str = "",
    attachments: Iterable[StoredFile] = (),
    reason: str = "",
    email_text: bool = False,
    token: uuid.UUID | str | None = None,
    data: dict | None = None,
) -> CaseEvent:
    """Make the move `move` on `case` for `by`; returns its event.

    The move's message (text and files) is recorded with it; the requester's files stay within
    their type's total. `data` goes to the app's `on_moved` (a completed comment, ...). The case
    object passed in is refreshed with what was saved.
    """
    kind = case_type_of(case)
    declared = kind.move(move)
    text = (text or "").strip()
    files = list(attachments)
    if declared.message == REQUIRED and not text:
        raise CaseError(str(declared.empty_message))
    if declared.message == NONE and (text or files):
        raise ValueError(f"the move {move!r} carries no message")
    if move == "cancel" and reason not in kind.cancel_reasons:
        raise CaseError(_("Sélectionnez le motif de l'annulation."))
    if token is not None:
        token = uuid.UUID(str(token))
    now = timezone.now()
    with transaction.atomic():
        locked = type(case).objects.select_for_update().get(pk=case.pk)
        if token is not None:
            repeated = CaseEvent.objects.filter(message__token=token).first()
            if repeated is not None:
                if (repeated.case_type_id, repeated.case_id) == (kind.content_type().pk, case.pk):
                    return repeated
                token = None  # a token replayed from another case's form: a new message
        if declared.message == NONE and locked.status == declared.target:
            last = _last_event(kind, locked)
            if last is not None and last.action == move and last.by_id == getattr(by, "pk", None):
                return last  # the same move again: already done
        refused = _refusal(kind, locked, declared, now=now)
        if refused:
            raise CaseError(refused)
        files = files_check(files, by)
        if files and declared.side == Side.REQUESTER:
            rules = kind.file_rules(locked)
            if rules is None:
                raise CaseError(_("Cette demande ne prend pas de pièces jointes."))
            room = min(rules.max_files, kind.max_requester_files - requester_files_count(locked))
            if len(files) > room:
                raise CaseError(
                    _("Vous pouvez joindre au maximum %(count)s fichiers.")
                    % {"count": max(room, 0)}
                )
        message = None
        if declared.message != NONE:
            message = CaseMessage.objects.create(
                case_type=kind.content_type(),
                case_id=locked.pk,
                party_id=kind.party_id(locked),
                side=declared.side,
                action=move,
                author=by,
                text=text,
                created_at=now,
                email_text=bool(email_text) and kind.may_email_text(locked),
                token=token,
            )
            if files:
                message.attachments.add(*files)
                case_files_attach(locked, files, side=declared.side)
        from_status = locked.status
        changed = _apply(locked, declared, by=by, now=now, has_message=message is not None)
        if move == "cancel":
            locked.cancel_reason = reason
            changed.append("cancel_reason")
        event = CaseEvent.objects.create(
            case_type=kind.content_type(),
            case_id=locked.pk,
            action=move,
            from_status=from_status,
            to_status=locked.status,
            message=message,
            data={**({"reason": reason} if reason else {}), **(data or {})},
            by=by,
            at=now,
            notification=declared.notification,
        )
        changed += kind.on_moved(locked, declared, event, **(data or {}))
        locked.save(update_fields=list(dict.fromkeys(changed)))
        queue_notification(event)
    _refresh(case, locked)
    return event


def _last_event(kind: CaseType, case: Case) -> CaseEvent | None:
    return (
        CaseEvent.objects.filter(case_type=kind.content_type(), case_id=case.pk)
        .exclude(action="read")
        .order_by("-at", "-id")
        .first()
    )


def _apply(case: Case, move: Move, *, by, now, has_message: bool) -> list[str]:
    """The case's fields after `move`; returns the names of those that changed."""
    changed = []

    def set_(name, value):
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)

    target = move.target or case.status
    if target != case.status:
        if case.status == CaseStatus.RESOLVED:
            set_("resolved_at", None)  # re-opened
        if case.status == CaseStatus.AWAITING:
            set_("awaiting_since", None)
            set_("reminded_at", None)
        set_("status", target)
        set_("status_rank", STATUS_RANKS[target])
        set_("status_changed_at", now)
    if move.side == Side.INSURER:
        if move.name == "take" or case.assignee_id is None:
            set_("assignee", by)
        # The managers answered: nothing of the requester's waits for them any more.
        set_("reply_pending_since", None)
    elif move.side == Side.REQUESTER and has_message and case.reply_pending_since is None:
        set_("reply_pending_since", now)
    if target == CaseStatus.AWAITING and case.awaiting_since is None:
        set_("awaiting_since", now)
    if target == CaseStatus.RESOLVED and move.target == CaseStatus.RESOLVED:
        set_("resolved_at", now)
    return changed


def _refresh(case: Case, saved: Case) -> None:
    for field in saved._meta.concrete_fields:
        setattr(case, field.attname, getattr(saved, field.attname))
    for name in ("assignee",):
        case._state.fields_cache.pop(name, None)


def case_messages_read(*, case: Case, side: str, by) -> list[CaseMessage]:
    """`by`, of `side`, opened the case: every message of the other side not read yet is now
    read ("Lu le ..."), each with a "read" event. When managers read, nothing of the
    requester's waits for them any more. Returns the messages marked."""
    kind = case_type_of(case)
    other = Side.INSURER if side == Side.REQUESTER else Side.REQUESTER
    unread = CaseMessage.objects.filter(
        case_type=kind.content_type(), case_id=case.pk, side=other, read_at__isnull=True
    )
    with transaction.atomic():
        marked = case_messages_mark_read(messages=unread, by=by)
        if side == Side.INSURER and case.reply_pending_since is not None:
            type(case).objects.filter(pk=case.pk).update(reply_pending_since=None)
            case.reply_pending_since = None
    return marked


def case_messages_mark_read(*, messages, by) -> list[CaseMessage]:
    """The messages (a query) not read yet are read now by `by`, each with a "read" event:
    where a page shows a message in full ("Historique des mails"), showing it is reading it."""
    now = timezone.now()
    marked = []
    with transaction.atomic():
        for message in messages.filter(read_at__isnull=True).select_for_update(of=("self",)):
            message.read_at, message.read_by = now, by
            message.save(update_fields=["read_at", "read_by"])
            CaseEvent.objects.create(
                case_type=message.case_type,
                case_id=message.case_id,
                action="read",
                message=message,
                by=by,
                at=now,
            )
            marked.append(message)
    return marked


def case_resolve(
    *,
    case: Case,
    by,
    text: str,
    attachments: Iterable[StoredFile] = (),
    email_text: bool = False,
    token: uuid.UUID | str | None = None,
) -> CaseEvent:
    """ "Résoudre" for a manager. A request still "Nouveau" is taken in charge first, in the
    same transaction and with its own email, so that the requester always hears that it was
    taken before they hear that it is answered (guide 001). Returns the resolving event."""
    with transaction.atomic():
        if case.status == CaseStatus.NEW:
            case_move(case=case, move="take", by=by)
        return case_move(
            case=case,
            move="resolve",
            by=by,
            text=text,
            attachments=attachments,
            email_text=email_text,
            token=token,
        )


def case_assign(*, case: Case, assignee, by) -> CaseEvent | None:
    """Give an open case to `assignee` (a manager), or take it back to nobody (`assignee`
    None), without changing its status and without an email. Recorded in the journal ("assign",
    who gave it to whom); None when it was already theirs. Refused on a closed case."""
    kind = case_type_of(case)
    with transaction.atomic():
        locked = type(case).objects.select_for_update().get(pk=case.pk)
        if locked.status not in (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING):
            raise CaseError(
                _("La demande %(reference)s est « %(status)s » : elle ne peut plus être attribuée.")
                % {
                    "reference": kind.reference(locked),
                    "status": kind.status_label(locked.status, Side.INSURER),
                }
            )
        new_id = getattr(assignee, "pk", None)
        if locked.assignee_id == new_id:
            return None
        event = CaseEvent.objects.create(
            case_type=kind.content_type(),
            case_id=locked.pk,
            action="assign",
            from_status=locked.status,
            to_status=locked.status,
            data={"from": locked.assignee_id, "to": new_id},
            by=by,
            at=timezone.now(),
        )
        locked.assignee = assignee
        locked.save(update_fields=["assignee"])
    _refresh(case, locked)
    return event


def case_note_add(*, case: Case, text: str, by):
    """An internal note on `case` by a manager: shown in the admin only, never to the
    requester."""
    from casework.models import CaseNote

    text = (text or "").strip()
    if not text:
        raise CaseError(_("Écrivez la note."))
    kind = case_type_of(case)
    return CaseNote.objects.create(
        case_type=kind.content_type(), case_id=case.pk, author=by, text=text
    )
