from django.db import transaction
from django.utils import timezone

from accounts.models import TrustedBrowser, User


def user_set_password(*, user: User, password: str) -> None:
    """Set a new password. Every remembered browser is forgotten, and because the session hash
    changes, every other session of the account ends (the caller keeps its own with
    `update_session_auth_hash`). The password must already be validated."""
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        TrustedBrowser.objects.filter(user=user).delete()
