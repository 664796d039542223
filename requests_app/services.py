"""Every write on member requests: submit, take in charge, resolve with an answer.

Views, admin actions and tasks call these and nothing else, so each rule is written once. Each
status change is recorded (who, when, from, to) in the same transaction, and the member's email
is queued only once that transaction has committed.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Beneficiary, Member
from documents.models import StoredFile
from documents.services import stored_files_attach
from portal.sequences import sequence_next
from requests_app.models import (
    MemberRequest,
    MemberRequestCounter,
    RequestAnswer,
    RequestKind,
    RequestStatus,
    RequestStatusChange,
)

# Which status may follow which (resolving straight from "Nouveau" is allowed: a quick answer).
TRANSITIONS = {
    RequestStatus.NEW: {RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED},
    RequestStatus.IN_PROGRESS: {RequestStatus.RESOLVED},
    RequestStatus.RESOLVED: set(),
}


def request_can_move(request: MemberRequest, to_status: str) -> bool:
    """Whether `request` may go to `to_status` now (what the buttons offer; the services check
    again under a lock)."""
    return to_status in TRANSITIONS[RequestStatus(request.status)]


class RequestError(Exception):
    """A write refused by a rule; `message` is French text for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def reference_for(year: int, number: int) -> str:
    """ "DEM-2026-000042": readable on the phone, sorted by time, unique per year."""
    return f"DEM-{year}-{number:06d}"


def _check_files(files: Iterable[StoredFile], by) -> list[StoredFile]:
    files = list(files)
    for stored in files:
        if not stored.is_pending or stored.uploaded_by_id != getattr(by, "pk", None):
            raise RequestError(
                _(
                    "Un fichier joint n'est plus disponible : "
                    "joignez-le de nouveau, s'il vous plaît."
                )
            )
    return files


def _record_change(request: MemberRequest, *, from_status: str, to_status: str, by, at: datetime):
    change = RequestStatusChange.objects.create(
        request=request, from_status=from_status, to_status=to_status, by=by, at=at
    )
    # robust: the change is committed whatever happens to its email; if the broker is down,
    # `status_changes_notify_pending` sends it later.
    transaction.on_commit(lambda: _queue_notification(change.pk), robust=True)
    return change


def _queue_notification(change_id: int) -> None:
    from requests_app.tasks import notify_status_change

    notify_status_change.delay(change_id)


def member_request_submit(
    *,
    member: Member,
    kind: str,
    by,
    beneficiary: Beneficiary | None = None,
    topic: str = "",
    topic_label: str = "",
    subject: str = "",
    message: str = "",
    amount: Decimal | None = None,
    details: Sequence[dict] = (),
    attachments: Iterable[StoredFile] = (),
) -> MemberRequest:
    """Record a request sent by `by` (the member's account) and acknowledge it by email.

    Guarantees: the beneficiary is one of the member's; every file is a pending upload of `by`
    and is attached (its retention period starts now); the reference is unique and gapless per
    year even under concurrent submissions; the first status ("Nouveau") is in the audit trail.
    """
    if kind not in RequestKind.values:
        raise ValueError(f"unknown request kind {kind!r}")
    if beneficiary is not None and beneficiary.member_id != member.pk:
        raise RequestError(_("Ce bénéficiaire ne figure pas sur votre contrat."))
    now = timezone.now()
    with transaction.atomic():
        files = _check_files(attachments, by)
        year = timezone.localtime(now).year
        number = sequence_next(f"member-request-{year}")
        request = MemberRequest(
            reference=reference_for(year, number),
            member=member,
            beneficiary=beneficiary,
            kind=kind,
            topic=topic,
            topic_label=topic_label,
            subject=subject,
            message=message,
            amount=amount,
            details=list(details),
            submitted_by=by,
            created_at=now,
            updated_at=now,
        )
        request.save()
        MemberRequestCounter.objects.bulk_create(
            [MemberRequestCounter(member=member)], ignore_conflicts=True
        )
        MemberRequestCounter.objects.filter(member=member).update(requests=F("requests") + 1)
        _record_change(request, from_status="", to_status=RequestStatus.NEW, by=by, at=now)
        if files:
            request.attachments.add(*files)
            stored_files_attach(files=files)
    return request


def _transition(request: MemberRequest, *, to_status: str, by, at: datetime) -> MemberRequest:
    """Lock the request, check the move is allowed, apply it and record it."""
    locked = MemberRequest.objects.select_for_update().get(pk=request.pk)
    if not request_can_move(locked, to_status):
        raise RequestError(
            _("La demande %(reference)s est « %(status)s » : elle ne peut pas passer à « %(to)s ».")
            % {
                "reference": locked.reference,
                "status": locked.get_status_display(),
                "to": RequestStatus(to_status).label,
            }
        )
    _record_change(locked, from_status=locked.status, to_status=to_status, by=by, at=at)
    locked.status = to_status
    locked.updated_at = at
    return locked


def member_request_take(*, request: MemberRequest, by) -> MemberRequest:
    """ "Prendre en charge": the manager `by` becomes the assignee; status "Pris en charge"."""
    now = timezone.now()
    with transaction.atomic():
        locked = _transition(request, to_status=RequestStatus.IN_PROGRESS, by=by, at=now)
        locked.assignee = by
        locked.save(update_fields=["status", "updated_at", "assignee"])
    return locked


def member_request_resolve(
    *, request: MemberRequest, by, text: str, attachments: Iterable[StoredFile] = ()
) -> RequestAnswer:
    """ "Résoudre": answer the member (text and files) and mark the request "Résolu".

    The member is emailed that an answer is waiting (never its content). The answer's files
    are pending uploads of `by`; their retention period starts now.
    """
    text = (text or "").strip()
    if not text:
        raise RequestError(_("Écrivez la réponse à l'adhérent."))
    now = timezone.now()
    with transaction.atomic():
        files = _check_files(attachments, by)
        locked = _transition(request, to_status=RequestStatus.RESOLVED, by=by, at=now)
        locked.resolved_at = now
        if locked.assignee_id is None:
            locked.assignee = by
        locked.save(update_fields=["status", "updated_at", "resolved_at", "assignee"])
        answer = RequestAnswer.objects.create(
            request=locked, member_id=locked.member_id, author=by, text=text, created_at=now
        )
        if files:
            answer.attachments.add(*files)
            stored_files_attach(files=files)
    return answer


def request_answer_mark_read(*, answer: RequestAnswer) -> None:
    """The member opened the answer (shown as read in "Historique des mails")."""
    if answer.read_at is None:
        RequestAnswer.objects.filter(pk=answer.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


# -- Notifications ---------------------------------------------------------------------------
def status_change_notify(*, change_id: int) -> bool:
    """Email the member about one status change, once: True if this call sent it.

    The row is locked while sending, so two deliveries of the same task cannot both send; a
    failure to send leaves `notified_at` empty and the task retries.
    """
    from portal.messaging import branded_email_send

    with transaction.atomic():
        change = (
            RequestStatusChange.objects.select_for_update(of=("self",))
            .select_related("request__member__user")
            .filter(pk=change_id)
            .first()
        )
        if change is None or change.notified_at is not None:
            return False
        member = change.request.member
        to = (member.user.email if member.user_id else "") or member.email
        if not to:
            # Nobody to tell: recorded as done so that the catch-up job does not retry forever.
            change.notified_at = timezone.now()
            change.save(update_fields=["notified_at"])
            return False
        with override("fr"):
            subject, template = _notification_of(change)
            branded_email_send(
                to=to,
                subject=subject,
                template=f"requests_app/emails/{template}",
                context={
                    "reference": change.request.reference,
                    "status": change.get_to_status_display(),
                    "link": _sign_in_link(change.request),
                },
            )
        change.notified_at = timezone.now()
        change.save(update_fields=["notified_at"])
    return True


def status_changes_notify_pending(*, older_than=timedelta(minutes=10), within=timedelta(days=3)):
    """Queue the emails of status changes that were never sent (broker down at commit time,
    retries exhausted). Returns how many were queued; each is still sent at most once."""
    from requests_app.tasks import notify_status_change

    now = timezone.now()
    pending = RequestStatusChange.objects.filter(
        notified_at__isnull=True, at__lte=now - older_than, at__gte=now - within
    ).values_list("pk", flat=True)
    count = 0
    for change_id in pending.iterator():
        notify_status_change.delay(change_id)
        count += 1
    return count


def _notification_of(change: RequestStatusChange) -> tuple[str, str]:
    reference = change.request.reference
    if change.to_status == RequestStatus.NEW:
        return _("Nous avons bien reçu votre demande %(reference)s") % {
            "reference": reference
        }, "received"
    if change.to_status == RequestStatus.RESOLVED:
        return _("Une réponse vous attend dans votre espace"), "answered"
    return _("Votre demande %(reference)s est prise en charge") % {
        "reference": reference
    }, "status_changed"


def _sign_in_link(request: MemberRequest) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{reverse('requests_app:detail', args=[request.reference])}"
