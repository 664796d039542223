"""The writes of "Mes données" and of the retention policy: asking for an export, asking for
the closure of a space, closing a space."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountToken, CodeDevice, Member, SignInRecord, TrustedBrowser, User
from privacy import tasks
from privacy.models import DataExport
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit


def data_export_request(*, user: User) -> DataExport:
    """An export of `user`'s data, to be built in the background: the row the page follows,
    the job queued once it is committed. An export still being prepared is returned rather
    than a second one. The file is kept DATA_EXPORT_HOURS, then deleted."""
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        pending = DataExport.objects.filter(
            user=user,
            state__in=[DataExport.State.QUEUED, DataExport.State.RUNNING],
            expires_at__gt=now,
        ).first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(
            user=user,
            language=get_language() or settings.LANGUAGE_CODE,
            created_at=now,
            expires_at=now + timedelta(hours=settings.DATA_EXPORT_HOURS),
        )
        transaction.on_commit(lambda: tasks.build_data_export.delay(str(export.pk)), robust=True)
    return export


def closure_request_submit(*, member: Member, by: User, reason: str = "") -> MemberRequest:
    """ "Demander la clôture de mon espace": a request in the managers' queue (kind "Clôture
    de l'espace"), acknowledged by email like any request. One open request at a time: a
    second ask returns the open one."""
    open_request = (
        MemberRequest.objects.filter(member=member, kind=RequestKind.CLOSURE)
        .exclude(status__in=["resolved", "cancelled"])
        .first()
    )
    if open_request is not None:
        return open_request
    return member_request_submit(
        member=member,
        kind=RequestKind.CLOSURE,
        by=by,
        subject=_("Demande de clôture de mon espace"),
        message=reason
        or _("Je demande la clôture de mon espace en ligne et l'effacement de mes données."),
    )


def account_close(*, user: User, now=None) -> bool:
    """Close a space: sign-in disabled, the account's personal fields removed (name, email,
    identifier, password), its second factors, remembered browsers, sign-in records and links
    deleted. The
    member record, the insurer's, stays, detached from the account (its holder may create a
    new space later). True if this call closed it; a closed account is left as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        account = User.objects.select_for_update().filter(pk=user.pk).first()
        if account is None or account.username.startswith(CLOSED_PREFIX):
            return False
        account.username = f"{CLOSED_PREFIX}{account.pk}"
        account.first_name = account.last_name = account.email = ""
        account.password = make_password(None)
        account.is_active = False
        account.save(
            update_fields=["username", "first_name", "last_name", "email", "password", "is_active"]
        )
        CodeDevice.objects.filter(user=account).delete()
        TrustedBrowser.objects.filter(user=account).delete()
        AccountToken.objects.filter(user=account).delete()
        SignInRecord.objects.filter(user=account).delete()
        TOTPDevice.objects.filter(user=account).delete()
        Member.objects.filter(user=account).update(user=None, activated_at=None)
    return True


# The identifier a closed account keeps (nothing personal, unique).
CLOSED_PREFIX = "ferme-"
