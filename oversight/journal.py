"""The access journal: every opening by a manager of a member's fiche, a request or a file, every
NIR shown and every export is one `AccessEntry` (who, when, what, why when said), and who may
read it: the "délégué à la protection des données" role (`oversight.view_accessentry`, the group
of DPO_GROUP), each reader within their own scope (members' data for those who may read
members; an organism's partner requests for its managers; everything for a superuser)."""

from django.db.models import Q

from oversight.models import AccessEntry

DPO_GROUP = "Délégué à la protection des données"


# -- Scopes ------------------------------------------------------------------------------------
def may_read_members(user) -> bool:
    """An insurer manager who may read member records (or a superuser)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or (user.is_insurer_manager and user.has_perm("accounts.view_member"))


def managed_organisms(user):
    """The pks of the organisms whose partner data `user` may read; None for every organism."""
    if user.is_superuser:
        return None
    if not user.is_insurer_manager:
        return frozenset()
    return frozenset(user.managed_organisms.values_list("pk", flat=True))


def may_read_journal(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("oversight.view_accessentry")
    )


def journal_visible(user):
    """The entries `user` may read: none without the role, then those of their scope."""
    if not may_read_journal(user):
        return AccessEntry.objects.none()
    if user.is_superuser:
        return AccessEntry.objects.all()
    scope = Q(pk__in=[])
    if may_read_members(user):
        scope |= Q(scope=AccessEntry.Scope.MEMBER)
    organisms = managed_organisms(user)
    if organisms:
        scope |= Q(scope=AccessEntry.Scope.PARTNER, organism_id__in=organisms)
    return AccessEntry.objects.filter(scope)


# -- Writing -----------------------------------------------------------------------------------
def _is_manager(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def access_record(
    *,
    by,
    kind: str,
    target: str,
    member_id: int | None = None,
    organism_id: int | None = None,
    reason: str = "",
    scope: str | None = None,
) -> AccessEntry:
    """Write one entry of the journal. Partner data (an organism given) is scoped to the
    organism; everything else is members' data unless `scope` says otherwise."""
    if scope is None:
        scope = (
            AccessEntry.Scope.PARTNER
            if organism_id is not None or kind == AccessEntry.Kind.PARTNER_REQUEST
            else AccessEntry.Scope.MEMBER
        )
    return AccessEntry.objects.create(
        manager=by,
        kind=kind,
        scope=scope,
        member_id=member_id,
        organism_id=organism_id,
        target=target[:300],
        reason=(reason or "").strip()[:300],
    )


def case_opened_record(user, case) -> None:
    """A manager opened a request's page in the admin (casework's listener)."""
    if not _is_manager(user):
        return
    from casework.lifecycle import case_type_of

    organism_id = getattr(case, "organism_id", None)
    access_record(
        by=user,
        kind=(
            AccessEntry.Kind.PARTNER_REQUEST
            if organism_id is not None
            else AccessEntry.Kind.MEMBER_REQUEST
        ),
        target=case_type_of(case).reference(case),
        member_id=getattr(case, "member_id", None),
        organism_id=organism_id,
    )


def member_record_opened(user, member) -> None:
    """A manager opened a member's record in the admin (its edit page)."""
    if not _is_manager(user):
        return
    access_record(
        by=user,
        kind=AccessEntry.Kind.MEMBER,
        target=f"{member.member_number} · {member.full_name}",
        member_id=member.pk,
    )


def file_read_record(user, stored_file) -> None:
    """A manager opened a stored file (documents' listener); their own uploads aside."""
    if not _is_manager(user) or stored_file.uploaded_by_id == user.pk:
        return
    from casework.access import file_cases
    from casework.lifecycle import case_type_of

    cases = [case for case in file_cases(stored_file) if case is not None]
    case = cases[0] if cases else None
    target = stored_file.original_name
    if case is not None:
        target = f"{target} ({case_type_of(case).reference(case)})"
    access_record(
        by=user,
        kind=AccessEntry.Kind.FILE,
        target=target,
        member_id=getattr(case, "member_id", None),
        organism_id=getattr(case, "organism_id", None),
    )
