"""The emails of privacy: the export is ready, the space will be closed for inactivity. They
say what happens and link to the portal; they never carry the data. Called by privacy.tasks
and privacy.retention."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Member, User
from portal.messaging import branded_email_send
from privacy.models import DataExport


def account_email(user: User) -> str:
    """Where to write to the account: its email, else its member record's."""
    if user.email:
        return user.email
    member = Member.objects.filter(user=user).only("email").first()
    return member.email if member else ""


def data_export_ready_notify(*, export_id) -> bool:
    """Tell the account its export is ready, once (the row's `notified_at`): True if sent."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .filter(pk=export_id, state=DataExport.State.READY, notified_at__isnull=True)
            .select_related("user")
            .first()
        )
        if export is None:
            return False
        to = account_email(export.user)
        if to:
            with translation.override(export.language):
                branded_email_send(
                    to=to,
                    subject=_("Vos données sont prêtes à être téléchargées"),
                    template="privacy/emails/export_ready",
                    context={
                        "link": f"{settings.SITE_URL}{reverse('privacy:export', args=[export.pk])}",
                        "hours": settings.DATA_EXPORT_HOURS,
                    },
                )
        DataExport.objects.filter(pk=export.pk).update(notified_at=timezone.now())
    return bool(to)


def inactivity_warning_send(*, user: User, closes_on) -> bool:
    """Tell the account its space will be closed on `closes_on` unless someone signs in."""
    to = account_email(user)
    if not to:
        return False
    # The account keeps no language: the portal's, whatever language the caller had active.
    with translation.override(settings.LANGUAGE_CODE):
        branded_email_send(
            to=to,
            subject=_("Votre espace sera fermé faute d'utilisation"),
            template="privacy/emails/inactivity_warning",
            context={
                "closes_on": closes_on,
                "years": settings.INACTIVE_SPACE_YEARS,
                "login_url": f"{settings.SITE_URL}{reverse('accounts:login')}",
            },
        )
    return True
