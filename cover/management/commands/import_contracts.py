"""`manage.py import_contracts FILE [--strict]`: the format is in cover/imports/contracts.py."""

from django.utils.translation import gettext_lazy

from cover.imports.command import ImportCommand
from cover.imports.contracts import ContractImporter


class Command(ImportCommand):
    help = gettext_lazy("Charge les contrats d'un fichier CSV (clé : number), avec leurs options.")
    importer_class = ContractImporter
