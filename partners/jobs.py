"""The partner space's daily jobs: convention reminders and access closing.

Each takes `on` (a Europe/Paris day, today by default) so that a test can run it on any date,
and each may run any number of times a day: what was done is recorded on the convention.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from partners.conventions import State, situation_of, today
from partners.models import Convention, ConventionReminder, StructureMembership

# "30 jours avant" the end date: the reminder goes when the end is this many days away or less.
REMINDER_DAYS = 30


def _partner_managers(structure_id: int):
    User = get_user_model()
    return User.objects.filter(
        partner_membership__structure_id=structure_id,
        role=User.Role.PARTNER_MANAGER,
        is_active=True,
    ).exclude(email="")


def convention_reminders_send(*, on: date | None = None) -> int:
    """Email the structure's partner managers that a convention ends within 30 days.

    Guarantees: one reminder per convention, end date and manager (a `ConventionReminder` row
    records each email sent), for conventions whose end date is today or at most 30 days away; a
    new end date gets a new reminder. Should the mail server fail half-way, the job is retried
    and nobody already emailed is emailed again. Returns how many conventions were reminded.
    """
    from portal.messaging import branded_email_send

    on = on or today()
    due = Convention.objects.filter(
        Q(reminder_sent_for__isnull=True) | ~Q(reminder_sent_for=F("end_date")),
        end_date__gte=on,
        end_date__lte=on + timedelta(days=REMINDER_DAYS),
    ).values_list("pk", flat=True)
    reminded = 0
    for convention_id in list(due):
        convention = (
            Convention.objects.select_related("organism", "structure")
            .filter(pk=convention_id)
            .first()
        )
        if convention is None or convention.reminder_sent_for == convention.end_date:
            continue  # another run got there first
        end_date = convention.end_date
        with override("fr"):
            day = date_format(end_date, "d/m/Y")
            subject = _(
                "Votre conventionnement avec %(organism)s arrive à échéance le %(date)s"
            ) % {"organism": convention.organism.name, "date": day}
            context = {
                "organism": convention.organism.name,
                "structure": convention.structure.name,
                "end_date": day,
                "link": f"{settings.SITE_URL}{reverse('partners:choose')}",
            }
            for manager in _partner_managers(convention.structure_id):
                # One transaction per email, its row locked while sending: a failure with the
                # next manager leaves this one recorded, and two runs never both send.
                with transaction.atomic():
                    reminder, _created = ConventionReminder.objects.get_or_create(
                        convention=convention, end_date=end_date, recipient=manager
                    )
                    reminder = ConventionReminder.objects.select_for_update().get(pk=reminder.pk)
                    if reminder.sent_at is not None:
                        continue
                    branded_email_send(
                        to=manager.email,
                        subject=subject,
                        template="partners/emails/convention_ending",
                        context=context,
                    )
                    reminder.sent_at = timezone.now()
                    reminder.save(update_fields=["sent_at"])
        Convention.objects.filter(pk=convention.pk).update(reminder_sent_for=end_date)
        reminded += 1
    return reminded


def convention_accesses_close(*, on: date | None = None) -> dict[str, int]:
    """Close the organism to its structure once the convention's situation is "closed" (ended,
    every request resolved, 30 days after the last resolution).

    Guarantees: `Convention.closed_at` is stamped once; the structure's members no longer have
    the organism preselected (`StructureMembership.last_organism`). A convention whose end date
    was moved so that it is no longer closed loses its stamp. Idempotent.
    """
    on = on or today()
    now = timezone.now()
    closed = reopened = 0
    ended = Convention.objects.filter(closed_at__isnull=True, end_date__lt=on)
    for convention in ended.select_related("organism"):
        if situation_of(convention, on=on).state is not State.CLOSED:
            continue
        with transaction.atomic():
            stamped = Convention.objects.filter(pk=convention.pk, closed_at__isnull=True).update(
                closed_at=now
            )
            if stamped:
                StructureMembership.objects.filter(
                    structure_id=convention.structure_id,
                    last_organism_id=convention.organism_id,
                ).update(last_organism=None)
                closed += 1
    for convention in Convention.objects.filter(closed_at__isnull=False).select_related("organism"):
        if situation_of(convention, on=on).state is not State.CLOSED:
            Convention.objects.filter(pk=convention.pk).update(closed_at=None)
            reopened += 1
    return {"closed": closed, "reopened": reopened}
