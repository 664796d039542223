"""What every request of the portal shares, whoever sends it (a member, a partner structure):
its lifecycle fields, the log of what happened to it and the messages exchanged about it.

A case is a row of an app's own table (`MemberRequest`, `PartnerRequest`), built on the abstract
`Case` below; its events and messages live here, in two tables shared by every case type and
pointing at their case through the content type and primary key (as Django's admin log does).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import StoredFile


class CaseStatus(models.TextChoices):
    """The statuses every case type goes through; each type words them for its readers."""

    NEW = "new", _("Nouveau")
    IN_PROGRESS = "in_progress", _("Pris en charge")
    AWAITING = "awaiting", _("En attente de réponse")
    RESOLVED = "resolved", _("Résolu")
    CANCELLED = "cancelled", _("Annulé")


# Statuses in which the insurer still has something to do or to wait for.
OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING)
# The workflow's order, for lists sorted by status (`Case.status_rank`).
STATUS_RANKS = {status.value: rank for rank, status in enumerate(CaseStatus)}


class Side(models.TextChoices):
    """Who speaks: the person who sent the request, or the insurer's managers."""

    REQUESTER = "requester", _("demandeur")
    INSURER = "insurer", _("gestionnaire")


class Case(models.Model):
    """The fields of a request that the casework services read and write.

    Concrete models add what they are about (the member, the ODS...), a `status` field with
    their own labels over `CaseStatus`' values, an `attachments` many-to-many of the files sent
    with the request, and are declared to `casework.lifecycle` by their app.
    """

    status = models.CharField(
        _("statut"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    # The status's place in the workflow (STATUS_RANKS), kept with it by the services: lists
    # sorted by status read an index of it rather than computing it row by row.
    status_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("envoyée le"))
    status_changed_at = models.DateTimeField(_("date statut"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestionnaire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_%(class)ss",
    )
    resolved_at = models.DateTimeField(_("résolue le"), null=True, blank=True)
    cancel_reason = models.CharField(_("motif de l'annulation"), max_length=40, blank=True)
    # Since when the insurer waits for the requester ("Demander un complément"); the reminder
    # counts from here, and `reminded_at` keeps reminders a week apart.
    awaiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancé le"), null=True, blank=True)
    # Since when the requester wrote something no manager has opened yet: such a request comes
    # first in the managers' queue.
    reply_pending_since = models.DateTimeField(_("réponse reçue le"), null=True, blank=True)

    case_events = GenericRelation(
        "casework.CaseEvent", content_type_field="case_type", object_id_field="case_id"
    )
    case_messages = GenericRelation(
        "casework.CaseMessage", content_type_field="case_type", object_id_field="case_id"
    )

    class Meta:
        abstract = True
        indexes = [
            # The reminder job: only cases waiting for their requester are indexed.
            models.Index(
                fields=["awaiting_since"],
                condition=models.Q(status="awaiting"),
                name="%(class)s_awaiting",
            ),
        ]


class OfACase(models.Model):
    """A row about one case of any type: the case's content type and primary key."""

    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    case_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("case_type", "case_id")

    class Meta:
        abstract = True


class CaseMessage(OfACase):
    """Un message: text and files one side sent to the other about a case.

    The insurer's answers, the requests for a complement and the requester's replies are all
    messages; `read_at` is when the other side first opened it ("Lu le ...").
    """

    # Whose case it is on the requester's side (the member of a member request, the structure
    # of a partner request), copied from the case so that a party's messages are one index away.
    party_id = models.PositiveBigIntegerField(_("demandeur"))
    side = models.CharField(_("de la part du"), max_length=10, choices=Side.choices)
    # The move it was sent with ("ask", "resolve", "reply", ...).
    action = models.CharField(_("action"), max_length=20)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("message"))
    attachments = models.ManyToManyField(
        StoredFile, verbose_name=_("pièces jointes"), blank=True, related_name="case_messages"
    )
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lu par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The insurer chose to send the text by email too (contact form, questions).
    email_text = models.BooleanField(_("texte envoyé par email"), default=False)
    # The form's one-time token: the same form posted twice records one message.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case_type", "case_id", "created_at"], name="casemessage_thread"),
            # "Historique des mails": what the insurer sent to one party, newest first.
            models.Index(
                fields=["case_type", "party_id", "-created_at", "-id"],
                condition=models.Q(side="insurer"),
                name="casemessage_received",
            ),
            # The unread badge on every member page: only unread insurer messages are indexed.
            models.Index(
                fields=["case_type", "party_id"],
                condition=models.Q(side="insurer", read_at__isnull=True),
                name="casemessage_unread",
            ),
        ]

    def __str__(self):
        return f"{self.get_side_display()} · {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


class CaseEvent(OfACase):
    """Journal: one thing that happened to a case (sent, taken in charge, a complement asked, a
    reply, a message read, resolved, cancelled...), who did it and when.

    An event that announces something to the requester names its email in `notification`;
    a worker claims it (`notify_claimed_at`, committed) before the SMTP exchange and marks
    `notified_at` after (the send-once guard); the catch-up job reads the events still to send
    on a partial index that holds only those.
    """

    # The move made ("take", "ask", "reply", "resolve", ...), or "read".
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("ancien statut"), max_length=20, blank=True)
    to_status = models.CharField(_("nouveau statut"), max_length=20, blank=True)
    message = models.ForeignKey(
        CaseMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    # What else the move recorded: a cancellation's reason, the comment a completion replaced.
    data = models.JSONField(_("détails"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("le"))
    notification = models.CharField(_("email"), max_length=30, blank=True)
    notified_at = models.DateTimeField(_("email envoyé le"), null=True, blank=True)
    # Claimed (committed) by the worker sending the email, before its SMTP exchange; a claim
    # older than notifications.CLAIM_TIMEOUT is a worker that died, and may be taken again.
    notify_claimed_at = models.DateTimeField(null=True, blank=True)
    notify_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("journal des demandes")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case_type", "case_id", "at"], name="caseevent_thread"),
            # The catch-up job: only the emails not sent yet are indexed.
            models.Index(
                fields=["at"],
                condition=models.Q(notified_at__isnull=True, notification__gt=""),
                name="caseevent_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.action} · {timezone.localtime(self.at):%d/%m/%Y %H:%M}"

    @property
    def changes_status(self) -> bool:
        return bool(self.to_status) and self.from_status != self.to_status


class CaseNote(OfACase):
    """Note interne: what a manager writes about a case for the other managers.

    Never shown to the requester: only the admin reads this table (no requester page, export
    or email does)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case_type", "case_id", "created_at"], name="casenote_case")
        ]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


def request_type_choices() -> list[tuple[str, str]]:
    """Every request type of every case type ("member_request:document", "partner_request:1"),
    named for the managers: what answer templates and target delays are set for."""
    from casework.lifecycle import case_types

    choices = []
    for kind in case_types():
        field = kind.model._meta.get_field(kind.type_field)
        for value, label in field.choices:
            choices.append((f"{kind.key}:{value}", f"{kind.model._meta.verbose_name} · {label}"))
    return choices


class AnswerTemplate(models.Model):
    """Réponse type: a text the managers insert into "Résoudre" or "Demander un complément"
    for one request type, then edit freely. Placeholders: {civilite}, {prenom}, {nom},
    {reference}, {date}."""

    request_type = models.CharField(_("type de demande"), max_length=60)
    title = models.CharField(_("titre"), max_length=120)
    text = models.TextField(_("texte"), max_length=5000)
    active = models.BooleanField(_("proposée"), default=True)

    class Meta:
        verbose_name = _("réponse type")
        verbose_name_plural = _("réponses types")
        ordering = ["request_type", "title"]

    def __str__(self):
        return self.title


# Working days a request type may stay open before the dashboard counts it late.
DEFAULT_TARGET_DAYS = 5


class TargetDelay(models.Model):
    """Délai cible: how many working days a request of a type may stay open (5 when not set)."""

    request_type = models.CharField(_("type de demande"), max_length=60, unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("délai cible (jours ouvrés)"), default=DEFAULT_TARGET_DAYS
    )

    class Meta:
        verbose_name = _("délai cible")
        verbose_name_plural = _("délais cibles")
        ordering = ["request_type"]

    def __str__(self):
        return self.request_type
