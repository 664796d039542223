"""Writes on the cover data that more than one place makes (imports and the admin)."""

from django.db.models import Q
from django.utils import timezone

from accounts.models import Member
from cover.models import Contract, ContractKind


def member_collective_flags_sync(*, member_ids) -> None:
    """Keep `Member.collective_contract` (what the member space reads to send collective
    members to their employer, guide 002) in step with the contracts: true when a collective
    contract covers the member today."""
    member_ids = set(member_ids)
    if not member_ids:
        return
    today = timezone.localdate()
    collective = set(
        Contract.objects.filter(
            member_id__in=member_ids, kind=ContractKind.COLLECTIVE, start_date__lte=today
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("member_id", flat=True)
    )
    Member.objects.filter(pk__in=collective).update(collective_contract=True)
    Member.objects.filter(pk__in=member_ids - collective).update(collective_contract=False)
