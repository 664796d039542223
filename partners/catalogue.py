"""What guide 001 lists: the five Offres De Services (ODS), their motifs and options.

Codes are stable identifiers stored in the database; labels are the guide's French wording
(through gettext). An organism may offer fewer services, and fewer motifs or documents of each
("Les motifs peuvent être réduits en fonction des organismes") — see `OrganismService`.
"""

import functools
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from portal.text import folded


class Service(models.IntegerChoices):
    """Offre De Services (ODS), numbered 1 to 5 as in the guide."""

    CONTACT = 1, _("Contacter votre organisme d'assurance Maladie")
    DIFFICULTY = 2, _("Signaler une situation de difficulté d'accès aux droits et aux soins")
    APPOINTMENT = 3, _("Demander un rendez-vous pour un assuré")
    CASE_STUDY = 4, _("Soumettre une demande d'étude de dossier")
    DOCUMENT = 5, _("Demander un document")


@dataclass(frozen=True)
class ServiceInfo:
    service: Service
    slug: str
    # The home page card's title (the guide words some cards differently from their form).
    card_title: str
    description: str
    # Motif codes -> labels, in the guide's order ("Documents" for ODS 5).
    motifs: dict
    has_person: bool
    has_files: bool
    # Appointment modes (ODS 1) and the Saisine blocks (ODS 2) are service-specific fields.
    warning: str = ""


SAISINE = "saisine"

SERVICES = {
    Service.CONTACT: ServiceInfo(
        service=Service.CONTACT,
        slug="contacter-votre-organisme",
        card_title=_("Contactez votre organisme d'assurance Maladie"),
        description=_(
            "Vous souhaitez prendre un rendez-vous téléphonique / visio ou physique pour une "
            "question générale (réglementaire, offres de services de votre organisme "
            "d'assurance Maladie, technique...)"
        ),
        # The guide shows one motif ("Gérer la convention de partenariat") and the kinds of
        # general question in the card's text; these are those.
        motifs={
            "convention": _("Gérer la convention de partenariat"),
            "reglementaire": _("Question réglementaire"),
            "offres": _("Offres de services de votre organisme d'assurance Maladie"),
            "technique": _("Question technique"),
            "autre": _("Autre motif"),
        },
        has_person=False,
        has_files=True,
    ),
    Service.DIFFICULTY: ServiceInfo(
        service=Service.DIFFICULTY,
        slug="signaler-une-difficulte",
        card_title=_("Signaler une situation de difficulté d'accès aux droits et aux soins"),
        description=_(
            "Vous souhaitez faire un signalement de difficulté d'accès aux droits et aux soins "
            "pour un assuré : Dossiers complexes (rétroactivité, rupture de droits, IJ "
            "complexes...), Droits, Situation d'urgence, Saisine mission accompagnement santé, "
            "Suivi traitement d'une demande faite par l'assuré."
        ),
        motifs={
            "dossiers_complexes": _(
                "Dossiers complexes (rétroactivité, rupture de droits, IJ complexes...)"
            ),
            "droits": _("Droits"),
            "urgence": _("Situation d'urgence"),
            SAISINE: _("Saisine mission accompagnement santé"),
            "suivi": _("Suivi traitement d'une demande faite par l'assuré"),
        },
        has_person=True,
        has_files=True,
    ),
    Service.APPOINTMENT: ServiceInfo(
        service=Service.APPOINTMENT,
        slug="demander-un-rendez-vous",
        card_title=_("Demandez un rendez-vous pour un assuré"),
        description=_(
            "Vous souhaitez demander un rendez-vous pour un assuré (AME, arrêt de travail, C2S...)."
        ),
        motifs={
            "ame": _("AME"),
            "arrets_travail": _("Arrêts de travail, Indemnités journalières"),
            "autre_rdv": _("Autre motif de RDV"),
            "c2s": _("C2S"),
            "capital_deces": _("Capital décès"),
            "examen_prevention": _("Examen de Prévention santé"),
            "invalidite": _("Pension d'invalidité"),
            "rente_atmp": _("Rente AT/MP"),
            "service_social": _("Service Social"),
        },
        has_person=True,
        has_files=False,
        warning=_(
            "Attention : Cette offre s'adresse uniquement aux personnes non autonomes et qui ne "
            "bénéficient pas de compte ameli."
        ),
    ),
    Service.CASE_STUDY: ServiceInfo(
        service=Service.CASE_STUDY,
        slug="etude-de-dossier",
        card_title=_("Soumettre une demande d'étude de dossier"),
        description=_(
            "Vous souhaitez nous soumettre une demande d'étude de dossier pour un assuré "
            "(demande d'aide financière, étude C2S...)."
        ),
        motifs={
            "ame": _("AME"),
            "autre_etude": _("Autre motif d'étude de dossier"),
            "aide_financiere": _("Demande d'aide financière"),
            "etude_c2s": _("Etude de C2S"),
            "ouverture_droits": _("Ouverture de droits"),
        },
        has_person=True,
        has_files=True,
    ),
    Service.DOCUMENT: ServiceInfo(
        service=Service.DOCUMENT,
        slug="demander-un-document",
        card_title=_("Demandez un document"),
        description=_(
            "Vous souhaitez demander un document concernant un assuré (attestation de droits, "
            "CEAM...) ou un document relatif à une offre de prévention (Vaccination, MT'Dents, "
            "Dépistage, Examen de prévention en santé...)."
        ),
        # For this service the "motifs" are the documents asked for (one or several).
        motifs={
            "attestation_droits": _("Attestation de droits"),
            "autre_document": _("Autre type de document"),
            "ceam": _("Certificat provisoire CEAM"),
            "carte_vitale": _("Formulaire carte vitale"),
            "prevention": _("Offres de prévention"),
        },
        has_person=True,
        has_files=False,
    ),
}

SERVICES_BY_SLUG = {info.slug: info for info in SERVICES.values()}


def motif_label(service: int, code: str) -> str:
    """The label of a motif (or document) code, or the code itself if the catalogue lost it."""
    return str(SERVICES[Service(service)].motifs.get(code, code))


# ODS 1: "Modalités de rendez-vous" (one or both).
APPOINTMENT_MODES = {
    "distance": _("Téléphonique / Visio"),
    "physique": _("Physique"),
}

# ODS 2, motif "Saisine mission accompagnement santé".
CONSENT_TEXT = _(
    "L'assuré accepte que ses coordonnées soient transmises à la Mission accompagnement santé "
    "de sa Caisse d'assurance maladie afin que celle-ci puisse le contacter pour bénéficier "
    "d'un accompagnement santé personnalisé et d'un suivi adapté"
)
SUPPORT_REASONS = {
    "droits": _("Difficultés d'accès aux droits"),
    "renoncement": _("Renoncement ou difficultés d'accès à des soins"),
    "renoncement_handicap": _(
        "Renoncement ou des difficultés d'accès à des soins liés à un handicap"
    ),
    "numerique": _("Fragilité face au numérique"),
    "situation_sociale": _("Situation sociale complexe"),
}
# Choosing either of these opens the three renunciation blocks.
RENUNCIATION_REASONS = ("renoncement", "renoncement_handicap")
UNPERFORMED_CARE = {
    "consultation": _("Consultation de médecine générale ou spécialisée"),
    "actes": _(
        "Acte chez un spécialiste, analyses ou examens médicaux (soins dentaires, infirmiers, "
        "de kinésithérapie, radiologie, biologie...)"
    ),
    "dispositifs": _("Dispositifs médicaux (optique, auditif, petit et grand appareillage...)"),
    "chirurgie": _("Chirurgie"),
    "pharmacie": _("Pharmacie"),
    "autre": _("Autre"),
}
RENUNCIATION_DURATIONS = {
    "moins_3_mois": _("Moins de 3 mois"),
    "3_mois_1_an": _("De 3 mois à 1 an"),
    "plus_1_an": _("Plus d'1 an"),
    "plus_2_ans": _("Plus de 2 ans"),
}
RENUNCIATION_CAUSES = {
    "droits": _(
        "D'accès aux droits (médecin traitant, couverture assurance maladie et/ou "
        "complémentaire, A.L.D.)"
    ),
    "reste_a_charge": _("De reste à charge"),
    "transport": _("De transport"),
    "avance_frais": _("D'avance des frais"),
    "demarches": _("De démarches trop compliquées"),
    "delai_rdv": _("De délai de RDV trop longs"),
    "refus_professionnel": _("De refus de prise en charge par un professionnel de santé"),
    "autre": _("Autre"),
}

# "Annuler la demande": "Sélectionner le motif de l'annulation".
CANCEL_REASONS = {
    "doublon_structure": _("La demande a déjà été faite par un membre de ma structure"),
    "autre_canal": _("La demande a été résolue via un autre canal"),
    "plus_justifiee": _("La demande n'est plus justifiée"),
    "autre": _("Autre motif"),
}


@functools.cache
def service_ranks() -> dict[int, int]:
    """Each ODS's place in the alphabetical order of the guide's (French) labels, accents and
    case left out: "Trier par ... Offre de service" follows the words the guide shows. Stored on
    each request (`PartnerRequest.service_rank`), so the sort reads an index."""
    with override("fr"):
        ordered = sorted(Service, key=lambda service: folded(str(service.label)))
    return {int(service): rank for rank, service in enumerate(ordered)}


@functools.cache
def motif_ranks() -> dict[tuple[int, str], int]:
    """Each (ODS, motif) pair's place in the alphabetical order of the motifs' French labels
    (`PartnerRequest.motif_rank`)."""
    with override("fr"):
        pairs = [
            ((int(service), code), folded(str(label)))
            for service, info in SERVICES.items()
            for code, label in info.motifs.items()
        ]
    ordered = sorted(pairs, key=lambda pair: (pair[1], pair[0]))
    return {pair: rank for rank, (pair, _label) in enumerate(ordered)}
