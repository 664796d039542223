"""Every write of the partner space: file an ODS request, complete, cancel, take in charge,
resolve; technicians' accounts.

Views, admin actions and tasks call these and nothing else. Each status change is recorded as a
`PartnerRequestEvent` (who, when, from, to) in the same transaction, and the technician's email is
queued only once that transaction has committed.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import StoredFile
from documents.rules import PARTNER_REQUEST
from documents.services import stored_files_attach
from partners.catalogue import SAISINE, SERVICES, Service
from partners.conventions import situation_of
from partners.models import (
    Convention,
    ConventionCounter,
    Organism,
    PartnerRequest,
    PartnerRequestEvent,
    PartnerRequestStatus,
    Structure,
)
from portal.sequences import SequenceExhausted, sequence_next

# The last five digits of a number: at most 99,999 requests per organism and year.
SEQUENCE_MAX = 99_999
COMMENT_MAX_LENGTH = 5000

TRANSITIONS = {
    PartnerRequestStatus.NEW: {
        PartnerRequestStatus.IN_PROGRESS,
        PartnerRequestStatus.RESOLVED,
        PartnerRequestStatus.CANCELLED,
    },
    PartnerRequestStatus.IN_PROGRESS: {PartnerRequestStatus.RESOLVED},
    PartnerRequestStatus.RESOLVED: set(),
    PartnerRequestStatus.CANCELLED: set(),
}


class PartnerRequestError(Exception):
    """A write refused by a rule; `message` is French text for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def membership_organism_remember(*, membership, organism: Organism) -> None:
    """ "L'organisme sélectionné par défaut est celui de la dernière connexion": remember the
    organism chosen, for the chooser's next visit."""
    if membership.last_organism_id != organism.pk:
        type(membership).objects.filter(pk=membership.pk).update(last_organism=organism)
        membership.last_organism = organism


def partner_request_can_move(request: PartnerRequest, to_status: str) -> bool:
    return to_status in TRANSITIONS[PartnerRequestStatus(request.status)]


def partner_request_is_editable(request: PartnerRequest) -> bool:
    """ "Compléter" and "Annuler" are offered, and accepted, only while "Nouveau"."""
    return request.status == PartnerRequestStatus.NEW


def request_number(*, year: int, organism_code: str, sequence: int) -> str:
    """ "2233100011": the 11th request of 2022 to organism 331."""
    return f"{year % 100:02d}{organism_code}{sequence:05d}"


def _check_files(files: Iterable[StoredFile], by) -> list[StoredFile]:
    files = list(files)
    for stored in files:
        if not stored.is_pending or stored.uploaded_by_id != getattr(by, "pk", None):
            raise PartnerRequestError(
                _(
                    "Un fichier joint n'est plus disponible : "
                    "joignez-le de nouveau, s'il vous plaît."
                )
            )
    return files


def _record(request, *, kind, by, at, from_status="", to_status="", **extra):
    event = PartnerRequestEvent.objects.create(
        request=request,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=at,
        **extra,
    )
    if kind == PartnerRequestEvent.Kind.STATUS and to_status in (
        PartnerRequestStatus.IN_PROGRESS,
        PartnerRequestStatus.RESOLVED,
    ):
        # robust: the change stands whatever happens to its email; the catch-up job sends it
        # later if the broker is down.
        transaction.on_commit(lambda: _queue_notification(event.pk), robust=True)
    return event


def _count_listed(convention_id: int, change: int) -> None:
    """Move the history's count of a convention (in the caller's transaction)."""
    ConventionCounter.objects.bulk_create(
        [ConventionCounter(convention_id=convention_id)], ignore_conflicts=True
    )
    ConventionCounter.objects.filter(convention_id=convention_id).update(
        listed_requests=F("listed_requests") + change
    )


def _queue_notification(event_id: int) -> None:
    from partners.tasks import notify_status_change

    notify_status_change.delay(event_id)


def partner_request_submit(
    *,
    by,
    structure: Structure,
    organism: Organism,
    service: int,
    comment: str,
    motif: str = "",
    documents: Iterable[str] = (),
    appointment_modes: Iterable[str] = (),
    person: dict | None = None,
    saisine: dict | None = None,
    attachments: Iterable[StoredFile] = (),
    on: date | None = None,
) -> PartnerRequest:
    """File an ODS request for `structure` to `organism`, numbered YY + code + sequence.

    Guarantees: the structure's convention with the organism allows filing today; the service
    is offered by the organism and the motif (or documents) are among those it keeps; every file
    is a pending upload of `by`, at most 8; the number is unique and gapless per organism and
    year under concurrent submissions, and a 100,000th request of a year is refused with a
    message (never a malformed number).
    """
    service = Service(service)
    info = SERVICES[service]
    convention = Convention.objects.filter(structure=structure, organism=organism).first()
    if convention is None or not situation_of(convention, on=on).may_file:
        raise PartnerRequestError(
            _("Vous ne pouvez plus déposer de nouvelles demandes auprès de cet organisme.")
        )
    offered = organism.services.filter(service=service).first()
    if offered is None:
        raise PartnerRequestError(_("Cet organisme ne propose pas cette offre de services."))
    motifs = offered.offered_motifs()
    documents = list(dict.fromkeys(documents))
    if service == Service.DOCUMENT:
        if not documents or any(code not in motifs for code in documents):
            raise PartnerRequestError(_("Sélectionnez un ou plusieurs documents proposés."))
        motif = documents[0]
    elif motif not in motifs:
        raise PartnerRequestError(_("Sélectionnez un motif proposé par l'organisme."))
    comment = (comment or "").strip()
    if not comment or len(comment) > COMMENT_MAX_LENGTH:
        raise PartnerRequestError(_("Le commentaire est obligatoire (5000 caractères maximum)."))
    person = person or {}
    if info.has_person and not all(
        person.get(key)
        for key in ("civility", "last_name", "first_name", "birth_date", "birth_place", "phone")
    ):
        raise PartnerRequestError(_("Complétez la personne concernée."))
    if not (service == Service.DIFFICULTY and motif == SAISINE):
        saisine = {}
    files = list(attachments)
    if files and not info.has_files:
        raise PartnerRequestError(_("Cette offre de services ne prend pas de pièces jointes."))
    if len(files) > PARTNER_REQUEST.max_files:
        raise PartnerRequestError(
            _("Vous pouvez joindre au maximum %(count)s fichiers.")
            % {"count": PARTNER_REQUEST.max_files}
        )
    now = timezone.now()
    year = timezone.localtime(now).year
    with transaction.atomic():
        files = _check_files(files, by)
        try:
            sequence = sequence_next(f"partner-{organism.code}-{year}", maximum=SEQUENCE_MAX)
        except SequenceExhausted:
            raise PartnerRequestError(
                _(
                    "L'organisme a atteint le nombre maximum de demandes pour cette année "
                    "(99999) : la demande n'a pas été enregistrée. Contactez l'organisme."
                )
            ) from None
        request = PartnerRequest.objects.create(
            number=request_number(year=year, organism_code=organism.code, sequence=sequence),
            organism=organism,
            structure=structure,
            requester=by,
            requester_name=f"{by.last_name.upper()} {by.first_name}".strip() or by.username,
            service=service,
            motif=motif,
            documents=documents if service == Service.DOCUMENT else [],
            appointment_modes=list(appointment_modes) if service == Service.CONTACT else [],
            civility=person.get("civility", ""),
            last_name=person.get("last_name", ""),
            first_name=person.get("first_name", ""),
            birth_date=person.get("birth_date"),
            birth_place=person.get("birth_place", ""),
            phone=person.get("phone", ""),
            comment=comment,
            saisine=saisine or {},
            status=PartnerRequestStatus.NEW,
            status_changed_at=now,
            created_at=now,
        )
        _record(
            request,
            kind=PartnerRequestEvent.Kind.STATUS,
            to_status=PartnerRequestStatus.NEW,
            by=by,
            at=now,
        )
        _count_listed(convention.pk, +1)
        if files:
            request.attachments.add(*files)
            stored_files_attach(files=files)
    return request


def _lock_editable(request: PartnerRequest) -> PartnerRequest:
    locked = PartnerRequest.objects.select_for_update().get(pk=request.pk)
    if not partner_request_is_editable(locked):
        raise PartnerRequestError(
            _(
                "La demande %(number)s est « %(status)s » : elle ne peut plus être complétée "
                "ni annulée."
            )
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    return locked


def partner_request_complete(
    *, request: PartnerRequest, by, comment: str, attachments: Iterable[StoredFile] = ()
) -> PartnerRequest:
    """ "Compléter la demande": a new comment and more files, only while "Nouveau".

    The files sent in all stay within 8; the comment replaced is kept in the audit entry.
    """
    comment = (comment or "").strip()
    if not comment or len(comment) > COMMENT_MAX_LENGTH:
        raise PartnerRequestError(_("Le commentaire est obligatoire (5000 caractères maximum)."))
    with transaction.atomic():
        locked = _lock_editable(request)
        files = _check_files(attachments, by)
        if files and not SERVICES[Service(locked.service)].has_files:
            raise PartnerRequestError(_("Cette offre de services ne prend pas de pièces jointes."))
        room = PARTNER_REQUEST.max_files - locked.attachments.count()
        if len(files) > room:
            raise PartnerRequestError(
                _("Vous pouvez joindre au maximum %(count)s fichiers.") % {"count": max(room, 0)}
            )
        now = timezone.now()
        _record(
            locked,
            kind=PartnerRequestEvent.Kind.COMPLETED,
            by=by,
            at=now,
            previous_comment=locked.comment,
            added_files=len(files),
        )
        locked.comment = comment
        locked.save(update_fields=["comment"])
        if files:
            locked.attachments.add(*files)
            stored_files_attach(files=files)
    return locked


def _transition(request: PartnerRequest, *, to_status: str, by, at: datetime) -> PartnerRequest:
    locked = PartnerRequest.objects.select_for_update().get(pk=request.pk)
    if not partner_request_can_move(locked, to_status):
        raise PartnerRequestError(
            _("La demande %(number)s est « %(status)s » : elle ne peut pas passer à « %(to)s ».")
            % {
                "number": locked.number,
                "status": locked.get_status_display(),
                "to": PartnerRequestStatus(to_status).label,
            }
        )
    _record(
        locked,
        kind=PartnerRequestEvent.Kind.STATUS,
        from_status=locked.status,
        to_status=to_status,
        by=by,
        at=at,
    )
    locked.status = to_status
    locked.status_changed_at = at
    return locked


def partner_request_cancel(*, request: PartnerRequest, by, reason: str) -> PartnerRequest:
    """ "Annuler la demande" with a motif of the guide's list, only while "Nouveau".

    The request leaves the technicians' history and stays in the admin as cancelled.
    """
    from partners.catalogue import CANCEL_REASONS

    if reason not in CANCEL_REASONS:
        raise PartnerRequestError(_("Sélectionnez le motif de l'annulation."))
    with transaction.atomic():
        _lock_editable(request)
        locked = _transition(request, to_status=PartnerRequestStatus.CANCELLED, by=by,
                             at=timezone.now())  # fmt: skip
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "status_changed_at", "cancel_reason"])
        convention_id = (
            Convention.objects.filter(
                structure_id=locked.structure_id, organism_id=locked.organism_id
            )
            .values_list("pk", flat=True)
            .first()
        )
        if convention_id is not None:
            _count_listed(convention_id, -1)
    return locked


def partner_request_take(*, request: PartnerRequest, by) -> PartnerRequest:
    """ "Prendre en charge" by an organism's manager; the technician is emailed."""
    with transaction.atomic():
        locked = _transition(
            request, to_status=PartnerRequestStatus.IN_PROGRESS, by=by, at=timezone.now()
        )
        locked.assignee = by
        locked.save(update_fields=["status", "status_changed_at", "assignee"])
    return locked


def partner_request_resolve(
    *, request: PartnerRequest, by, text: str, attachments: Iterable[StoredFile] = ()
) -> PartnerRequest:
    """ "Résoudre": the organism's answer (text and files, downloadable 15 days)."""
    text = (text or "").strip()
    if not text:
        raise PartnerRequestError(_("Écrivez la réponse au partenaire."))
    now = timezone.now()
    with transaction.atomic():
        files = _check_files(attachments, by)
        locked = _transition(request, to_status=PartnerRequestStatus.RESOLVED, by=by, at=now)
        locked.answer = text
        locked.resolved_at = now
        if locked.assignee_id is None:
            locked.assignee = by
        locked.save(
            update_fields=["status", "status_changed_at", "answer", "resolved_at", "assignee"]
        )
        if files:
            locked.answer_files.add(*files)
            stored_files_attach(files=files)
    return locked


# -- Notifications ---------------------------------------------------------------------------
def status_event_notify(*, event_id: int) -> bool:
    """Email the requester about one status change, once: True if this call sent it.

    The email names the request number and the organism only: no personal data.
    """
    from django.conf import settings
    from django.urls import reverse
    from django.utils.translation import override

    from portal.messaging import branded_email_send

    with transaction.atomic():
        event = (
            PartnerRequestEvent.objects.select_for_update(of=("self",))
            .select_related("request__requester", "request__organism")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.notified_at is not None:
            return False
        request = event.request
        to = request.requester.email
        if to and request.requester.is_active:
            resolved = event.to_status == PartnerRequestStatus.RESOLVED
            with override("fr"):
                if resolved:
                    subject = _("Une réponse a été apportée à votre demande %(number)s")
                else:
                    subject = _("Votre demande %(number)s a été prise en charge")
                branded_email_send(
                    to=to,
                    subject=subject % {"number": request.number},
                    template="partners/emails/" + ("resolved" if resolved else "taken"),
                    context={
                        "number": request.number,
                        "organism": request.organism.name,
                        "link": f"{settings.SITE_URL}{reverse('partners:history')}",
                    },
                )
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    return True


def status_events_notify_pending(*, older_than=timedelta(minutes=10), within=timedelta(days=3)):
    """Queue the status emails never sent (broker down at commit, retries exhausted)."""
    from partners.tasks import notify_status_change

    now = timezone.now()
    pending = PartnerRequestEvent.objects.filter(
        kind=PartnerRequestEvent.Kind.STATUS,
        to_status__in=(PartnerRequestStatus.IN_PROGRESS, PartnerRequestStatus.RESOLVED),
        notified_at__isnull=True,
        at__lte=now - older_than,
        at__gte=now - within,
    ).values_list("pk", flat=True)
    count = 0
    for event_id in pending.iterator():
        notify_status_change.delay(event_id)
        count += 1
    return count
