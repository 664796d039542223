"""Time passing for the send limits (`accounts.send_limits`): what a person waiting a minute
before asking again would see, without the test waiting."""

from accounts.models import GuardState


def a_minute_passes() -> None:
    """Every send counted so far was made 61 seconds earlier than it was (codes, links and
    "Mot de passe oublié" requests, per account, destination and identifier, and the activation
    gate's per-email sends)."""
    for row in GuardState.objects.all():
        state = dict(row.state)
        changed = False
        for field in ("last", "sent_at"):
            if isinstance(state.get(field), (int, float)):
                state[field] -= 61
                changed = True
        if changed:
            row.state = state
            row.save(update_fields=["state"])
