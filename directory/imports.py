"""The insurer's directory file: `manage.py import_professionals FILE [--strict]`.

UTF-8 (with or without a BOM), `;`-separated, a header naming the columns in any order (the
shape every Guichet import shares: cover/imports/base.py). One line per professional:

    identifier;name;specialty;address;postcode;city;phone;tiers_payant;latitude;longitude;active
    10003456789;Dr Jeanne LEROY;chirurgien-dentiste;12 cours de l'Intendance;33000;Bordeaux;
    05 56 12 34 56;oui;;;oui

- `identifier` (optional column): RPPS (11 digits) or FINESS (9 characters) number, the key:
  a line whose identifier is already loaded updates that professional. Without one, the key is
  the name, specialty, address and postcode together. Re-running a file changes nothing.
- `specialty`: the code or the French name, case and accents ignored ("chirurgien-dentiste",
  "Chirurgien dentiste", "dentist"), a few usual short names too ("dentiste", "kiné").
- `postcode` and `city` must name one commune (directory/communes.py, offline): an unknown
  postcode or a city the postcode does not serve rejects the line. Former commune names and
  "CEDEX" are accepted.
- `phone` (optional): a French number, or an international one with its +code.
- `tiers_payant`, `active` (optional): oui/non (empty: non for tiers_payant; active defaults to
  oui). `latitude`, `longitude` (optional, decimal point or comma): both or neither; absent,
  the commune's centre is used; more than MAX_OFFSET_KM from it, the line is rejected (the two
  swapped, or the wrong commune).

A rejected line is reported with its line number and every reason; the others are loaded.
"""

import functools
import re
from functools import partial

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cover.imports.base import (
    Column,
    Importer,
    Report,
    Row,
    chunks,
    create_or_update,
    first_seen,
)
from directory import communes
from directory.models import Professional, Specialty

BATCH = 2000
MAX_OFFSET_KM = 30
IDENTIFIER = re.compile(r"\d{11}|(?:\d{2}|2[AB])\d{7}")

COLUMNS = [
    Column("identifier", gettext_lazy("identifiant RPPS ou FINESS"), required=False),
    Column("name", gettext_lazy("nom")),
    Column("specialty", gettext_lazy("spécialité")),
    Column("address", gettext_lazy("adresse")),
    Column("postcode", gettext_lazy("code postal")),
    Column("city", gettext_lazy("ville")),
    Column("phone", gettext_lazy("téléphone"), required=False),
    Column("tiers_payant", gettext_lazy("tiers payant"), required=False),
    Column("latitude", gettext_lazy("latitude"), required=False),
    Column("longitude", gettext_lazy("longitude"), required=False),
    Column("active", gettext_lazy("actif"), required=False),
]

# Short names files use, normalised (directory.communes.normalise).
SPECIALTY_SYNONYMS = {
    "dentiste": Specialty.DENTIST,
    "chirurgien dentiste": Specialty.DENTIST,
    "medecin": Specialty.GENERAL_PRACTITIONER,
    "generaliste": Specialty.GENERAL_PRACTITIONER,
    "medecin traitant": Specialty.GENERAL_PRACTITIONER,
    "kine": Specialty.PHYSIOTHERAPIST,
    "kinesitherapeute": Specialty.PHYSIOTHERAPIST,
    "ophtalmologue": Specialty.OPHTHALMOLOGIST,
    "ophtalmo": Specialty.OPHTHALMOLOGIST,
    "orl": Specialty.ENT,
    "gynecologue obstetricien": Specialty.GYNECOLOGIST,
    "pharmacie": Specialty.PHARMACIST,
    "infirmiere": Specialty.NURSE,
    "laboratoire": Specialty.LABORATORY,
    "podologue": Specialty.PODIATRIST,
    "radiologie": Specialty.RADIOLOGIST,
}


@functools.cache
def _specialties() -> dict[str, str]:
    """Normalised code, French name or synonym -> Specialty code."""
    found = dict(SPECIALTY_SYNONYMS)
    with translation.override("fr"):
        for value, label in Specialty.choices:
            found[communes.normalise(value)] = value
            found[communes.normalise(str(label))] = value
    return found


def specialty_of(text: str) -> str | None:
    """The Specialty code a file's text names, or None."""
    known = _specialties()
    wanted = communes.normalise(text)
    if wanted in known:
        return known[wanted]
    singular = " ".join(word[:-1] if word.endswith("s") else word for word in wanted.split())
    return known.get(singular)


def _coordinate(row: Row, name: str, limit: float) -> float | None:
    value = row.raw(name).replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        row.error(
            _("%(label)s illisible (« %(value)s »)")
            % {"label": row.labels[name], "value": row.raw(name)}
        )
        return None
    if not -limit <= number <= limit:
        row.error(
            _("%(label)s hors limites (« %(value)s » : entre -%(limit)s et %(limit)s)")
            % {"label": row.labels[name], "value": row.raw(name), "limit": limit}
        )
        return None
    return number


def place_of(row: Row) -> tuple[str, str, communes.Commune | None]:
    """The postcode, the city as written and the commune they name (None after an error)."""
    postcode = row.raw("postcode").replace(" ", "")
    city = row.text("city", required=True, max_length=80)
    if not postcode:
        row.missing("postcode")
        return "", city, None
    if not communes.POSTCODE.fullmatch(postcode):
        row.error(
            _("code postal invalide : 5 chiffres attendus (« %(value)s »)")
            % {"value": row.raw("postcode")}
        )
        return postcode, city, None
    served = communes.by_postcode(postcode)
    if not served:
        row.error(_("code postal %(postcode)s inconnu") % {"postcode": postcode})
        return postcode, city, None
    if not city:
        return postcode, city, None
    for commune in served:
        if commune.named(city):
            return postcode, city, commune
    row.error(
        _("la ville « %(city)s » ne correspond pas au code postal %(postcode)s (%(names)s)")
        % {
            "city": city,
            "postcode": postcode,
            "names": ", ".join(commune.name for commune in served[:5]),
        }
    )
    return postcode, city, None


def coordinates_of(row: Row, commune: communes.Commune | None) -> tuple[float, float] | None:
    """The line's coordinates, or its commune's centre when it gives none."""
    has_latitude, has_longitude = bool(row.raw("latitude")), bool(row.raw("longitude"))
    if has_latitude != has_longitude:
        row.error(_("coordonnées incomplètes : latitude et longitude vont ensemble"))
        return None
    if has_latitude:
        latitude = _coordinate(row, "latitude", 90)
        longitude = _coordinate(row, "longitude", 180)
        if latitude is None or longitude is None:
            return None
        if commune is not None and commune.has_centre:
            offset = communes.distance_km(latitude, longitude, commune.latitude, commune.longitude)
            if offset > MAX_OFFSET_KM:
                row.error(
                    _(
                        "coordonnées à %(km)s km de %(commune)s : latitude et longitude "
                        "inversées, ou mauvaise commune ?"
                    )
                    % {"km": round(offset), "commune": commune.name}
                )
                return None
        return latitude, longitude
    if commune is None:
        return None
    if not commune.has_centre:
        row.error(
            _("coordonnées manquantes : le centre de %(commune)s n'est pas connu")
            % {"commune": commune.name}
        )
        return None
    return commune.latitude, commune.longitude


class ProfessionalImporter(Importer):
    columns = COLUMNS

    def check(self, rows: list[Row], report: Report) -> list[tuple[tuple, dict]]:
        items = []
        seen: dict[tuple, int] = {}
        for row in rows:
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            identifier = row.raw("identifier").replace(" ", "").upper()
            if identifier and not IDENTIFIER.fullmatch(identifier):
                row.error(
                    _(
                        "identifiant invalide : 11 chiffres (RPPS) ou 9 caractères (FINESS) "
                        "attendus (« %(value)s »)"
                    )
                    % {"value": row.raw("identifier")}
                )
            name = row.text("name", required=True, max_length=120)
            specialty = ""
            if not row.raw("specialty"):
                row.missing("specialty")
            else:
                specialty = specialty_of(row.raw("specialty")) or ""
                if not specialty:
                    row.error(
                        _("spécialité « %(value)s » inconnue") % {"value": row.raw("specialty")}
                    )
            address = row.text("address", required=True, max_length=200)
            postcode, city, commune = place_of(row)
            point = coordinates_of(row, commune)
            fields = {
                "name": name,
                "specialty": specialty,
                "address": address,
                "postcode": postcode,
                "city": city,
                "insee_code": commune.insee if commune else "",
                "latitude": point[0] if point else None,
                "longitude": point[1] if point else None,
                "identifier": identifier,
            }
            if row.has("phone"):
                fields["phone"] = row.phone()
            if row.has("tiers_payant"):
                fields["tiers_payant"] = row.boolean("tiers_payant")
            if row.has("active"):
                fields["active"] = row.boolean("active") if row.raw("active") else True
            key = (identifier,) if identifier else ("", name, specialty, address, postcode)
            if not row.errors and (earlier := first_seen(seen, key, row.line)):
                row.error(_("professionnel déjà présent ligne %(line)s") % {"line": earlier})
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            items.append((key, fields))
        return items

    @transaction.atomic
    def load(self, items: list[tuple[tuple, dict]], report: Report) -> None:
        existing: dict[tuple, Professional] = {}
        identifiers = [key[0] for key, _fields in items if key[0]]
        for batch in chunks(identifiers, BATCH):
            for professional in Professional.objects.filter(identifier__in=batch):
                existing[(professional.identifier,)] = professional
        unnamed = [key for key, _fields in items if not key[0]]
        for batch in chunks(unnamed, BATCH):
            for professional in Professional.objects.filter(
                identifier="", postcode__in={key[4] for key in batch}
            ):
                existing[
                    (
                        "",
                        professional.name,
                        professional.specialty,
                        professional.address,
                        professional.postcode,
                    )
                ] = professional
        create_or_update(
            Professional,
            [(key, fields, partial(Professional, **fields)) for key, fields in items],
            existing,
            report,
            batch=BATCH,
        )
