from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Demandes des adhérents")

    def ready(self):
        from documents.access import register_download_rule
        from requests_app.selectors import member_may_read_file

        register_download_rule(member_may_read_file)
