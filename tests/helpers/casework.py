"""Helpers for the tests of the casework core's emails."""

from django.utils import timezone

from casework.models import CaseEvent


def emails_so_far_sent(case) -> None:
    """The case's emails so far went, outside the test: a later email would otherwise send them
    first, as a case's emails keep the order of its events."""
    CaseEvent.objects.filter(case_id=case.pk, notification__gt="").update(
        notified_at=timezone.now()
    )
