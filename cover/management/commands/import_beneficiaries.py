"""`manage.py import_beneficiaries FILE [--strict]`: the format is in
cover/imports/beneficiaries.py."""

from django.utils.translation import gettext_lazy

from cover.imports.beneficiaries import BeneficiaryImporter
from cover.imports.command import ImportCommand


class Command(ImportCommand):
    help = gettext_lazy(
        "Charge les ayants droit d'un fichier CSV (clé : member_number + external_ref), "
        "en les créant ou en les mettant à jour."
    )
    importer_class = BeneficiaryImporter
