from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Espace partenaires")

    def ready(self):
        from documents.access import register_download_rule, register_manager_restriction
        from partners.access import manager_kept_from_file, partner_may_read_file

        register_download_rule(partner_may_read_file)
        register_manager_restriction(manager_kept_from_file)
