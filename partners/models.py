from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Civility
from casework.models import OPEN_STATUSES, Case
from documents.models import StoredFile
from partners.catalogue import Service


class Organism(models.Model):
    """Organisme d'assurance maladie (a fund such as "CPAM GIRONDE") that partners address."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", _("Le code est composé de 3 chiffres."))],
        help_text=_("3 chiffres : ils forment le milieu des numéros de demande."),
    )
    # "ameli.fr" in the partner space's top bar (guide 001, III); the branding's site otherwise.
    public_site_url = models.URLField(
        _("site public"),
        blank=True,
        help_text=_("Affiché dans la barre du haut de l'Espace Partenaires (ex. « ameli.fr »)."),
    )
    # The organism's managers see and process its partner requests in the admin, and only those.
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestionnaires"),
        blank=True,
        related_name="managed_organisms",
        limit_choices_to={"role": "insurer_manager"},
    )

    history = HistoricalRecords(m2m_fields=[managers])

    class Meta:
        verbose_name = _("organisme")
        verbose_name_plural = _("organismes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganismService(models.Model):
    """An ODS the organism offers, with the motifs (or documents, for ODS 5) it keeps.

    An empty `motifs` list means every motif of the guide.
    """

    organism = models.ForeignKey(
        Organism, verbose_name=_("organisme"), on_delete=models.CASCADE, related_name="services"
    )
    service = models.PositiveSmallIntegerField(_("offre de services"), choices=Service.choices)
    motifs = models.JSONField(_("motifs proposés"), default=list, blank=True)

    class Meta:
        verbose_name = _("offre de services proposée")
        verbose_name_plural = _("offres de services proposées")
        ordering = ["organism", "service"]
        constraints = [
            models.UniqueConstraint(fields=["organism", "service"], name="organismservice_unique")
        ]

    def __str__(self):
        return f"{self.organism} · {self.get_service_display()}"

    def clean(self):
        from partners.catalogue import SERVICES

        known = SERVICES[Service(self.service)].motifs if self.service else {}
        unknown = [code for code in self.motifs or [] if code not in known]
        if unknown:
            raise ValidationError({"motifs": _("Motifs inconnus : %s") % ", ".join(unknown)})

    def offered_motifs(self) -> dict:
        """Code -> label of the motifs offered, in the guide's order."""
        from partners.catalogue import SERVICES

        catalogue = SERVICES[Service(self.service)].motifs
        if not self.motifs:
            return dict(catalogue)
        return {code: label for code, label in catalogue.items() if code in self.motifs}


class Structure(models.Model):
    """A partner structure (social services, associations) whose technicians file requests."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("structure partenaire")
        verbose_name_plural = _("structures partenaires")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Convention(models.Model):
    """The agreement between a structure and an organism, with its dates (Europe/Paris days).

    `technician_cap` is the organism's maximum of active technicians for the structure.
    """

    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="conventions",
    )
    organism = models.ForeignKey(
        Organism, verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="conventions"
    )
    start_date = models.DateField(_("date de début"))
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    technician_cap = models.PositiveSmallIntegerField(_("techniciens actifs maximum"), default=5)
    # The end date a reminder was sent for (a new end date gets its own reminder).
    reminder_sent_for = models.DateField(_("rappel envoyé pour la fin du"), null=True, blank=True)
    # Set by the daily job once the access closed (30 days after the last resolution).
    closed_at = models.DateTimeField(_("accès fermé le"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        ordering = ["structure", "organism"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "organism"], name="convention_one_per_organism"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="convention_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.structure} · {self.organism}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La date de fin doit suivre la date de début.")})


class ConventionCounter(models.Model):
    """How many of the structure's requests to the organism its history lists (those not
    cancelled), so that "N demandes" costs nothing at 100,000 requests.

    A row of its own, changed only by `F()` updates in the services that file and cancel, so that
    saving a convention loaded earlier (in the admin, in a job) can never write back a stale
    count.
    """

    convention = models.OneToOneField(
        Convention, on_delete=models.CASCADE, primary_key=True, related_name="counter"
    )
    listed_requests = models.PositiveIntegerField(default=0)
    # Every request ever filed (cancelled ones too): the next request's `position`.
    filed_requests = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de demandes")
        verbose_name_plural = _("compteurs de demandes")

    def __str__(self):
        return f"{self.convention}: {self.listed_requests}"


class ConventionReminder(models.Model):
    """The reminder of a convention's end sent to one partner manager, for one end date: the
    row is what makes it go once, even when the job is retried half-way."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="reminders")
    end_date = models.DateField(_("date de fin"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rappel de fin de convention")
        verbose_name_plural = _("rappels de fin de convention")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "end_date", "recipient"], name="conventionreminder_once"
            )
        ]

    def __str__(self):
        return f"{self.convention} · {self.end_date}"


class StructureMembership(models.Model):
    """Ties a technician or a partner manager account to their structure."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="memberships")
    # "L'organisme sélectionné par défaut est celui de la dernière connexion".
    last_organism = models.ForeignKey(
        Organism,
        verbose_name=_("dernier organisme choisi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rattachement à une structure")
        verbose_name_plural = _("rattachements aux structures")

    def __str__(self):
        return f"{self.user} → {self.structure}"


class PartnerRequestStatus(models.TextChoices):
    """The guide's three statuses, the complement the organism waits for, and "Annulé"
    (`casework.CaseStatus`' values)."""

    NEW = "new", _("Nouveau")
    IN_PROGRESS = "in_progress", _("Pris en charge")
    AWAITING = "awaiting", _("En attente de complément")
    RESOLVED = "resolved", _("Résolu")
    # Only in the admin: a cancelled request leaves the technicians' history.
    CANCELLED = "cancelled", _("Annulé")


class PartnerRequest(Case):
    """Demande d'ODS: what a technician filed for an insured person to one organism.

    `number` is the guide's 10 digits: year (2) + organism code (3) + sequence (5). Its
    lifecycle, journal and messages (the organism's answer among them) are the casework core's
    (`partners.cases`).
    """

    number = models.CharField(_("numéro de demande"), max_length=10, unique=True)
    # No index of their own: the history's indexes start with both, the queue's with the
    # organism (fewer indexes, cheaper plans for every query of the table).
    organism = models.ForeignKey(
        Organism,
        verbose_name=_("organisme"),
        on_delete=models.PROTECT,
        related_name="requests",
        db_index=False,
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="requests",
        db_index=False,
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandeur"),
        on_delete=models.PROTECT,
        related_name="partner_requests",
    )
    # Copied from the requester at submission: sorted and filtered on in the history.
    requester_name = models.CharField(_("demandeur"), max_length=120)
    # The request's place among those its structure filed to its organism (1, 2, 3...), given
    # in filing order: the history's date order, and the way to its deep pages without
    # reading what comes before them.
    position = models.PositiveIntegerField(_("rang de dépôt"), editable=False)
    service = models.PositiveSmallIntegerField(_("offre de service"), choices=Service.choices)
    # The motif code (ODS 1-4); for ODS 5 the first document asked for (see `documents`).
    motif = models.CharField(_("motif"), max_length=40, blank=True)
    documents = models.JSONField(_("documents demandés"), default=list, blank=True)
    # The ODS's and the motif's places in the alphabetical order of their labels
    # (`catalogue.service_ranks`, `motif_ranks`): the history's sorts read an index of them.
    service_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    motif_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    appointment_modes = models.JSONField(_("modalités de rendez-vous"), default=list, blank=True)
    # Personne concernée (ODS 2 to 5).
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices, blank=True)
    last_name = models.CharField(_("nom"), max_length=30, blank=True)
    first_name = models.CharField(_("prénom"), max_length=20, blank=True)
    # "nom prénom" without case or accents (portal.text.folded): what "Personne concernée"
    # searches, the same on every database. On PostgreSQL its words are also kept, by
    # triggers, in `partners_person_word` (migration 0015), which the history's search reads.
    person_search = models.CharField(max_length=60, blank=True, editable=False)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=30, blank=True)
    phone = models.CharField(_("téléphone"), max_length=10, blank=True)
    comment = models.TextField(_("commentaire"), max_length=5000)
    # ODS 2 with motif "Saisine mission accompagnement santé": the national form's answers
    # ({"consent": true, "reasons": [...], "care": [...], "duration": "...", "causes": [...]}).
    saisine = models.JSONField(_("saisine mission accompagnement santé"), default=dict, blank=True)
    attachments = models.ManyToManyField(
        StoredFile, verbose_name=_("PJ envoyée(s)"), blank=True, related_name="partner_requests"
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=PartnerRequestStatus.choices,
        default=PartnerRequestStatus.NEW,
    )
    created_at = models.DateTimeField(_("date de dépôt"))

    class Meta(Case.Meta):
        verbose_name = _("demande partenaire")
        verbose_name_plural = _("demandes partenaires")
        ordering = ["-created_at", "-id"]
        indexes = [
            *Case.Meta.indexes,
            # The history's filters and sorts (partners.selectors): for each, one index of the
            # structure's requests at the organism in that order, the listed ones only, ending
            # with `position` so that a page's rows are found from the index alone.
            *[
                models.Index(
                    fields=["structure", "organism", *keys, "position"],
                    condition=~models.Q(status="cancelled"),
                    name=f"phist_{name}",
                )
                for name, keys in (
                    ("status", ["status_rank"]),
                    ("service", ["service_rank"]),
                    ("motif", ["motif_rank"]),
                    ("requester", ["requester"]),
                    ("requester_name", ["requester_name"]),
                    ("person", ["last_name", "first_name"]),
                    ("status_date", ["status_changed_at"]),
                    ("number", ["number"]),
                )
            ],
            # Dates to positions (a period of the history), cancelled requests included.
            models.Index(
                fields=["structure", "organism", "created_at", "position"], name="phist_created"
            ),
            # The cancelled requests between two positions (the history's arithmetic).
            models.Index(
                fields=["structure", "organism", "position"],
                condition=models.Q(status="cancelled"),
                name="phist_cancelled",
            ),
            # The managers' queue (casework.admin): each filter of an organism's open requests,
            # oldest first, ending with the key so that deep pages are read from the index alone.
            models.Index(
                fields=["organism", "status", "created_at", "id"], name="partnerrequest_queue"
            ),
            *[
                models.Index(
                    fields=["organism", *keys, "created_at", "id"],
                    condition=models.Q(status__in=OPEN_STATUSES),
                    name=name,
                )
                for name, keys in (
                    ("preq_open", []),
                    ("preq_open_service", ["service"]),
                    ("preq_open_assignee", ["assignee"]),
                )
            ],
            models.Index(
                fields=["organism", "created_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES, reply_pending_since__isnull=False),
                name="preq_open_reply",
            ),
            # A manager's few organisms among a hundred: a closed status, or every request, is
            # read in the queue's order and the other organisms' rows skipped (a few
            # thousand index entries) rather than a hundred thousand rows sorted.
            models.Index(fields=["status", "created_at", "id"], name="preq_status"),
            models.Index(fields=["created_at", "id"], name="preq_created"),
        ]
        constraints = [
            # Filing order: unique in a structure's history at an organism; its index serves the
            # history's default order and its deep pages.
            models.UniqueConstraint(
                fields=["structure", "organism", "position"], name="phist_position"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def person_name(self) -> str:
        """ "Madame TUTU Joséphine", as the history shows the person concerned."""
        if not self.last_name:
            return ""
        return f"{self.get_civility_display()} {self.last_name} {self.first_name}".strip()

    @property
    def phone_display(self) -> str:
        """ "06.00.00.00.00"."""
        digits = self.phone
        return ".".join(digits[i : i + 2] for i in range(0, len(digits), 2))
