"""The writes of "Mes données" and of the retention policy: asking for an export, asking for
the closure of a space, closing a space (by the retention job or by a manager answering the
member's request)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountToken, CodeDevice, Member, SignInRecord, TrustedBrowser, User
from casework.models import CaseEvent
from casework.services import CaseError, case_move
from portal.queueing import enqueue_on_commit
from privacy import tasks
from privacy.models import DataExport
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit


def data_export_request(*, user: User) -> DataExport:
    """An export of `user`'s data, to be built in the background: the row the page follows,
    the job queued once it is committed (or by the catch-up if the broker was down,
    `queued_exports_requeue`). An export still being prepared is returned rather
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
        enqueue_on_commit(tasks.build_data_export, str(export.pk))
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


def closure_request_close(*, request: MemberRequest, by: User, text: str) -> CaseEvent:
    """ "Clôturer l'espace": a manager answers a "Clôture de l'espace" request by closing the
    member's space. The answer is written on the request, which is resolved ("Résoudre", its
    event marked `space_closed`), and the space is closed as the retention job closes one
    (`account_close`), in one transaction: both happen or neither. The member is emailed the
    answer itself, at the address their record keeps (the account's is removed), since they can
    no longer sign in to read it. Refused (CaseError) for another kind of request or one that
    cannot be resolved now."""
    if request.kind != RequestKind.CLOSURE:
        raise CaseError(_("Seule une demande de clôture de l'espace peut clôturer l'espace."))
    with transaction.atomic():
        event = case_move(
            case=request, move="resolve", by=by, text=text, data={"space_closed": True}
        )
        account = User.objects.filter(member__pk=request.member_id).first()
        if account is not None:
            account_close(user=account)
    return event


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
