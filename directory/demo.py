"""Demo directory for `make run`: about 100 health professionals around Bordeaux, Paris, Lyon and
Marseille, of every specialty, some practising tiers payant and some not.

Running it again changes nothing: each professional has a fixed identifier (11 digits starting
with 99, never a real RPPS number) and is created or updated by it. Everything is drawn from a
seeded generator; each is placed in its commune (offline lookup, directory/communes.py), within
about 1.5 km of the commune's centre.
"""

import random

from django.db import transaction

from directory import communes
from directory.models import Professional, Specialty

SEED = 2026
# (postcodes around the city, phone prefix)
CITIES = [
    (["33000", "33000", "33000", "33800", "33100", "33200", "33300", "33400", "33600"], "0556"),
    (["75011", "75011", "75015", "75001", "75005", "75012", "75018", "75020"], "0143"),
    (["69003", "69003", "69001", "69002", "69006", "69007", "69100"], "0478"),
    (["13005", "13005", "13001", "13006", "13008", "13010", "13013"], "0491"),
]
PER_CITY = 26
# Specialties, more of those members look for most.
SPECIALTIES = [
    Specialty.GENERAL_PRACTITIONER,
    Specialty.GENERAL_PRACTITIONER,
    Specialty.DENTIST,
    Specialty.DENTIST,
    Specialty.DENTIST,
    Specialty.PHARMACIST,
    Specialty.PHARMACIST,
    Specialty.OPTICIAN,
    Specialty.OPTICIAN,
    Specialty.PHYSIOTHERAPIST,
    Specialty.RADIOLOGIST,
    Specialty.OPHTHALMOLOGIST,
    Specialty.HEARING_AID,
    Specialty.GYNECOLOGIST,
    Specialty.PEDIATRICIAN,
    Specialty.DERMATOLOGIST,
    Specialty.ORTHODONTIST,
    Specialty.CARDIOLOGIST,
    Specialty.ENT,
    Specialty.NURSE,
    Specialty.MIDWIFE,
    Specialty.SPEECH_THERAPIST,
    Specialty.PODIATRIST,
    Specialty.LABORATORY,
    Specialty.PSYCHIATRIST,
    Specialty.DENTIST,
]
FIRST_NAMES = [
    "Jeanne", "Paul", "Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Gabriel",
    "Inès", "Arthur", "Sarah", "Jules", "Emma", "Nathan", "Zoé", "Élise", "Alice", "Tom",
]  # fmt: skip
LAST_NAMES = [
    "LEROY", "MARTIN", "BERNARD", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "ROUX", "DAVID", "BERTRAND", "MOREL", "GIRARD",
    "BONNET", "FONTAINE", "ROUSSEAU", "VINCENT", "CHEVALIER", "GARNIER", "FAURE", "MERCIER",
]  # fmt: skip
STREETS = [
    "rue Sainte-Catherine", "cours Victor-Hugo", "avenue Jean-Jaurès", "rue de la République",
    "boulevard Pasteur", "place de la Mairie", "rue du Général-de-Gaulle", "rue des Écoles",
    "avenue de la Libération", "rue Gambetta", "cours de la Marne", "rue Nationale",
]  # fmt: skip
PRACTICES = {
    Specialty.PHARMACIST: "Pharmacie {street}",
    Specialty.OPTICIAN: "Optique {last}",
    Specialty.HEARING_AID: "Audition {last}",
    Specialty.LABORATORY: "Laboratoire d'analyses {last}",
    Specialty.RADIOLOGIST: "Cabinet de radiologie {last}",
}
TITLED = {
    Specialty.GENERAL_PRACTITIONER,
    Specialty.DENTIST,
    Specialty.ORTHODONTIST,
    Specialty.OPHTHALMOLOGIST,
    Specialty.GYNECOLOGIST,
    Specialty.PEDIATRICIAN,
    Specialty.DERMATOLOGIST,
    Specialty.CARDIOLOGIST,
    Specialty.ENT,
    Specialty.PSYCHIATRIST,
}


def _name(specialty: str, first: str, last: str, street: str) -> str:
    practice = PRACTICES.get(specialty)
    if practice:
        return practice.format(last=last.title(), street=street.split(" ", 1)[1].title())
    if specialty in TITLED:
        return f"Dr {first} {last}"
    return f"{first} {last}"


def _city_name(commune: communes.Commune) -> str:
    """What addresses say: "Paris" rather than "Paris 11e Arrondissement"."""
    city = communes.by_insee(commune.parent) if commune.parent else None
    return city.name if city else commune.name


@transaction.atomic
def demo_professionals_load() -> int:
    """Create or update the demo professionals; returns how many there are."""
    rng = random.Random(SEED)
    count = 0
    for city_index, (postcodes, phone_prefix) in enumerate(CITIES):
        for index in range(PER_CITY):
            specialty = SPECIALTIES[(index + city_index * 3) % len(SPECIALTIES)]
            # Dentists in the city's main postcode: the demo journey looks for one there.
            main = specialty == Specialty.DENTIST
            postcode = postcodes[0] if main else postcodes[index % len(postcodes)]
            commune = communes.by_postcode(postcode)[0]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            street = rng.choice(STREETS)
            number = len(CITIES) * index + city_index + 1
            Professional.objects.update_or_create(
                identifier=f"99{number:09d}",
                defaults={
                    "name": _name(specialty, first, last, street),
                    "specialty": specialty,
                    "address": f"{rng.randint(1, 120)} {street}",
                    "postcode": postcode,
                    "city": _city_name(commune),
                    "insee_code": commune.insee,
                    "latitude": round(commune.latitude + rng.uniform(-0.012, 0.012), 5),
                    "longitude": round(commune.longitude + rng.uniform(-0.016, 0.016), 5),
                    "phone": f"+33{phone_prefix[1:]}{rng.randint(0, 999999):06d}",
                    # Two in three practise tiers payant; every specialty has both kinds.
                    "tiers_payant": index % 3 != 2,
                    "active": True,
                },
            )
            count += 1
    return count
