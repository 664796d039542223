from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """Help for members: the FAQ, the virtual advisor, the contact page and "Mes services"."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "support"
    verbose_name = _("Aide et services")
