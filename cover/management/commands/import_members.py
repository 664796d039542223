"""`manage.py import_members FILE [--strict]`: the format is in cover/imports/members.py."""

from django.utils.translation import gettext_lazy

from cover.imports.command import ImportCommand
from cover.imports.members import MemberImporter


class Command(ImportCommand):
    help = gettext_lazy(
        "Charge les adhérents d'un fichier CSV (clé : member_number), en les créant ou "
        "en les mettant à jour."
    )
    importer_class = MemberImporter
