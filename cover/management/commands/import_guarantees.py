"""`manage.py import_guarantees FILE [--strict]`: the format is in cover/imports/guarantees.py."""

from cover.imports.command import ImportCommand
from cover.imports.guarantees import GuaranteeImporter


class Command(ImportCommand):
    help = "Charge les formules et leurs garanties d'un fichier CSV (clé : product_code + label)."
    importer_class = GuaranteeImporter
