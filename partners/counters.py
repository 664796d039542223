"""The stored counts of a structure's history at an organism (`ConventionCounter`), changed only
by `F()` updates inside the transactions that file and cancel, so that a stale save of a
convention can never undo them."""

from django.db.models import F

from partners.models import ConventionCounter


def _counter(convention_id: int):
    ConventionCounter.objects.bulk_create(
        [ConventionCounter(convention_id=convention_id)], ignore_conflicts=True
    )
    return ConventionCounter.objects.filter(convention_id=convention_id)


def history_request_filed(convention_id: int) -> int:
    """One more request filed and listed; returns its position (1, 2, 3... in filing order).
    The counter's row stays locked until the transaction ends: positions never repeat."""
    counter = _counter(convention_id)
    counter.update(listed_requests=F("listed_requests") + 1, filed_requests=F("filed_requests") + 1)
    return counter.values_list("filed_requests", flat=True).get()


def history_request_unlisted(convention_id: int) -> None:
    """A request left the history (cancelled)."""
    _counter(convention_id).update(listed_requests=F("listed_requests") - 1)
