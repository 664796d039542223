"""Gapless, concurrency-safe counters for the numbers people read (references, request numbers).

A counter row is locked from the increment until the caller's transaction ends: two concurrent
submissions on PostgreSQL wait for each other instead of reading the same value, and a rolled
back submission gives its number back. On SQLite, writes are serialised by the database lock.
"""

from django.db import transaction
from django.db.models import F

from portal.models import Sequence


def sequence_next(name: str, *, maximum: int | None = None) -> int:
    """Increment the counter `name` (created at 0 when new) and return its new value.

    Must run inside `transaction.atomic`. With `maximum`, a value above it raises
    `SequenceExhausted` and the counter is left unchanged (the caller's transaction rolls back).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next() must run inside transaction.atomic")
    Sequence.objects.bulk_create([Sequence(name=name)], ignore_conflicts=True)
    # UPDATE takes the row lock before reading, so the value returned is ours alone.
    Sequence.objects.filter(name=name).update(value=F("value") + 1)
    value = Sequence.objects.values_list("value", flat=True).get(name=name)
    if maximum is not None and value > maximum:
        raise SequenceExhausted(name)
    return value


class SequenceExhausted(Exception):
    """The counter would pass its maximum: the number cannot be formed."""
