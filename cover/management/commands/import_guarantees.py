"""`manage.py import_guarantees FILE [--strict]`: the format is in cover/imports/guarantees.py."""

from django.utils.translation import gettext_lazy

from cover.imports.command import ImportCommand
from cover.imports.guarantees import GuaranteeImporter


class Command(ImportCommand):
    help = gettext_lazy(
        "Charge les formules et leurs garanties d'un fichier CSV (clé : product_code + label)."
    )
    importer_class = GuaranteeImporter
