"""Personas of the back office's reads (issue 20): a member-request manager who is no
superuser, and the "délégué à la protection des données" role, given as the group that the
migration creates."""

from django.contrib.auth.models import Group, Permission

from accounts.models import CodeDevice, User
from oversight.journal import DPO_GROUP
from tests.factories import UserFactory

MEMBER_PERMISSIONS = [
    ("accounts", "view_member"),
    ("requests_app", "view_memberrequest"),
    ("requests_app", "change_memberrequest"),
]


def dpo_group() -> Group:
    """The group the migration creates; a transactional test's flush empties it, so it is made
    again here as the migration makes it."""
    group, _created = Group.objects.get_or_create(name=DPO_GROUP)
    if not group.permissions.exists():
        group.permissions.add(
            Permission.objects.get(content_type__app_label="oversight", codename="view_accessentry")
        )
    return group


def make_manager(username: str, *, permissions=(), dpo=False, **kwargs) -> User:
    """A staff insurer manager with an email channel, the permissions given and, `dpo`, the
    data-protection role."""
    user = UserFactory(
        username=username,
        email=f"{username}@example.org",
        role=User.Role.INSURER_MANAGER,
        is_staff=True,
        **kwargs,
    )
    CodeDevice.objects.create(user=user, name="email", channel="email", target=user.email)
    for app_label, codename in permissions:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    if dpo:
        user.groups.add(dpo_group())
    return User.objects.get(pk=user.pk)  # permissions are cached per instance
