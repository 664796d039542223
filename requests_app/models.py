from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Beneficiary, Member
from casework.models import OPEN_STATUSES, Case
from documents.models import StoredFile


class RequestKind(models.TextChoices):
    """The request forms of the member space (guides 000 and 003)."""

    DOCUMENT = "document", _("Envoyer un document")
    SOFT_MEDICINE = "soft_medicine", _("Médecine douce")
    CHANGE = "change", _("Déclarer un changement")
    QUESTION = "question", _("Poser une question")
    REFUND = "refund", _("Demande de remboursement")
    QUOTE = "quote", _("Transmettre un devis")
    MESSAGE = "message", _("Messagerie sécurisée")
    # "Demander la clôture de mon espace" (privacy, "Mes données"): processed by the managers
    # with the usual moves, the space closed from the accounts' admin.
    CLOSURE = "closure", _("Clôture de l'espace")


class RequestStatus(models.TextChoices):
    """The statuses of a member request, as the member reads them (`casework.CaseStatus`)."""

    NEW = "new", _("Nouveau")
    IN_PROGRESS = "in_progress", _("Pris en charge")
    AWAITING = "awaiting", _("En attente de votre réponse")
    RESOLVED = "resolved", _("Résolu")
    CANCELLED = "cancelled", _("Annulé")


OPEN = models.Q(status__in=OPEN_STATUSES)


class MemberRequest(Case):
    """Demande: something a member sent to the insurer's managers, followed until resolved.

    `details` keeps the kind-specific answers as the member confirmed them in the summary
    (`[{"label": ..., "value": ...}]`, in French, the managers' language), so the record reads
    the same whatever the form becomes later. Its lifecycle, journal and messages are the
    casework core's (`requests_app.cases`).
    """

    reference = models.CharField(_("référence"), max_length=20, unique=True)
    # No index of its own: the history's indexes start with it.
    member = models.ForeignKey(
        Member,
        verbose_name=_("adhérent"),
        on_delete=models.PROTECT,
        related_name="requests",
        db_index=False,
    )
    # Null when the request concerns the member themself.
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("bénéficiaire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
    )
    kind = models.CharField(_("type de demande"), max_length=20, choices=RequestKind.choices)
    # The item chosen in the form's first list (type of document, change, object, ...).
    topic = models.CharField(_("motif"), max_length=60, blank=True)
    topic_label = models.CharField(_("motif"), max_length=200, blank=True)
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    amount = models.DecimalField(
        _("montant (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    details = models.JSONField(_("détails"), default=list, blank=True)
    # The request's place among the member's (1, 2, 3... in sending order): the history's
    # order, and the way to its last pages without reading what comes before them.
    position = models.PositiveIntegerField(_("rang d'envoi"), editable=False)
    # Reference, object, motif and message without case or accents (portal.text.folded): what
    # the history's and the messaging's searches read, the same on every database.
    search_text = models.TextField(blank=True, editable=False)
    # Sent from the "Contact" page: the answer may go to the member's mailbox too (guide 002).
    contact_form = models.BooleanField(_("envoyée depuis la page Contact"), default=False)
    # The one-time token of the form page it was sent from: the same form sent twice (a
    # resubmission, a double click) is one request.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    attachments = models.ManyToManyField(
        StoredFile, verbose_name=_("pièces jointes"), blank=True, related_name="member_requests"
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyée par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"), db_index=True)
    status_changed_at = models.DateTimeField(_("mise à jour le"))

    class Meta(Case.Meta):
        constraints = [
            # Sending order: unique among a member's requests; its index serves the history.
            models.UniqueConstraint(fields=["member", "position"], name="memberrequest_position"),
            models.UniqueConstraint(
                fields=["member", "submission_token"], name="memberrequest_submission"
            ),
        ]
        verbose_name = _("demande d'adhérent")
        verbose_name_plural = _("demandes d'adhérents")
        ordering = ["-created_at", "-id"]
        indexes = [
            *Case.Meta.indexes,
            # The history page: one member's requests, newest first, maybe by status or kind
            # (`position` is the sending order).
            models.Index(fields=["member", "status", "position"], name="memberrequest_status"),
            models.Index(fields=["member", "kind", "position"], name="memberrequest_kind"),
            # The managers' queue (casework.admin): each filter of the open requests, oldest
            # first, ending with the key so that deep pages are read from the index alone.
            models.Index(fields=["status", "created_at", "id"], name="memberrequest_queue"),
            models.Index(fields=["created_at", "id"], condition=OPEN, name="mreq_open"),
            models.Index(
                fields=["kind", "created_at", "id"], condition=OPEN, name="mreq_open_kind"
            ),
            models.Index(
                fields=["assignee", "created_at", "id"], condition=OPEN, name="mreq_open_assignee"
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=OPEN & models.Q(reply_pending_since__isnull=False),
                name="mreq_open_reply",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def concerns(self) -> str:
        """Who the request is about: the beneficiary, or the member themself."""
        return (self.beneficiary or self.member).full_name


class MemberRequestCounter(models.Model):
    """How many requests a member's history lists, so that the history's pagination costs no
    COUNT over thousands of rows.

    A row of its own, changed only by an `F()` update in `member_request_submit` (requests are
    never deleted), so that saving a member loaded earlier can never write back a stale count.
    """

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, primary_key=True, related_name="request_counter"
    )
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de demandes")
        verbose_name_plural = _("compteurs de demandes")

    def __str__(self):
        return f"{self.member_id}: {self.requests}"
