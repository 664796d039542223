from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Espace partenaires")

    def ready(self):
        from casework.lifecycle import register
        from partners.cases import PartnerRequestCase

        register(PartnerRequestCase())
