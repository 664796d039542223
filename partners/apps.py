from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Espace partenaires")

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from casework.lifecycle import register
        from partners.cases import PartnerRequestCase
        from partners.models import StructureMembership

        register(PartnerRequestCase())
        post_save.connect(_membership_changed, sender=StructureMembership)
        post_delete.connect(_membership_changed, sender=StructureMembership)
        post_save.connect(_account_changed, sender=settings.AUTH_USER_MODEL)


# What the history's "Demandeur" list shows of an account.
NAME_FIELDS = {"first_name", "last_name", "username"}


def _membership_changed(sender, instance, update_fields=None, **kwargs):
    from partners.selectors import forget_structure_requesters

    if update_fields is None or not set(update_fields) <= {"last_organism"}:
        forget_structure_requesters(instance.structure_id)


def _account_changed(sender, instance, created=False, update_fields=None, **kwargs):
    from partners.models import StructureMembership
    from partners.selectors import forget_structure_requesters

    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return  # a new account has no membership yet; a sign-in only writes last_login
    structures = StructureMembership.objects.filter(user_id=instance.pk).values_list(
        "structure_id", flat=True
    )
    forget_structure_requesters(*structures)
