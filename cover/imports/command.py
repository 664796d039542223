"""The management command every import is run through: `manage.py import_<kind> FILE [--strict]`.

It prints each rejected line with its reasons, then the summary. Rejected lines do not fail the
command (exit 0: the valid lines are loaded, the others listed to be fixed and sent again, which
loads only them since nothing is loaded twice); with `--strict`, one rejected line loads nothing
and the command fails (exit 1), for scripts that must not load half a file. An unreadable file
or a wrong header always fails before anything loads.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cover.imports.base import Importer, ImportFileError


class ImportCommand(BaseCommand):
    importer_class: type[Importer]

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("Le fichier CSV (UTF-8, séparateur « ; »)."))
        parser.add_argument(
            "--strict",
            action="store_true",
            help=_("Ne rien charger et échouer si une ligne est rejetée."),
        )

    def handle(self, *args, path, strict=False, **options):
        try:
            report = self.importer_class().run(path, strict=strict)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for line in report.rejection_lines():
            self.stdout.write(line)
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(report.summary())
        if not report.loaded:
            raise CommandError(
                _("Rien n'a été chargé (--strict) : lignes rejetées : %(count)s.")
                % {"count": report.rejected}
            )
