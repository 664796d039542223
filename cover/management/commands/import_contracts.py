"""`manage.py import_contracts FILE [--strict]`: the format is in cover/imports/contracts.py."""

from cover.imports.command import ImportCommand
from cover.imports.contracts import ContractImporter


class Command(ImportCommand):
    help = "Charge les contrats d'un fichier CSV (clé : number), avec leurs options."
    importer_class = ContractImporter
