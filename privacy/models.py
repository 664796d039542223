"""Compliance pages edited by the insurer, the members' and partners' data exports, and the
send-once record of the inactivity warnings."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LegalPage(models.Model):
    """A page every visitor reaches from the footer (accessibility statement, legal notices,
    personal data, cookies...), written by the insurer in the admin, one row per language.

    The body is plain text (paragraphs separated by blank lines, web addresses become links),
    as the service pages: nothing typed in the admin is taken as HTML. The pages add what the
    code knows to the text: the conformity level, the insurer's identity, the retention table
    and the cookies."""

    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibilite", _("Déclaration d'accessibilité")
        MULTI_YEAR_PLAN = "schema-pluriannuel", _("Schéma pluriannuel")
        LEGAL_NOTICE = "mentions-legales", _("Mentions légales")
        PERSONAL_DATA = "donnees-personnelles", _("Données personnelles")
        COOKIES = "cookies", _("Cookies")

    kind = models.CharField(_("page"), max_length=30, choices=Kind.choices)
    language = models.CharField(
        _("langue"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(
        _("contenu"), help_text=_("Texte simple : laissez une ligne vide entre deux paragraphes.")
    )
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("page d'information légale")
        verbose_name_plural = _("pages d'information légale")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="legalpage_kind_language")
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"


class DataExport(models.Model):
    """ "Télécharger mes données": one ZIP of an account's data, built by a Celery job that the
    page follows, downloadable by its account only for DATA_EXPORT_HOURS, then deleted. The
    account is emailed once it is ready (`notified_at`: the send-once record), with no content.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En préparation")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default="queued")
    # How many of the export's parts are written (the page says "3 parties sur 9").
    parts_done = models.PositiveSmallIntegerField(_("parties prêtes"), default=0)
    parts = models.PositiveSmallIntegerField(_("parties"), default=0)
    # The language of the page it was asked from: the readable summary's.
    language = models.CharField(_("langue"), max_length=5, default=settings.LANGUAGE_CODE)
    file = models.FileField(_("fichier"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    finished_at = models.DateTimeField(_("prêt le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("supprimé le"))
    notified_at = models.DateTimeField(_("prévenu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("export de données")
        verbose_name_plural = _("exports de données")
        indexes = [models.Index(fields=["expires_at"], name="dataexport_expiry")]

    def __str__(self):
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"


class InactivityWarning(models.Model):
    """The email telling an account that its space will be closed for inactivity, `days_before`
    the closure: one row per account, inactivity period (`inactive_since`, the last sign-in it
    counts from) and delay, so each warning goes once even when the job runs again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inactivity_warnings"
    )
    inactive_since = models.DateTimeField()
    days_before = models.PositiveSmallIntegerField()
    closes_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "inactive_since", "days_before"], name="inactivitywarning_once"
            )
        ]

    def __str__(self):
        return f"{self.user_id} · J-{self.days_before}"
