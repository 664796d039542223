"""The offline postcode and commune lookup: French communes, their postcodes and centres.

The data is `directory/data/communes.csv`, built by `manage.py build_communes` from two
packages (sources and licences in directory/data/SOURCES.md): the INSEE communes and their
postcodes of `@etalab/decoupage-administratif` (Licence Ouverte 2.0), and the GeoNames
postcode places (CC BY 4.0) for the coordinates of each commune's centre. It is read once per
process (about 35,000 communes, a few megabytes of memory) and never touches the network.

Names are compared normalised (`normalise`): case, accents, hyphens and apostrophes ignored,
"St"/"Ste" read "Saint"/"Sainte", "Paris 1er Arrondissement", "Paris 1er" and "Paris 01" read
alike. The communes of Paris, Lyon and Marseille answer for their municipal arrondissements:
a postcode gives the arrondissement ("75001": Paris 1er Arrondissement), the city "Paris"
gives the commune, whose arrondissements are its `children`.
"""

import csv
import dataclasses
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "communes.csv"
POSTCODE = re.compile(r"\d{5}")
EARTH_RADIUS_KM = 6371.0088

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SAINT = re.compile(r"\b(st|ste)\b")
_ARRONDISSEMENT = re.compile(
    r"^(paris|lyon|marseille) 0?(\d{1,2}) ?(?:er|e|eme|ieme)?(?: arrondissement)?$"
)
_CEDEX = re.compile(r" cedex(?: \d+)?$")


def normalise(name: str) -> str:
    """A place name as compared: lower case, no accents, words separated by one space."""
    text = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = _NOT_ALNUM.sub(" ", text).strip()
    text = _SAINT.sub(lambda match: "saint" if match.group(1) == "st" else "sainte", text)
    text = _CEDEX.sub("", text)
    arrondissement = _ARRONDISSEMENT.match(text)
    if arrondissement:
        return f"{arrondissement.group(1)} {int(arrondissement.group(2))}"
    return text


@dataclass(frozen=True)
class Commune:
    """A commune (or a municipal arrondissement of Paris, Lyon, Marseille) and its centre."""

    insee: str
    name: str
    postcodes: tuple[str, ...]
    latitude: float | None
    longitude: float | None
    population: int = 0
    parent: str = ""  # the commune of an arrondissement
    children: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_centre(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def codes(self) -> tuple[str, ...]:
        """Its INSEE code and those of its arrondissements: where its professionals are."""
        return (self.insee, *self.children)

    def named(self, name: str) -> bool:
        """Whether `name` (as typed) names this commune or, for an arrondissement, its city."""
        wanted = normalise(name)
        if not wanted:
            return False
        index = _index()
        if wanted in index.names_of.get(self.insee, ()):
            return True
        return bool(self.parent) and wanted in index.names_of.get(self.parent, ())


class _Index:
    def __init__(self, communes: Iterable[Commune], aliases: dict[str, list[str]]):
        self.by_insee: dict[str, Commune] = {}
        self.by_postcode: dict[str, list[Commune]] = {}
        self.by_name: dict[str, list[Commune]] = {}
        self.names_of: dict[str, set[str]] = {}
        children: dict[str, list[str]] = {}
        communes = list(communes)
        for commune in communes:
            if commune.parent:
                children.setdefault(commune.parent, []).append(commune.insee)
        for commune in communes:
            if commune.insee in children:
                commune = dataclasses.replace(commune, children=tuple(children[commune.insee]))
            self.by_insee[commune.insee] = commune
            names = {normalise(commune.name), *(normalise(a) for a in aliases[commune.insee])}
            self.names_of[commune.insee] = names
            for name in names:
                self.by_name.setdefault(name, []).append(commune)
            # A city with arrondissements answers its postcodes through them.
            if not commune.children:
                for postcode in commune.postcodes:
                    self.by_postcode.setdefault(postcode, []).append(commune)
        for found in self.by_name.values():
            found.sort(key=lambda commune: (-commune.population, commune.insee))
        for found in self.by_postcode.values():
            found.sort(key=lambda commune: (-commune.population, commune.insee))


@functools.cache
def _index() -> _Index:
    communes, aliases = [], {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            latitude = float(row["latitude"]) if row["latitude"] else None
            longitude = float(row["longitude"]) if row["longitude"] else None
            communes.append(
                Commune(
                    insee=row["insee"],
                    name=row["name"],
                    postcodes=tuple(row["postcodes"].split()),
                    latitude=latitude,
                    longitude=longitude,
                    population=int(row["population"] or 0),
                    parent=row["parent"],
                )
            )
            aliases[row["insee"]] = [alias for alias in row["aliases"].split("|") if alias]
    return _Index(communes, aliases)


def load() -> None:
    """Read the data file now (the first lookup would otherwise): for a server's warm-up."""
    _index()


def by_insee(insee: str) -> Commune | None:
    return _index().by_insee.get(insee)


def by_postcode(postcode: str) -> list[Commune]:
    """The communes a postcode serves, most populous first; [] for an unknown postcode."""
    return list(_index().by_postcode.get(postcode.strip(), ()))


def by_name(name: str) -> list[Commune]:
    """The communes with this name (or a former one: communes déléguées), most populous
    first; [] when none."""
    return list(_index().by_name.get(normalise(name), ()))


def postcode_exists(postcode: str) -> bool:
    return postcode.strip() in _index().by_postcode


def centre(communes: Iterable[Commune]) -> tuple[float, float] | None:
    """The mean centre of some communes (those with a known centre), or None."""
    points = [(c.latitude, c.longitude) for c in communes if c.has_centre]
    if not points:
        return None
    return (
        sum(latitude for latitude, _ in points) / len(points),
        sum(longitude for _, longitude in points) / len(points),
    )


def distance_km(latitude1: float, longitude1: float, latitude2: float, longitude2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    phi1, phi2 = math.radians(latitude1), math.radians(latitude2)
    half_dphi = math.radians(latitude2 - latitude1) / 2
    half_dlambda = math.radians(longitude2 - longitude1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))
