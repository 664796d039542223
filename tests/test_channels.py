import pytest

from accounts.models import CodeDevice
from accounts.services.channels import member_channels_sync

pytestmark = pytest.mark.django_db


def _channels(user):
    return sorted(
        CodeDevice.objects.filter(user=user).values_list("channel", "target", "confirmed")
    )


def test_running_it_again_changes_nothing(member):
    before = list(CodeDevice.objects.filter(user=member.user).values_list("pk", flat=True))
    member_channels_sync(user=member.user, email=member.email, mobile_phone=member.mobile_phone)
    after = list(CodeDevice.objects.filter(user=member.user).values_list("pk", flat=True))
    assert after == before
    assert _channels(member.user) == [
        ("email", member.email, True),
        ("sms", "+33612345678", True),
    ]


def test_it_drops_pending_channels_and_a_phone_that_is_gone(member):
    CodeDevice.objects.create(
        user=member.user, name="new", channel="email", target="new@example.org", confirmed=False
    )
    member_channels_sync(user=member.user, email=member.email, mobile_phone=None)
    assert _channels(member.user) == [("email", member.email, True)]
