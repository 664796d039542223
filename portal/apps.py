from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Project-wide concerns: the insurer's branding, health, messaging backends."""

    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        # Sign-outs mark their answer for Clear-Site-Data (portal.security).
        from portal import security  # noqa: F401
