"""Writes on the cover data that more than one place makes (imports and the admin), and the
member's request of a long period's statements."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import Member
from cover import tasks
from cover.models import Contract, ContractKind, StatementExport
from portal.queueing import enqueue_on_commit


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


def statement_export_request(
    *, member: Member, start, end, third_party: bool, person_key: str = "", care_type: str = ""
) -> StatementExport:
    """The statements of a long period, to be built in the background: the row the member's
    page follows, the job queued once it is committed (or by the catch-up if the broker was
    down, `queued_exports_requeue`). The file is kept
    STATEMENT_EXPORT_HOURS, then deleted; it is never emailed."""
    now = timezone.now()
    export = StatementExport.objects.create(
        member=member,
        start=start,
        end=end,
        third_party=third_party,
        person_key=person_key,
        care_type=care_type,
        created_at=now,
        expires_at=now + timedelta(hours=settings.STATEMENT_EXPORT_HOURS),
    )
    enqueue_on_commit(tasks.build_statement_export, str(export.pk))
    return export
