"""Partner managers' technicians ("Techniciens Partenaire"): create, deactivate, reactivate.

Guide 001, chapter I: "Les « Techniciens Partenaire » sont créés dans l'appli par les
« Gestionnaires Partenaire » de votre structure. Le nombre de « Techniciens Partenaire » actifs
maximum par structure est fixé par l'organisme d'Assurance Maladie". Views call these functions
and nothing else; every refusal is a `TechnicianError` whose message is shown as is.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import AccountToken, User
from accounts.tokens import token_issue
from partners.conventions import structure_situations
from partners.models import Structure, StructureMembership

# The invitation link lets the new technician choose a password; after that, "Mot de passe
# oublié" sends a fresh link.
INVITATION_VALIDITY = timedelta(days=7)


class TechnicianError(Exception):
    """A change refused by a rule; `message` is French text for the manager who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def structure_technicians(structure: Structure):
    """The structure's technician accounts, active and inactive, by name."""
    return User.objects.filter(
        role=User.Role.TECHNICIAN, partner_membership__structure=structure
    ).order_by("last_name", "first_name", "pk")


def structure_technician_cap(*, structure: Structure, on: date | None = None) -> int:
    """The most technicians `structure` may have active at once.

    Guarantees: the result is the smallest `Convention.technician_cap` among the structure's
    conventions that are not CLOSED on `on` (today by default): each organism sets its own cap
    for the structure, and since the same technicians work for every organism of the structure,
    only the smallest cap keeps the structure within all of them. Upcoming, ending and ended but
    still readable conventions count; a closed one no longer does. A structure without any such
    convention has no organism to work with: 0.
    """
    situations = structure_situations(structure, on=on)
    caps = [situation.convention.technician_cap for situation in situations]
    return min(caps) if caps else 0


def _cap_error(cap: int) -> TechnicianError:
    if cap == 0:
        return TechnicianError(
            _(
                "Votre structure n'a pas de convention en cours avec un organisme : aucun "
                "technicien ne peut être actif."
            )
        )
    return TechnicianError(
        _(
            "Votre structure a atteint le nombre maximum de techniciens actifs fixé par "
            "l'organisme (%(cap)s)."
        )
        % {"cap": cap}
    )


def _lock_structure(structure: Structure) -> None:
    """Lock the structure row until the transaction ends.

    Two managers who add or reactivate a technician at the same moment then take turns, so the
    second one counts the first one's technician. Call inside a transaction.
    """
    Structure.objects.select_for_update().filter(pk=structure.pk).first()


def _check_cap(structure: Structure) -> None:
    """Refuse one more active technician beyond the cap (the structure row must be locked)."""
    cap = structure_technician_cap(structure=structure)
    active = structure_technicians(structure).filter(is_active=True).count()
    if active >= cap:
        raise _cap_error(cap)


def _email_owner(email: str) -> User | None:
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()


def _email_taken_error() -> TechnicianError:
    return TechnicianError(
        _("Cette adresse email est déjà utilisée par un compte de votre structure."), "email"
    )


def technician_is_invited(user: User) -> bool:
    """Invited and never signed in: no password chosen yet ("Invitation envoyée")."""
    return user.is_active and user.last_login is None and not user.has_usable_password()


def technician_invitation_sent_on(user: User):
    """When the technician's last invitation left (its link's creation)."""
    token = (
        AccountToken.objects.filter(user=user, purpose=AccountToken.Purpose.PASSWORD_RESET)
        .order_by("-created_at")
        .first()
    )
    return token.created_at if token else user.date_joined


def technician_create(
    *, by: User, structure: Structure, first_name: str, last_name: str, email: str
) -> User:
    """Create a technician of `structure` and email them a link to choose their password.

    Guarantees: only a partner manager of `structure` may do it; the structure keeps within its
    cap of active technicians (`structure_technician_cap`), even when two managers add one at
    the same time (the structure row is locked while counting); the email address is unique
    among all accounts whatever its case. The account has the technician role, a membership of
    the structure and no usable password: the invitation (sent once the transaction commits)
    carries a single-use password link valid INVITATION_VALIDITY, and the technician then signs
    in with their email address, their password and a code (the usual second factor).
    """
    _check_manager(by, structure)
    email = BaseUserManager.normalize_email((email or "").strip())
    owner = _email_owner(email)
    if owner is not None:
        if StructureMembership.objects.filter(user=owner, structure=structure).exists():
            raise _email_taken_error()
        # An account elsewhere (a member, another structure, staff): the manager must not learn
        # that it exists. Nothing is created; the address's owner is told, the manager sees the
        # usual answer.
        transaction.on_commit(
            lambda: _invitation_refused_send(owner=owner, structure=structure), robust=True
        )
        return None
    try:
        with transaction.atomic():
            _lock_structure(structure)
            _check_cap(structure)
            user = User(
                username=email.lower(),
                email=email,
                first_name=first_name.strip(),
                last_name=last_name.strip().upper(),
                role=User.Role.TECHNICIAN,
            )
            user.set_unusable_password()
            user.save()
            StructureMembership.objects.create(user=user, structure=structure)
            secret = token_issue(
                user=user,
                purpose=AccountToken.Purpose.PASSWORD_RESET,
                validity=INVITATION_VALIDITY,
            )
    except IntegrityError:
        # Another manager created the same address a moment ago (unique index on email).
        raise _email_taken_error() from None
    transaction.on_commit(
        lambda: _invitation_send(user=user, structure=structure, secret=secret), robust=True
    )
    return user


def _invitation_send(*, user: User, structure: Structure, secret: str) -> None:
    from portal.messaging import branded_email_send

    with override("fr"):
        branded_email_send(
            to=user.email,
            subject=_("Votre accès à l'Espace Partenaires"),
            template="partners/emails/technician_invitation",
            context={
                "first_name": user.first_name,
                "structure": structure.name,
                "identifier": user.email,
                "link": settings.SITE_URL
                + reverse("accounts:password_reset_confirm", args=[secret]),
                "days": INVITATION_VALIDITY.days,
                "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
            },
        )


def _invitation_refused_send(*, owner: User, structure: Structure) -> None:
    from portal.messaging import branded_email_send

    with override("fr"):
        branded_email_send(
            to=owner.email,
            subject=_("Votre accès à l'Espace Partenaires"),
            template="partners/emails/technician_invitation_refused",
            context={"structure": structure.name},
        )


def technician_invitation_resend(*, by: User, technician: User) -> User:
    """Send a new invitation link to a technician who has not chosen a password yet.

    Guarantees: only a partner manager of the technician's structure may do it, and only while
    the invitation is pending; the earlier link stops working (`token_issue`)."""
    structure = _check_technician(by, technician)
    if not technician_is_invited(technician):
        raise TechnicianError(_("Ce technicien a déjà choisi son mot de passe."))
    secret = token_issue(
        user=technician, purpose=AccountToken.Purpose.PASSWORD_RESET, validity=INVITATION_VALIDITY
    )
    transaction.on_commit(
        lambda: _invitation_send(user=technician, structure=structure, secret=secret), robust=True
    )
    return technician


def technician_invitation_cancel(*, by: User, technician: User) -> None:
    """Withdraw a pending invitation: the account, never used, is deleted and frees its place.

    Guarantees: only a partner manager of the technician's structure may do it, and only while
    the invitation is pending (an account that signed in is deactivated instead)."""
    _check_technician(by, technician)
    if not technician_is_invited(technician):
        raise TechnicianError(_("Ce technicien a déjà choisi son mot de passe."))
    technician.delete()


def _check_manager(by: User, structure: Structure) -> None:
    if not (
        by.is_active
        and by.role == User.Role.PARTNER_MANAGER
        and StructureMembership.objects.filter(user=by, structure=structure).exists()
    ):
        raise TechnicianError(_("Seul un gestionnaire de la structure peut gérer ses techniciens."))


def _check_technician(by: User, technician: User) -> Structure:
    membership = (
        StructureMembership.objects.select_related("structure").filter(user=technician).first()
    )
    if membership is None or technician.role != User.Role.TECHNICIAN:
        raise TechnicianError(_("Ce compte n'est pas un technicien de votre structure."))
    _check_manager(by, membership.structure)
    return membership.structure


def technician_deactivate(*, by: User, technician: User) -> User:
    """Deactivate a technician of the manager's structure.

    Guarantees: only a partner manager of the technician's structure may do it, never on their
    own account. The account is kept (its requests keep their requester) but can no longer sign
    in, and its open sessions stop working at their next page (an inactive account is signed out
    by Django's authentication). Deactivating an inactive technician changes nothing.
    """
    if technician.pk == by.pk:
        raise TechnicianError(_("Vous ne pouvez pas désactiver votre propre compte."))
    _check_technician(by, technician)
    User.objects.filter(pk=technician.pk).update(is_active=False)
    technician.is_active = False
    return technician


def technician_reactivate(*, by: User, technician: User) -> User:
    """Reactivate a technician of the manager's structure, within the structure's cap.

    Guarantees: only a partner manager of the technician's structure may do it; the active
    technicians stay within `structure_technician_cap`, counted under a lock on the structure
    row. The technician signs in again with their former password. Reactivating an active
    technician changes nothing.
    """
    structure = _check_technician(by, technician)
    with transaction.atomic():
        _lock_structure(structure)
        if User.objects.filter(pk=technician.pk, is_active=True).exists():
            technician.is_active = True
            return technician
        _check_cap(structure)
        User.objects.filter(pk=technician.pk).update(is_active=True)
    technician.is_active = True
    return technician
