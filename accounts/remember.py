"""The remember-browser cookie: when a sign-in may skip the second factor.

Guide 003: the second factor is asked on a new browser, on a new IP address and after three
months without signing in. A browser where a second factor was passed gets a signed cookie
pointing to a `TrustedBrowser` row (only a SHA-256 of the cookie's random key is stored). The
cookie is also bound to the password hash, so a password change kills it even if the row
survived, and it carries the device used last time so that a skipped second factor still marks
the session OTP-verified.

This module only reads; the row is written by `accounts.services.signin.trusted_browser_save`.
"""

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.models import Device

from accounts.models import TrustedBrowser, User

COOKIE_SALT = "accounts.remember.browser"


def remember_max_age() -> timedelta:
    return timedelta(days=settings.REMEMBER_BROWSER_DAYS)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Changes whenever the password changes; reveals nothing about it."""
    return salted_hmac(COOKIE_SALT, user.password, algorithm="sha256").hexdigest()[:32]


def client_ip(request) -> str | None:
    """The address the request came from, or None when it is not a valid IP.

    REMOTE_ADDR, unless USE_X_FORWARDED_FOR says a trusted reverse proxy stands in front: then
    the rightmost X-Forwarded-For entry, the one that proxy appended (the others can be forged).
    """
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            raw = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


@dataclass(frozen=True)
class RememberCookie:
    user_id: int
    key: str
    device_id: str
    fingerprint: str


def cookie_read(request) -> RememberCookie | None:
    """The cookie's content if its signature holds and it is not older than the setting."""
    raw = request.COOKIES.get(settings.REMEMBER_BROWSER_COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=COOKIE_SALT, max_age=remember_max_age().total_seconds())
        return RememberCookie(
            user_id=int(data["u"]),
            key=str(data["k"]),
            device_id=str(data["d"]),
            fingerprint=str(data["p"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def cookie_write(response, *, user: User, key: str, device: Device) -> None:
    value = signing.dumps(
        {"u": user.pk, "k": key, "d": device.persistent_id, "p": password_fingerprint(user)},
        salt=COOKIE_SALT,
        compress=True,
    )
    response.set_cookie(
        settings.REMEMBER_BROWSER_COOKIE,
        value,
        max_age=int(remember_max_age().total_seconds()),
        httponly=True,
        secure=settings.REMEMBER_BROWSER_COOKIE_SECURE,
        samesite="Lax",
    )


def must_always_verify(user: User) -> bool:
    # Insurer managers (and any other account that can open the admin) pass a second factor at
    # every sign-in, whatever the browser: their session reaches every member's data.
    return user.is_insurer_manager or user.is_staff or user.is_superuser


def trusted_browser_for(request, user: User) -> TrustedBrowser | None:
    """The row behind this browser's cookie if the cookie is this user's, else None."""
    cookie = cookie_read(request)
    if cookie is None or cookie.user_id != user.pk:
        return None
    return TrustedBrowser.objects.filter(user=user, key_hash=key_digest(cookie.key)).first()


def remembered_device(request, user: User) -> Device | None:
    """The device to mark the session with when the second factor may be skipped, else None.

    Called after the password was checked and before `login()`, so `user.last_login` is still
    the previous sign-in. Every condition of guide 003 must hold: same browser (valid cookie of
    this user, row still there), same IP as the last verification on it, a sign-in less than
    TWO_FACTOR_INACTIVITY ago, no password change since.
    """
    if must_always_verify(user):
        return None
    cookie = cookie_read(request)
    if cookie is None or cookie.user_id != user.pk:
        return None
    if cookie.fingerprint != password_fingerprint(user):
        return None
    now = timezone.now()
    if user.last_login is None or user.last_login < now - settings.TWO_FACTOR_INACTIVITY:
        return None
    browser = TrustedBrowser.objects.filter(user=user, key_hash=key_digest(cookie.key)).first()
    if browser is None or not browser.remembered or browser.verified_at < now - remember_max_age():
        return None
    ip = client_ip(request)
    if ip is None or browser.last_ip != ip:
        return None
    device = Device.from_persistent_id(cookie.device_id)
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device
