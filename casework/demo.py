"""Demo data helpers shared by the apps' demo loaders (`make run`)."""

from casework.lifecycle import case_type_of
from casework.models import CaseEvent, CaseMessage


def case_backdate(case, *, filed_at, handled_at) -> None:
    """Move a case's dates: sent at `filed_at`, everything after handled at `handled_at`, so
    that a demo history reads like weeks of use."""
    kind = case_type_of(case)
    case.refresh_from_db()
    type(case).objects.filter(pk=case.pk).update(
        created_at=filed_at,
        status_changed_at=handled_at if case.status != "new" else filed_at,
        resolved_at=handled_at if case.resolved_at else None,
        awaiting_since=handled_at if case.awaiting_since else None,
    )
    journal = {"case_type": kind.content_type(), "case_id": case.pk}
    CaseEvent.objects.filter(**journal, action="submit").update(at=filed_at)
    CaseEvent.objects.filter(**journal).exclude(action="submit").update(at=handled_at)
    CaseMessage.objects.filter(**journal).update(created_at=handled_at)
    # Their files too: sent (and kept "jusqu'au …") when the case or the message was.
    _files_backdate(case.attachments.all(), to=filed_at)
    for message in CaseMessage.objects.filter(**journal).prefetch_related("attachments"):
        _files_backdate(message.attachments.all(), to=handled_at)


def _files_backdate(files, *, to) -> None:
    """A file attached at `to` instead: its upload, attachment and expiry move by as much."""
    for stored in files:
        if stored.attached_at is None:
            continue
        shift = stored.attached_at - to
        type(stored).objects.filter(pk=stored.pk).update(
            created_at=stored.created_at - shift,
            attached_at=to,
            expires_at=stored.expires_at - shift if stored.expires_at else None,
        )


def case_emails_silence(cases) -> None:
    """Demo data: nobody is emailed about it."""
    from django.utils import timezone

    for case in cases:
        CaseEvent.objects.filter(
            case_type=case_type_of(case).content_type(), case_id=case.pk, notified_at__isnull=True
        ).update(notified_at=timezone.now())


DEMO_ANSWER_TEMPLATES = [
    (
        "member_request:refund",
        "Remboursement effectué",
        "Bonjour {civilite} {nom},\n\nVotre demande {reference} a été traitée le {date} : le "
        "remboursement est versé sur votre compte sous 48 heures.\n\nCordialement,",
    ),
    (
        "member_request:document",
        "Document bien reçu",
        "Bonjour {civilite} {nom},\n\nNous avons bien reçu le document de votre demande "
        "{reference} et l'avons enregistré dans votre dossier.\n\nCordialement,",
    ),
    (
        "member_request:question",
        "Pièce manquante",
        "Bonjour {civilite} {nom},\n\nPour traiter votre demande {reference}, merci de nous "
        "transmettre : \n\nCordialement,",
    ),
    (
        "partner_request:5",
        "Attestation envoyée",
        "Bonjour {prenom} {nom},\n\nL'attestation demandée ({reference}) est jointe à cette "
        "réponse.\n\nCordialement,",
    ),
]


def demo_answer_templates_load() -> None:
    """A few answer templates and one target delay (idempotent): what the move pages of the
    demo requests offer to insert."""
    from casework.models import AnswerTemplate, TargetDelay

    for request_type, title, text in DEMO_ANSWER_TEMPLATES:
        AnswerTemplate.objects.get_or_create(
            request_type=request_type, title=title, defaults={"text": text}
        )
    TargetDelay.objects.get_or_create(
        request_type="member_request:refund", defaults={"working_days": 3}
    )
