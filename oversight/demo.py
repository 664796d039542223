"""Demo data of the back office's reads (`load_demo`): the data-protection officer's role given
to the demo account `dpo`, and a first page of the access journal (the demo manager opened
Marie MARTIN's fiche and showed her NIR). Idempotent."""

from django.contrib.auth.models import Group, Permission

from oversight.journal import DPO_GROUP, access_record
from oversight.models import AccessEntry


def demo_oversight_load(*, dpo, manager, member) -> None:
    group, _created = Group.objects.get_or_create(name=DPO_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="oversight", codename="view_accessentry")
    )
    dpo.groups.add(group)
    dpo.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="view_member")
    )
    if AccessEntry.objects.exists():
        return
    target = f"{member.member_number} · {member.full_name}"
    access_record(
        by=manager,
        kind=AccessEntry.Kind.FICHE,
        target=target,
        member_id=member.pk,
        reason="Appel de l'adhérente",
    )
    access_record(
        by=manager,
        kind=AccessEntry.Kind.NIR,
        target=target,
        member_id=member.pk,
        reason="Vérification de ses droits",
    )
