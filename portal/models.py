from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Saisissez une couleur au format #RRGGBB.")
)


class CollectiveHandling(models.TextChoices):
    """Who makes a change for a member of a collective contract (issue 14)."""

    MEMBER = "member", _("l'adhérent, dans son espace")
    EMPLOYER = "employer", _("l'employeur")


def _collective_field(label):
    return models.CharField(
        label,
        max_length=10,
        choices=CollectiveHandling.choices,
        default=CollectiveHandling.EMPLOYER,
    )


class Branding(models.Model):
    """The insurer's identity (white label). A single row, edited in the admin."""

    insurer_name = models.CharField(_("nom de l'organisme"), max_length=120, default="Guichet")
    logo = models.ImageField(_("logo"), upload_to="branding/", blank=True)
    primary_colour = models.CharField(
        _("couleur principale"), max_length=7, default="#0b5394", validators=[colour_validator]
    )
    accent_colour = models.CharField(
        _("couleur d'accent"), max_length=7, default="#c0392b", validators=[colour_validator]
    )
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    opening_hours = models.CharField(_("horaires d'ouverture"), max_length=200, blank=True)
    public_site_url = models.URLField(_("site public"), blank=True)
    # Printed on the documents the member downloads (card, certificates, statements).
    postal_address = models.TextField(_("adresse postale"), blank=True)
    amc_number = models.CharField(
        _("numéro AMC"),
        max_length=20,
        blank=True,
        help_text=_(
            "Identifiant de l'organisme complémentaire, imprimé sur la carte de tiers payant."
        ),
    )
    # The tiers-payant card's harmonised block (inter-AMC attestation) and its back.
    card_convention_type = models.CharField(
        _("type de convention"),
        max_length=10,
        blank=True,
        help_text=_(
            "Type de convention de tiers payant imprimé sur la carte (par exemple « ST »)."
        ),
    )
    card_routing_criterion = models.CharField(
        _("critère secondaire de routage"),
        max_length=10,
        blank=True,
        help_text=_("Imprimé sur la carte et porté par son code 2D (par exemple « 01 »)."),
    )
    card_operator = models.CharField(
        _("opérateur de tiers payant"),
        max_length=120,
        blank=True,
        help_text=_("L'organisme qui gère le tiers payant pour vous, imprimé sur la carte."),
    )
    professional_phone = models.CharField(
        _("ligne des professionnels de santé"),
        max_length=30,
        blank=True,
        help_text=_("Le numéro que les professionnels de santé appellent, imprimé sur la carte."),
    )
    advisor_name = models.CharField(
        _("nom du conseiller virtuel"),
        max_length=40,
        blank=True,
        help_text=_("Par exemple « Camille ». Vide : « Votre conseiller virtuel »."),
    )
    # The signature block of certificates, and the legal lines at the foot of every document.
    signatory_name = models.CharField(_("nom du signataire"), max_length=120, blank=True)
    signatory_role = models.CharField(_("fonction du signataire"), max_length=120, blank=True)
    document_legal_mentions = models.TextField(
        _("mentions légales des documents"),
        blank=True,
        help_text=_("Imprimées au pied des relevés et des certificats."),
    )
    # "Mentions légales" and "Données personnelles" (privacy): who publishes and who hosts.
    legal_name = models.CharField(
        _("raison sociale"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Mutuelle Exemple, mutuelle régie par le livre II du Code "
                    "de la mutualité »."),
    )  # fmt: skip
    registration = models.CharField(
        _("immatriculation"),
        max_length=200,
        blank=True,
        help_text=_("SIREN, numéro RNM ou RCS."),
    )
    publication_director = models.CharField(
        _("directeur de la publication"), max_length=120, blank=True
    )
    host_name = models.CharField(_("hébergeur"), max_length=200, blank=True)
    host_address = models.TextField(_("adresse de l'hébergeur"), blank=True)
    host_hds_certification = models.CharField(
        _("certification HDS de l'hébergeur"),
        max_length=200,
        blank=True,
        help_text=_(
            "Hébergeur de données de santé : numéro et périmètre du certificat. Vide si "
            "l'hébergeur n'est pas certifié."
        ),
    )
    dpo_contact = models.CharField(
        _("contact du délégué à la protection des données"),
        max_length=200,
        blank=True,
        help_text=_("Adresse email ou postale du DPO."),
    )
    # Guide 003's security screen: at sign-in, a member without a verified mobile phone is
    # asked to indicate or confirm one, verified by an SMS code.
    signin_phone_required = models.BooleanField(
        _("téléphone mobile vérifié exigé à la connexion"),
        default=False,
        help_text=_(
            "À la connexion, un adhérent sans téléphone mobile vérifié doit indiquer ou "
            "confirmer son numéro, vérifié par un code envoyé par SMS."
        ),
    )

    history = HistoricalRecords()

    # Contrats collectifs: per kind of change, who makes it. All "employer" is guide 002's
    # "solliciter votre employeur pour toutes modifications de coordonnées et de contrat";
    # guide 003 lets the member switch NOEMIE and add or remove beneficiaries
    # (cover/collective.py holds both profiles).
    collective_contact_details = _collective_field(_("contrat collectif : coordonnées"))
    collective_bank_details = _collective_field(_("contrat collectif : coordonnées bancaires"))
    collective_beneficiaries = _collective_field(_("contrat collectif : bénéficiaires"))
    collective_teletransmission = _collective_field(
        _("contrat collectif : télétransmission NOEMIE")
    )
    collective_options = _collective_field(_("contrat collectif : options facultatives"))

    class Meta:
        verbose_name = _("identité de l'organisme")
        verbose_name_plural = _("identité de l'organisme")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="branding_single_row"),
        ]

    def __str__(self):
        return self.insurer_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "Branding":
        branding, _created = cls.objects.get_or_create(pk=1)
        return branding


class WorkerHeartbeat(models.Model):
    """Written by a periodic task: proof that a Celery worker consumes the queue."""

    hostname = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self):
        return f"{self.hostname} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class Sequence(models.Model):
    """A named counter for human-readable numbers (request references, partner numbers).

    `portal.sequences.sequence_next` takes the next value inside the caller's transaction, so a
    number is never handed out twice and, if the caller rolls back, never skipped.
    """

    name = models.CharField(max_length=100, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} = {self.value}"
