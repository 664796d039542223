from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

User = get_user_model()


class IdentifierBackend(ModelBackend):
    """Sign in with a member number, a username or an email address, and a password.

    Unknown identifiers still pay for one password hash, so that timing does not tell which
    member numbers exist.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get("identifier") or "").strip()
        if not identifier or password is None:
            return None
        query = Q(username__iexact=identifier) | Q(member__member_number__iexact=identifier)
        if "@" in identifier:
            query |= Q(email__iexact=identifier)
        users = list(User.objects.filter(query).distinct()[:2])
        if len(users) != 1:
            User().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
