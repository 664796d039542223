"""Member requests as a case type of the casework core: their statuses, moves and emails.

Registered from `RequestsAppConfig.ready()`.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import lifecycle
from casework.lifecycle import REQUIRED, CaseType, Notice, move
from casework.models import CaseStatus, Side
from documents.rules import QUOTE_REQUEST, SEND_DOCUMENT
from requests_app.models import MemberRequest, RequestKind, RequestStatus

# A member may write again on a request resolved this many days ago at most; it re-opens.
REOPEN_DAYS = 30
# The most files a member may send for one request, first sending and messages together (each
# message within its form's own rules: 5 files, 4 for a quote).
MAX_REQUESTER_FILES = 20

CANCEL_REASONS = {
    "doublon": gettext_lazy("J'ai envoyé cette demande en double"),
    "erreur": gettext_lazy("Ma demande contient une erreur, je vais la refaire"),
    "plus_utile": gettext_lazy("Ma demande n'est plus utile"),
    "autre": gettext_lazy("Autre motif"),
}

N, P, A, R = CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING, CaseStatus.RESOLVED

EMAIL_TEMPLATES = {
    "received": "received",
    "taken": "status_changed",
    "asked": "asked",
    "resolved": "answered",
    "reminder": "reminder",
}


class MemberRequestCase(CaseType):
    key = "member_request"
    model = MemberRequest
    statuses = RequestStatus
    insurer_labels = {A: gettext_lazy("En attente de l'adhérent")}
    moves = (
        move("submit", [""], N, Side.REQUESTER, gettext_lazy("Envoyer"), notification="received"),
        lifecycle.TAKE,
        lifecycle.ASK,
        lifecycle.REPLY,
        move(
            "write",
            [N, P],
            None,
            Side.REQUESTER,
            gettext_lazy("Ajouter un message"),
            message=REQUIRED,
            empty_message=gettext_lazy("Écrivez votre message."),
        ),  # fmt: skip
        move(
            "reopen",
            [R],
            P,
            Side.REQUESTER,
            gettext_lazy("Écrire à nouveau"),
            message=REQUIRED,
            within_days_of_resolution=REOPEN_DAYS,
            empty_message=gettext_lazy("Écrivez votre message."),
        ),  # fmt: skip
        lifecycle.RESOLVE,
        lifecycle.CANCEL,
        lifecycle.REMIND,
    )
    max_requester_files = MAX_REQUESTER_FILES
    requester_reads_own_files = True
    cancel_reasons = CANCEL_REASONS

    def reference(self, case) -> str:
        return case.reference

    def party_id(self, case) -> int:
        return case.member_id

    def file_rules(self, case):
        return QUOTE_REQUEST if case.kind == RequestKind.QUOTE else SEND_DOCUMENT

    def file_retention(self, side):
        return settings.MEMBER_FILE_RETENTION

    def requester_cases(self, user):
        member = getattr(user, "member", None) if getattr(user, "is_member", False) else None
        if member is None:
            return None
        return MemberRequest.objects.filter(member=member)

    def insurer_cases(self, user):
        if not (user.is_active and user.is_staff and user.is_insurer_manager):
            return None
        if not user.has_perm("requests_app.view_memberrequest"):
            return None
        return MemberRequest.objects.all()

    def addressee(self, case):
        member = case.member
        return (member.get_civility_display(), member.first_name, member.last_name)

    def may_email_text(self, case) -> bool:
        # Guide 002: "pour toute demande par e-mail, vous recevrez notre réponse directement
        # dans votre boîte mail personnelle"; questions may be answered the same way.
        return case.contact_form or case.kind == RequestKind.QUESTION

    def email_text_by_default(self, case) -> bool:
        return case.contact_form

    def notice(self, event, case, message):
        member = case.member
        to = (member.user.email if member.user_id else "") or member.email
        template = EMAIL_TEMPLATES.get(event.notification)
        if not to or template is None:
            return None
        reference = case.reference
        subjects = {
            "received": _("Nous avons bien reçu votre demande %(reference)s"),
            "taken": _("Votre demande %(reference)s est prise en charge"),
            "asked": _("Votre demande %(reference)s : un complément vous est demandé"),
            "resolved": _("Une réponse vous attend dans votre espace"),
            "reminder": _("Rappel : votre demande %(reference)s attend votre réponse"),
        }
        if event.data.get("space_closed"):
            # The space is closed: the answer itself is the news, there is nothing to sign in to.
            return Notice(
                to=to,
                subject=_("Votre espace en ligne est clôturé"),
                template="requests_app/emails/space_closed",
                context={"reference": reference, "text": message.text if message else ""},
            )
        link = f"{settings.SITE_URL}{reverse('requests_app:detail', args=[reference])}"
        context = {
            "reference": reference,
            "status": self.status_label(event.to_status),
            "link": link,
            "text": message.text if message is not None and message.email_text else "",
            "files": message.attachments.count() if message is not None else 0,
        }
        return Notice(
            to=to,
            subject=subjects[event.notification] % {"reference": reference},
            template=f"requests_app/emails/{template}",
            context=context,
        )
