from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Structure(models.Model):
    """A partner structure (social services, associations) whose technicians file requests."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("structure partenaire")
        verbose_name_plural = _("structures partenaires")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StructureMembership(models.Model):
    """Ties a technician or a partner manager account to their structure."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="memberships")

    class Meta:
        verbose_name = _("rattachement à une structure")
        verbose_name_plural = _("rattachements aux structures")

    def __str__(self):
        return f"{self.user} → {self.structure}"
