"""The statements of a long period, built away from the page (a Celery job calls these) and
deleted once their time is up. Called by `cover.tasks`; imports neither services nor tasks."""

import secrets

from django.core.files.base import ContentFile
from django.utils import timezone

from cover.models import StatementExport
from cover.selectors import member_people, payments_searched
from cover.statements import period_statements, statement_filters, with_lines
from portal.exports import expired_exports_purge

# The progress written to the row every this many pages.
PROGRESS_EVERY = 5


def statement_export_build(*, export_id) -> bool:
    """Build the PDF of a queued export, once: True if this call built it. The row says how far
    it got (pages drawn) while it runs, then "ready" with the file, or "failed"."""
    export = StatementExport.objects.select_related("member").filter(pk=export_id).first()
    if export is None or export.state == StatementExport.State.READY:
        return False
    member = export.member
    people = {person.key: person for person in member_people(member)}
    payments = payments_searched(
        member,
        start=export.start,
        end=export.end,
        third_party=export.third_party,
        person=people.get(export.person_key),
        care_type=export.care_type,
    )
    rows = StatementExport.objects.filter(pk=export.pk)
    # Claimed: a job queued again by the catch-up while the first one runs does nothing.
    claimed = rows.filter(state=StatementExport.State.QUEUED).update(
        state=StatementExport.State.RUNNING, payments=payments.count(), pages=0
    )
    if not claimed:
        return False

    def progress(page):
        if page % PROGRESS_EVERY == 0:
            rows.update(pages=page)

    try:
        content = period_statements(
            member,
            with_lines(payments),
            start=export.start,
            end=export.end,
            on_page=progress,
            third_party=export.third_party,
            filters=statement_filters(people.get(export.person_key), export.care_type),
        )
    except Exception:
        rows.update(state=StatementExport.State.FAILED, finished_at=timezone.now())
        raise
    name = f"statements/{export.created_at:%Y/%m}/{secrets.token_hex(16)}.pdf"
    export.file.save(name, ContentFile(content), save=False)
    rows.update(
        file=export.file.name, state=StatementExport.State.READY, finished_at=timezone.now()
    )
    return True


def statement_exports_purge(*, now=None) -> int:
    """Delete the exports whose time is up, file and row. Returns how many."""
    return expired_exports_purge(StatementExport, now=now)
