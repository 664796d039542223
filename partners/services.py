"""The writes of the partner space that are its own: remembering the organism, filing an ODS
request, completing it while "Nouveau".

Every status change (taking in charge, asking a complement, the partner's reply, resolving,
cancelling) goes through `casework.services.case_move` with the moves `partners.cases`
declares, so the rules, the journal and the technician's emails are written once for every
kind of request.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import CaseEvent, Side
from casework.services import (
    CaseError,
    case_files_attach,
    case_move,
    case_opened,
    files_check,
    requester_files_count,
)
from documents.models import StoredFile
from documents.rules import PARTNER_REQUEST
from partners.catalogue import SAISINE, SERVICES, Service, motif_ranks, service_ranks
from partners.conventions import situation_of
from partners.counters import history_request_filed
from partners.models import Convention, Organism, PartnerRequest, PartnerRequestStatus, Structure
from portal.sequences import SequenceExhausted, sequence_next
from portal.text import folded

# The last five digits of a number: at most 99,999 requests per organism and year.
SEQUENCE_MAX = 99_999
COMMENT_MAX_LENGTH = 5000


def membership_organism_remember(*, membership, organism: Organism) -> None:
    """ "L'organisme sélectionné par défaut est celui de la dernière connexion": remember the
    organism chosen, for the chooser's next visit."""
    if membership.last_organism_id != organism.pk:
        type(membership).objects.filter(pk=membership.pk).update(last_organism=organism)
        membership.last_organism = organism


def partner_request_is_editable(request: PartnerRequest) -> bool:
    """ "Compléter" and "Annuler" are offered, and accepted, only while "Nouveau"."""
    return request.status == PartnerRequestStatus.NEW


def request_number(*, year: int, organism_code: str, sequence: int) -> str:
    """ "2233100011": the 11th request of 2022 to organism 331."""
    return f"{year % 100:02d}{organism_code}{sequence:05d}"


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
        raise CaseError(
            _("Vous ne pouvez plus déposer de nouvelles demandes auprès de cet organisme.")
        )
    offered = organism.services.filter(service=service).first()
    if offered is None:
        raise CaseError(_("Cet organisme ne propose pas cette offre de services."))
    motifs = offered.offered_motifs()
    documents = list(dict.fromkeys(documents))
    if service == Service.DOCUMENT:
        if not documents or any(code not in motifs for code in documents):
            raise CaseError(_("Sélectionnez un ou plusieurs documents proposés."))
        motif = documents[0]
    elif motif not in motifs:
        raise CaseError(_("Sélectionnez un motif proposé par l'organisme."))
    comment = (comment or "").strip()
    if not comment or len(comment) > COMMENT_MAX_LENGTH:
        raise CaseError(_("Le commentaire est obligatoire (5000 caractères maximum)."))
    person = person or {}
    if info.has_person and not all(
        person.get(key)
        for key in ("civility", "last_name", "first_name", "birth_date", "birth_place", "phone")
    ):
        raise CaseError(_("Complétez la personne concernée."))
    if not (service == Service.DIFFICULTY and motif == SAISINE):
        saisine = {}
    files = list(attachments)
    if files and not info.has_files:
        raise CaseError(_("Cette offre de services ne prend pas de pièces jointes."))
    if len(files) > PARTNER_REQUEST.max_files:
        raise CaseError(
            _("Vous pouvez joindre au maximum %(count)s fichiers.")
            % {"count": PARTNER_REQUEST.max_files}
        )
    now = timezone.now()
    year = timezone.localtime(now).year
    with transaction.atomic():
        files = files_check(files, by)
        try:
            sequence = sequence_next(f"partner-{organism.code}-{year}", maximum=SEQUENCE_MAX)
        except SequenceExhausted:
            raise CaseError(
                _(
                    "L'organisme a atteint le nombre maximum de demandes pour cette année "
                    "(99999) : la demande n'a pas été enregistrée. Contactez l'organisme."
                )
            ) from None
        last_name, first_name = person.get("last_name", ""), person.get("first_name", "")
        request = PartnerRequest.objects.create(
            number=request_number(year=year, organism_code=organism.code, sequence=sequence),
            organism=organism,
            structure=structure,
            requester=by,
            requester_name=f"{by.last_name.upper()} {by.first_name}".strip() or by.username,
            position=history_request_filed(convention.pk),
            service=service,
            service_rank=service_ranks()[int(service)],
            motif=motif,
            motif_rank=motif_ranks().get((int(service), motif), 0),
            documents=documents if service == Service.DOCUMENT else [],
            appointment_modes=list(appointment_modes) if service == Service.CONTACT else [],
            civility=person.get("civility", ""),
            last_name=last_name,
            first_name=first_name,
            person_search=folded(f"{last_name} {first_name}"),
            birth_date=person.get("birth_date"),
            birth_place=person.get("birth_place", ""),
            phone=person.get("phone", ""),
            comment=comment,
            saisine=saisine or {},
            status=PartnerRequestStatus.NEW,
            status_changed_at=now,
            created_at=now,
        )
        case_opened(case=request, by=by)
        if files:
            request.attachments.add(*files)
            case_files_attach(request, files, side=Side.REQUESTER)
    return request


def partner_request_complete(
    *, request: PartnerRequest, by, comment: str, attachments: Iterable[StoredFile] = ()
) -> CaseEvent:
    """ "Compléter la demande": a new comment and more files, only while "Nouveau".

    The files sent in all stay within 8; the comment replaced is kept in the journal's event.
    """
    comment = (comment or "").strip()
    if not comment or len(comment) > COMMENT_MAX_LENGTH:
        raise CaseError(_("Le commentaire est obligatoire (5000 caractères maximum)."))
    with transaction.atomic():
        locked = PartnerRequest.objects.select_for_update().get(pk=request.pk)
        files = files_check(attachments, by)
        if files and not SERVICES[Service(locked.service)].has_files:
            raise CaseError(_("Cette offre de services ne prend pas de pièces jointes."))
        room = PARTNER_REQUEST.max_files - requester_files_count(locked)
        if len(files) > room:
            raise CaseError(
                _("Vous pouvez joindre au maximum %(count)s fichiers.") % {"count": max(room, 0)}
            )
        event = case_move(
            case=locked,
            move="complete",
            by=by,
            data={"previous_comment": locked.comment, "added_files": len(files)},
        )
        locked.comment = comment
        locked.save(update_fields=["comment"])
        if files:
            locked.attachments.add(*files)
            case_files_attach(locked, files, side=Side.REQUESTER)
    request.comment = comment
    return event
