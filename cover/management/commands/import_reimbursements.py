"""`manage.py import_reimbursements FILE [--strict]`: the format is in
cover/imports/reimbursements.py."""

from django.utils.translation import gettext_lazy

from cover.imports.command import ImportCommand
from cover.imports.reimbursements import ReimbursementImporter


class Command(ImportCommand):
    help = gettext_lazy(
        "Charge les remboursements d'un fichier CSV, une ligne par acte (clé : external_id), "
        "et les paiements qui les regroupent."
    )
    importer_class = ReimbursementImporter
