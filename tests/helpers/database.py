"""The portal's database refusing connections, for the outage tests."""

import contextlib

from django.db import connection

from tests.helpers.smtp import closed_port


@contextlib.contextmanager
def refusing_connections():
    """PostgreSQL moved to a closed port, or SQLite to a file in a folder that does not exist;
    the real settings come back on exit. Use with a transactional test (no open transaction)."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/folder/guichet.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def committed():
    """Run what the enclosed requests queue `on_commit` (their jobs), as their commit does in
    production; a test's own transaction never commits."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
