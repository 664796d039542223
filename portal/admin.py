from django.contrib import admin

from portal.models import Branding


@admin.register(Branding)
class BrandingAdmin(admin.ModelAdmin):
    """The insurer's name, logo, colours and contact details (white label): one row."""

    list_display = ("insurer_name", "contact_phone", "opening_hours")

    def has_add_permission(self, request):
        return not Branding.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
