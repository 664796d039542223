"""`manage.py import_professionals FILE [--strict]`: the format is in directory/imports.py."""

from django.utils.translation import gettext_lazy

from cover.imports.command import ImportCommand
from directory.imports import ProfessionalImporter


class Command(ImportCommand):
    help = gettext_lazy(
        "Charge l'annuaire des professionnels de santé d'un fichier CSV (clé : identifiant "
        "RPPS ou FINESS), en les créant ou en les mettant à jour."
    )
    importer_class = ProfessionalImporter
