from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.history import ReferenceHistoryAdmin
from portal.models import Branding


@admin.register(Branding)
class BrandingAdmin(ReferenceHistoryAdmin):
    """The insurer's name, logo, colours and contact details (white label): one row."""

    list_display = ("insurer_name", "contact_phone", "opening_hours")

    def has_add_permission(self, request):
        return not Branding.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


def brand_admin_site(site: admin.AdminSite) -> admin.AdminSite:
    """Title the back office with the insurer's name instead of "Administration de Django"."""
    each_context = site.each_context

    def branded_context(request):
        context = each_context(request)
        name = Branding.current().insurer_name
        context["site_header"] = _("%(insurer)s · gestion") % {"insurer": name}
        context["site_title"] = context["site_header"]
        return context

    site.each_context = branded_context
    site.index_title = gettext_lazy("Espace de gestion")
    return site
