"""The access journal (journal des consultations) and the exports of the managers' queues."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessEntry(models.Model):
    """One opening by a manager of a member's fiche, a request or a file, one NIR shown, or one
    export of a queue: who, when, what, and why when they said it. Written by
    `oversight.journal` only; nobody edits or deletes it in the admin."""

    class Kind(models.TextChoices):
        FICHE = "fiche", _("Fiche adhérent")
        MEMBER = "member", _("Dossier adhérent (modification)")
        NIR = "nir", _("NIR affiché")
        MEMBER_REQUEST = "member_request", _("Demande d'adhérent")
        PARTNER_REQUEST = "partner_request", _("Demande partenaire")
        FILE = "file", _("Fichier")
        EXPORT = "export", _("Export")

    class Scope(models.TextChoices):
        # Whose data was read: decides who may read the entry (members' data or an organism's).
        MEMBER = "member", _("Données d'adhérent")
        PARTNER = "partner", _("Données partenaires")

    at = models.DateTimeField(_("le"), default=timezone.now)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestionnaire"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("consultation"), max_length=20, choices=Kind.choices)
    scope = models.CharField(_("données"), max_length=10, choices=Scope.choices)
    member = models.ForeignKey(
        "accounts.Member",
        verbose_name=_("adhérent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organism = models.ForeignKey(
        "partners.Organism",
        verbose_name=_("organisme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What was opened, as a person reads it: a reference, a file name, the queue and its filters.
    target = models.CharField(_("objet consulté"), max_length=300)
    reason = models.CharField(_("motif"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("journal des consultations")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["member", "at"], name="accessentry_member"),
            models.Index(fields=["manager", "at"], name="accessentry_manager"),
            models.Index(fields=["at"], name="accessentry_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} · {self.get_kind_display()} · {self.target}"


class QueueExport(models.Model):
    """A queue exported above QUEUE_EXPORT_DIRECT_ROWS rows, built by a Celery job: the page follows
    its progress, then offers the file for QUEUE_EXPORT_HOURS (then the purge deletes it)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En préparation")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The admin's model ("requests_app.memberrequest") and the changelist's filters (its query).
    model = models.CharField(max_length=100)
    query = models.TextField(blank=True)
    format = models.CharField(max_length=4, choices=Format.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="queueexport_expiry")]

    def __str__(self):
        return f"{self.model} · {self.created_at:%Y-%m-%d %H:%M}"
