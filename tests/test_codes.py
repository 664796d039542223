from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.codes import CodeError, code_send, code_verify
from accounts.models import CodeDevice
from tests.helpers.clock import a_minute_passes

pytestmark = pytest.mark.django_db


def _device(member, channel):
    return CodeDevice.objects.get(user=member.user, channel=channel)


def test_it_sends_a_six_digit_code_by_sms_and_accepts_it_once(member, outbox):
    device = _device(member, "sms")
    code_send(device=device)
    sms = outbox.last("sms")
    assert sms.to == "+33612345678"
    code = sms.code()
    code_verify(device=device, code=code)
    with pytest.raises(CodeError, match="plus valable"):
        code_verify(device=device, code=code)


def test_it_stores_only_a_hash_of_the_code(member, outbox):
    device = _device(member, "email")
    code_send(device=device)
    code = outbox.last("email").code()
    device.refresh_from_db()
    assert code not in device.code_hash
    assert len(device.code_hash) == 64


def test_it_refuses_a_resend_within_sixty_seconds(member):
    device = _device(member, "email")
    code_send(device=device)
    with pytest.raises(CodeError, match="nouveau code dans"):
        code_send(device=device)


def test_a_new_code_invalidates_the_previous_one(member, outbox):
    device = _device(member, "email")
    code_send(device=device)
    first = outbox.last("email").code()
    a_minute_passes()
    code_send(device=device)
    second = outbox.last("email").code()
    if first != second:  # one chance in a million that they match
        with pytest.raises(CodeError, match="incorrect"):
            code_verify(device=device, code=first)
    CodeDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    code_verify(device=device, code=second)


def test_it_refuses_an_expired_code(member, outbox):
    device = _device(member, "email")
    code_send(device=device)
    code = outbox.last("email").code()
    CodeDevice.objects.filter(pk=device.pk).update(
        code_valid_until=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(CodeError, match="expiré"):
        code_verify(device=device, code=code)


def test_the_sixth_attempt_is_refused_even_with_the_right_code(member, outbox):
    device = _device(member, "email")
    code_send(device=device)
    code = outbox.last("email").code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _attempt in range(5):
        # Lift django-otp's growing delay so that only the 5-attempt rule is at work.
        CodeDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        with pytest.raises(CodeError):
            code_verify(device=device, code=wrong)
    CodeDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    with pytest.raises(CodeError, match="Trop de codes erronés"):
        code_verify(device=device, code=code)


def test_a_wrong_code_delays_the_next_attempt(member, outbox):
    device = _device(member, "email")
    code_send(device=device)
    code = outbox.last("email").code()
    with pytest.raises(CodeError, match="incorrect"):
        code_verify(device=device, code="000000" if code != "000000" else "111111")
    with pytest.raises(CodeError, match="Patientez"):
        code_verify(device=device, code=code)


def test_it_caps_the_sms_sent_per_day(member, settings):
    settings.OTP_SMS_DAILY_LIMIT = 2
    device = _device(member, "sms")
    for _ in range(2):
        code_send(device=device)
        a_minute_passes()
    with pytest.raises(CodeError, match="nombre maximal de SMS"):
        code_send(device=device)
