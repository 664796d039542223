"""One-time codes by SMS or email: the only place that makes, sends and checks them.

Sign-in, activation and the verification of a new email or phone all go through
`code_send` and `code_verify`, so the rules (6 digits, single use, 5 minutes, hashed, a new code
kills the previous one, 5 attempts per code and django-otp's growing delay between failures)
are written once. How often codes may leave (60 s apart, a daily cap, per account and per
destination) is `accounts.send_limits`.
"""

import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import CodeDevice, SignInRecord
from accounts.send_limits import SendRefused, code_send_grant, send_grant_undo
from portal.faults import log_fault
from portal.messaging import insurer_sender, send_sms

logger = logging.getLogger(__name__)

# The fields a send changes, put back when the code could not leave (the previous code stays
# valid, and the send limits count nothing).
_SEND_FIELDS = (
    "code_hash",
    "code_sent_at",
    "code_valid_until",
    "code_failures",
)


class CodeError(Exception):
    """A code could not be sent or accepted; `message` is shown to the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CodePurpose:
    subject: str
    sms_text: str


def _purposes():
    # Messages never carry health information: a code and what it is for, nothing else.
    return {
        "login": CodePurpose(
            _("Votre code de connexion"),
            _("Votre code de connexion %(insurer)s : %(code)s. Il expire dans 5 minutes."),
        ),
        "activation": CodePurpose(
            _("Votre code d'activation"),
            _("Votre code d'activation %(insurer)s : %(code)s. Il expire dans 5 minutes."),
        ),
        "reauth": CodePurpose(
            _("Confirmation de votre identité"),
            _("Votre code de confirmation %(insurer)s : %(code)s. Il expire dans 5 minutes."),
        ),
        "contact": CodePurpose(
            _("Vérification de vos coordonnées"),
            _("Votre code de vérification %(insurer)s : %(code)s. Il expire dans 5 minutes."),
        ),
    }


def _hash(device: CodeDevice, code: str) -> str:
    return salted_hmac(f"accounts.codes.{device.pk}", code, algorithm="sha256").hexdigest()


def code_send(*, device: CodeDevice, purpose: str = "login") -> None:
    """Make a new code for `device`, replacing any previous one, and send it.

    Raises CodeError when the send limits refuse it (a code sent to that account or that
    destination less than OTP_RESEND_DELAY ago, or the day's cap reached: the message says when
    to try again), or when the code could not be sent (relay or gateway down): then nothing
    counts, the previous code stays valid, and the message invites the person to retry or
    choose another channel. Never raises anything else for a send.
    """
    from portal.models import Branding

    with transaction.atomic():
        device = CodeDevice.objects.select_for_update().get(pk=device.pk)
        previous = {field: getattr(device, field) for field in _SEND_FIELDS}
        now = timezone.now()
        try:
            grant = code_send_grant(
                user_id=device.user_id, channel=device.channel, destination=device.target
            )
        except SendRefused as refused:
            raise CodeError(refused.message) from None
        code = f"{secrets.randbelow(10**6):06d}"
        device.code_hash = _hash(device, code)
        device.code_sent_at = now
        device.code_valid_until = now + settings.OTP_CODE_VALIDITY
        device.code_failures = 0
        device.save()
        SignInRecord.objects.create(
            user_id=device.user_id,
            kind=SignInRecord.Kind.CODE_SENT,
            channel=device.channel,
            at=now,
        )

    texts = _purposes()[purpose]
    body = texts.sms_text % {"insurer": Branding.current().insurer_name, "code": code}
    try:
        if device.channel == CodeDevice.Channel.SMS:
            send_sms(to=device.target, body=body)
        else:
            send_mail(texts.subject, body + "\n", insurer_sender(), [device.target])
    except Exception as exc:  # noqa: BLE001 - whatever failed, the person gets the same answer
        log_fault(logger, "code not sent", exc, channel=device.channel, device=device.pk)
        _send_undo(device=device, sent_at=now, previous=previous)
        send_grant_undo(grant)
        raise CodeError(
            _(
                "Nous n'avons pas pu envoyer le code. Réessayez dans un instant ou choisissez "
                "un autre moyen."
            )
        ) from None


def _send_undo(*, device: CodeDevice, sent_at, previous: dict) -> None:
    """Put the device back as it was before a send that did not leave, unless another send
    replaced that code meanwhile."""
    with transaction.atomic():
        CodeDevice.objects.filter(pk=device.pk, code_sent_at=sent_at).update(**previous)
        SignInRecord.objects.filter(
            user_id=device.user_id, kind=SignInRecord.Kind.CODE_SENT, at=sent_at
        ).delete()


def code_verify(*, device: CodeDevice, code: str) -> None:
    """Accept `code` once, or raise CodeError saying why it was refused.

    A failure is recorded before the error is raised (outside the transaction, so that the
    count of failures survives).
    """
    error = None
    with transaction.atomic():
        device = CodeDevice.objects.select_for_update().get(pk=device.pk)
        now = timezone.now()
        allowed, _details = device.verify_is_allowed()
        candidate = (code or "").strip().replace(" ", "")
        if not allowed:
            error = _("Trop de tentatives. Patientez quelques secondes avant de réessayer.")
        elif not device.code_hash or device.code_valid_until is None:
            error = _("Ce code n'est plus valable. Demandez un nouveau code.")
        elif device.code_failures >= settings.OTP_MAX_ATTEMPTS:
            error = _("Trop de codes erronés. Demandez un nouveau code.")
        elif device.code_valid_until < now:
            error = _("Ce code a expiré. Demandez un nouveau code.")
        elif hmac.compare_digest(device.code_hash, _hash(device, candidate)):
            device.code_hash = ""
            device.code_valid_until = None
            device.code_failures = 0
            device.throttle_reset(commit=False)
            device.last_used_at = now
            device.save()
        else:
            device.code_failures += 1
            device.throttle_increment(commit=False)
            device.save()
            if device.code_failures >= settings.OTP_MAX_ATTEMPTS:
                error = _("Trop de codes erronés. Demandez un nouveau code.")
            else:
                error = _("Code incorrect. Vérifiez le code reçu et réessayez.")
    if error:
        raise CodeError(error)


def mask_target(device: CodeDevice) -> str:
    """Show enough of a destination to recognise it, not enough to learn it."""
    target = device.target
    if device.channel == CodeDevice.Channel.EMAIL:
        local, _sep, domain = target.partition("@")
        return f"{local[:1]}{'•' * max(1, len(local) - 1)}@{domain}"
    return f"{'•' * max(0, len(target) - 2)}{target[-2:]}"
