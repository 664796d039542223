from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The health-professional directory ("Localiser un professionnel de santé") and the
    offline postcode and commune lookup it searches with."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = _("Annuaire des professionnels de santé")
