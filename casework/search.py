"""The queues' searches: a reference or number by its beginning, a person by the beginnings of
the words of their name, without case or accents.

Member names are compared through `guichet_member_name(last_name, first_name)`: on PostgreSQL
an immutable SQL function read from a trigram index (requests_app migration 0007), on SQLite
the same folding in Python (`portal.text.folded`), registered on each connection.
"""

import re

from django.db.backends.signals import connection_created
from django.db.models import F, Func, Q, TextField

from portal.text import folded


def words_of(term: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", folded(term)) if word]


def member_name():
    return Func(
        F("last_name"), F("first_name"), function="guichet_member_name", output_field=TextField()
    )


def words_match(field: str, words: list[str]) -> Q:
    """Each word begins a word of the folded text in `field`."""
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
    return condition


def _sqlite_member_name(last, first):
    # As the PostgreSQL function: folded, every run of other characters one space.
    return " ".join(words_of(f"{last or ''} {first or ''}"))


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "guichet_member_name", 2, _sqlite_member_name, deterministic=True
        )


connection_created.connect(register_sqlite_functions)
