#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    if len(sys.argv) > 1 and sys.argv[1] not in {"runserver", "test"}:
        # Imports, migrations, retention reports: a job's statement timeout, not a page's.
        import django

        django.setup()
        from portal.db import use_job_statement_timeout

        use_job_statement_timeout()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
