"""`manage.py retention_report`: what each rule of the retention policy would touch today
(a dry run: nothing is changed)."""

from django.core.management.base import BaseCommand

from privacy.retention import retention_report


class Command(BaseCommand):
    help = "Dry run of the retention policy: what each rule would touch today."

    def handle(self, *args, **options):
        for key, due in retention_report():
            total = sum(len(items) for items in due.values())
            self.stdout.write(f"{key}: {total}")
            for what, items in due.items():
                if items:
                    self.stdout.write(f"  {what} ({len(items)}): {', '.join(items)}")
        self.stdout.write("Dry run: nothing was changed.")
