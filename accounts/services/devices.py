""" "Mes appareils et sessions": remembered browsers, open sessions, and the emails that tell
the account's addresses of a sign-in from a new browser or of a space created ("Ce n'était pas
moi")."""

from django.db import transaction
from django.utils import timezone

from accounts.models import AccountNotice, Member, TrustedBrowser, User
from accounts.remember import client_ip
from accounts.services.profile import account_notice_queue
from accounts.sessions import ip_prefix, request_user_agent, sessions_end


def account_addresses(*, user: User, also: str = "") -> list[str]:
    """The account's email and the member record's, once each (case aside), then `also`."""
    addresses: list[str] = []
    member = Member.objects.filter(user=user).first()
    for address in (user.email, member.email if member else "", also):
        if address and address.lower() not in {known.lower() for known in addresses}:
            addresses.append(address)
    return addresses


def new_browser_notify(*, user: User, request) -> None:
    """Queue "Nouvelle connexion à votre espace" to every address of the account: when, which
    browser, the address's first bytes, and the "Ce n'était pas moi" link (sent once each)."""
    details = {
        "at": timezone.now().isoformat(),
        "user_agent": request_user_agent(request),
        "place": ip_prefix(client_ip(request)),
    }
    with transaction.atomic():
        for address in account_addresses(user=user):
            account_notice_queue(
                kind=AccountNotice.Kind.NEW_BROWSER, user=user, recipient=address, details=details
            )


def space_created_notify(*, user: User, previous_email: str) -> None:
    """Queue "Votre espace a été créé" to the account's email and to the address the insurer
    had on file before, if different (a space created with card data and someone else's
    email is thus seen by the member). Call inside the activation's transaction."""
    details = {"at": timezone.now().isoformat()}
    for address in account_addresses(user=user, also=previous_email):
        account_notice_queue(
            kind=AccountNotice.Kind.SPACE_CREATED, user=user, recipient=address, details=details
        )


def trusted_browser_used(*, browser: TrustedBrowser, request) -> None:
    """A sign-in skipped the code on this remembered browser: note when and with what."""
    TrustedBrowser.objects.filter(pk=browser.pk).update(
        last_used_at=timezone.now(), user_agent=request_user_agent(request)
    )


def trusted_browser_forget(*, user: User, browser_id: int) -> bool:
    """ "Retirer": the browser is no longer remembered (the code is asked there next time, and
    a sign-in there counts as from a new browser). False if it is not one of `user`'s."""
    deleted, _details = TrustedBrowser.objects.filter(pk=browser_id, user=user).delete()
    return bool(deleted)


def other_sessions_end(*, user: User, current_key: str | None) -> int:
    """ "Déconnecter les autres sessions": every session of `user` but the current one ends."""
    return sessions_end(user=user, keep=current_key)


def account_report_not_me(*, user: User) -> None:
    """ "Ce n'était pas moi": every session of the account ends and no browser stays
    remembered, so the next sign-in anywhere asks the password and a code."""
    with transaction.atomic():
        TrustedBrowser.objects.filter(user=user).delete()
    sessions_end(user=user, keep=None)
