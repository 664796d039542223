"""Partner requests (ODS) as a case type of the casework core: statuses, moves and emails.

Registered from `PartnersConfig.ready()`.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import lifecycle
from casework.lifecycle import CaseType, Notice, move
from casework.models import CaseStatus, Side
from documents.rules import PARTNER_REQUEST
from partners.catalogue import CANCEL_REASONS, SERVICES, Service
from partners.counters import history_request_unlisted
from partners.models import Convention, PartnerRequest, PartnerRequestStatus

N = CaseStatus.NEW

EMAIL_TEMPLATES = {
    "taken": "taken",
    "asked": "asked",
    "resolved": "resolved",
    "reminder": "reminder",
}


class PartnerRequestCase(CaseType):
    key = "partner_request"
    model = PartnerRequest
    statuses = PartnerRequestStatus
    insurer_labels = {CaseStatus.AWAITING: gettext_lazy("En attente du partenaire")}
    moves = (
        # Guide 001: the technician is emailed when the request is taken in charge and when it
        # is resolved, not when it is filed (the number is on screen).
        lifecycle.SUBMIT,
        lifecycle.TAKE,
        # "Compléter la demande" while "Nouveau": the comment replaced, files added
        # (partners.services.partner_request_complete).
        move("complete", [N], None, Side.REQUESTER, gettext_lazy("Compléter la demande")),
        lifecycle.CANCEL,
        lifecycle.ASK,
        lifecycle.REPLY,
        lifecycle.RESOLVE,
        lifecycle.REMIND,
    )
    # Guide 001: 8 files per request in all ("4 supplémentaires maximum ... puisque 4 fichiers
    # ont déjà été joints lors du dépôt initial").
    max_requester_files = PARTNER_REQUEST.max_files
    # "Par sécurité, le contenu des PJ déposées n'est pas consultable".
    requester_reads_own_files = False
    cancel_reasons = CANCEL_REASONS
    type_field = "service"

    def reference(self, case) -> str:
        return case.number

    def addressee(self, case):
        # The answer speaks to the technician who filed the request.
        requester = case.requester
        return ("", requester.first_name, requester.last_name)

    def party_id(self, case) -> int:
        return case.structure_id

    def file_rules(self, case):
        return PARTNER_REQUEST if SERVICES[Service(case.service)].has_files else None

    def file_retention(self, side):
        return settings.PARTNER_FILE_RETENTION

    def requester_cases(self, user):
        if getattr(user, "role", None) not in ("technician", "partner_manager"):
            return None
        membership = getattr(user, "partner_membership", None)
        if membership is None:
            return None
        return PartnerRequest.objects.filter(structure_id=membership.structure_id).exclude(
            status=PartnerRequestStatus.CANCELLED
        )

    def insurer_cases(self, user):
        if not (user.is_active and user.is_staff):
            return None
        if user.is_superuser:
            return PartnerRequest.objects.all()
        if not user.is_insurer_manager:
            return None
        return PartnerRequest.objects.filter(organism__managers=user)

    def on_moved(self, case, move, event, **data) -> list[str]:
        if move.name == "cancel":
            # A cancelled request leaves the structure's history: one less to count there.
            convention = Convention.objects.filter(
                structure_id=case.structure_id, organism_id=case.organism_id
            ).first()
            if convention is not None:
                history_request_unlisted(convention.pk)
        return []

    def notice(self, event, case, message):
        requester = case.requester
        template = EMAIL_TEMPLATES.get(event.notification)
        if not requester.email or not requester.is_active or template is None:
            return None
        subjects = {
            "taken": _("Votre demande %(number)s a été prise en charge"),
            "asked": _("Votre demande %(number)s : l'organisme vous demande un complément"),
            "resolved": _("Une réponse a été apportée à votre demande %(number)s"),
            "reminder": _("Rappel : votre demande %(number)s attend votre complément"),
        }
        return Notice(
            to=requester.email,
            subject=subjects[event.notification] % {"number": case.number},
            template=f"partners/emails/{template}",
            context={
                "number": case.number,
                "organism": case.organism.name,
                "link": f"{settings.SITE_URL}{reverse('partners:history')}",
            },
        )
