from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Demandes des adhérents")

    def ready(self):
        from casework.lifecycle import register
        from requests_app.cases import MemberRequestCase

        register(MemberRequestCase())
