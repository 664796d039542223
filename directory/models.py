"""The health-professional directory ("Localiser un professionnel de santé", guides 002, 003)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Specialty(models.TextChoices):
    """What members look for; stored as a code, shown in French."""

    GENERAL_PRACTITIONER = "general_practitioner", _("Médecin généraliste")
    DENTIST = "dentist", _("Chirurgien-dentiste")
    ORTHODONTIST = "orthodontist", _("Orthodontiste")
    RADIOLOGIST = "radiologist", _("Radiologue")
    OPHTHALMOLOGIST = "ophthalmologist", _("Ophtalmologiste")
    OPTICIAN = "optician", _("Opticien")
    HEARING_AID = "hearing_aid", _("Audioprothésiste")
    ENT = "ent", _("Oto-rhino-laryngologiste (ORL)")
    PHYSIOTHERAPIST = "physiotherapist", _("Masseur-kinésithérapeute")
    PHARMACIST = "pharmacist", _("Pharmacien")
    GYNECOLOGIST = "gynecologist", _("Gynécologue")
    MIDWIFE = "midwife", _("Sage-femme")
    PEDIATRICIAN = "pediatrician", _("Pédiatre")
    DERMATOLOGIST = "dermatologist", _("Dermatologue")
    CARDIOLOGIST = "cardiologist", _("Cardiologue")
    PSYCHIATRIST = "psychiatrist", _("Psychiatre")
    NURSE = "nurse", _("Infirmier")
    SPEECH_THERAPIST = "speech_therapist", _("Orthophoniste")
    PODIATRIST = "podiatrist", _("Pédicure-podologue")
    LABORATORY = "laboratory", _("Laboratoire d'analyses médicales")


class Professional(models.Model):
    """A health professional (or practice) members can find, loaded from the insurer's CSV
    (`manage.py import_professionals`) or entered in the admin.

    `insee_code` is the commune found for the postcode and city (directory/communes.py), and
    the coordinates default to that commune's centre when the file gives none."""

    name = models.CharField(_("nom"), max_length=120)
    specialty = models.CharField(_("spécialité"), max_length=32, choices=Specialty.choices)
    address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("ville"), max_length=80)
    insee_code = models.CharField(_("code INSEE de la commune"), max_length=5)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    phone = models.CharField(
        _("téléphone"), max_length=20, blank=True, help_text=_("Au format international.")
    )
    tiers_payant = models.BooleanField(_("pratique le tiers payant"), default=False)
    identifier = models.CharField(
        _("identifiant RPPS ou FINESS"),
        max_length=11,
        blank=True,
        help_text=_(
            "Clé des imports : la ligne d'un fichier qui porte cet identifiant met à jour ce "
            "professionnel."
        ),
    )
    active = models.BooleanField(
        _("visible des adhérents"), default=True, help_text=_("Décochez pour le masquer.")
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("professionnel de santé")
        verbose_name_plural = _("professionnels de santé")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"],
                condition=~Q(identifier=""),
                name="directory_professional_identifier_unique",
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="directory_professional_coordinates_range",
            ),
        ]
        indexes = [
            # "Autour de moi": one specialty in a latitude band, longitude checked in the index.
            models.Index(
                fields=["specialty", "latitude", "longitude"], name="directory_pro_spec_geo_idx"
            ),
            models.Index(fields=["specialty", "postcode"], name="directory_pro_spec_pc_idx"),
            models.Index(fields=["specialty", "insee_code"], name="directory_pro_spec_insee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_specialty_display()}, {self.postcode} {self.city})"
