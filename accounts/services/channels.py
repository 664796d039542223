from accounts.models import CodeDevice, User


def member_channels_sync(*, user: User, email: str, mobile_phone=None) -> None:
    """Make `user`'s confirmed sign-in channels exactly `email` and, when given, `mobile_phone`.

    Pending (unconfirmed) channels are dropped. Running it again with the same values changes
    nothing, so sign-up, activation and the demo data can all call it. Call inside a transaction.
    """
    CodeDevice.objects.filter(user=user, confirmed=False).delete()
    wanted = {
        CodeDevice.Channel.EMAIL: email,
        CodeDevice.Channel.SMS: mobile_phone.as_e164 if mobile_phone else "",
    }
    for channel, target in wanted.items():
        existing = CodeDevice.objects.filter(user=user, channel=channel, confirmed=True)
        if not target:
            existing.delete()
            continue
        device = existing.first()
        if device is None:
            CodeDevice.objects.create(
                user=user, name=channel, channel=channel, target=target, confirmed=True
            )
        elif device.target != target:
            device.target = target
            device.code_hash = ""
            device.code_valid_until = None
            device.save(update_fields=["target", "code_hash", "code_valid_until"])
